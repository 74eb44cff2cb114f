import Tensors

/// Keras's `preprocess_input` as a model's first layer, on RGB pixels in 0…255:
/// - `caffe` (VGG16, ResNet50): RGB→BGR, then subtract the ImageNet means [103.939, 116.779, 123.68]
///   (BGR order), no scaling;
/// - `torch`: ÷255, then subtract [0.485, 0.456, 0.406] and divide by [0.229, 0.224, 0.225];
/// - `tf`: ÷127.5 − 1, to [−1, 1].
/// It writes a new tensor (the input is never modified) and passes no gradient back: it
/// belongs in front of the model, where the input is data.
public final class Preprocessing: Layer {
    public enum Mode: String, Sendable, CaseIterable { case caffe, torch, tf }

    public var className: String { "Preprocessing" }
    public var name: String
    public var trainable = true
    public let mode: Mode
    public var weights: [Weight] { [] }

    public init(_ mode: Mode, name: String = "preprocessing") {
        self.mode = mode
        self.name = name
    }

    public convenience init(name: String, settings: LayerSettings) throws {
        self.init(try settings.choice("mode", default: Mode.caffe), name: name)
    }

    public func build(inputShape: [Int], initializer: inout WeightInitializer) throws -> [Int] {
        if mode != .tf && inputShape.last != 3 {
            throw ModelConfigurationError.incompatibleInput(layer: name, inputShape: inputShape,
                                                            expected: "3 (RGB) channels for \(mode.rawValue) preprocessing")
        }
        return inputShape
    }

    public func callAsFunction(_ input: Variable, context: inout ForwardContext) -> Variable {
        Variable(preprocessInput(input.value, mode: mode), backend: input.backend)
    }

    public var settings: [String: JSONValue] { ["mode": .string(mode.rawValue)] }
}

/// `keras.applications.*.preprocess_input` on an NHWC (or HWC) tensor of RGB values in 0…255;
/// returns a new tensor.
public func preprocessInput(_ x: Tensor, mode: Preprocessing.Mode) -> Tensor {
    var result = x
    let channels = x.shape.last ?? 1
    result.withUnsafeMutableBufferPointer { values in
        switch mode {
        case .tf:
            for i in values.indices { values[i] = values[i] / 127.5 - 1 }
        case .torch:
            let mean: [Float] = [0.485, 0.456, 0.406], deviation: [Float] = [0.229, 0.224, 0.225]
            for i in values.indices { values[i] = (values[i] / 255 - mean[i % 3]) / deviation[i % 3] }
        case .caffe:
            precondition(channels == 3, "caffe preprocessing needs RGB input")
            let mean: [Float] = [103.939, 116.779, 123.68]
            for start in stride(from: 0, to: values.count, by: 3) {
                let (red, blue) = (values[start], values[start + 2])
                values[start] = blue - mean[0]
                values[start + 1] -= mean[1]
                values[start + 2] = red - mean[2]
            }
        }
    }
    return result
}
