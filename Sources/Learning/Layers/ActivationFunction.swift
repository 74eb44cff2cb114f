import Tensors

/// The activations a layer can name, with Keras's names (`activation="relu"`).
public enum ActivationFunction: String, Sendable, CaseIterable {
    case linear, relu, softmax, sigmoid, tanh, elu, gelu
    case leakyRelu = "leaky_relu"

    func apply(_ x: Variable, context: inout ForwardContext) -> Variable {
        switch self {
        case .linear: return x
        case .relu: return Tensors.relu(x)
        case .softmax:
            let output = Tensors.softmax(x)
            context.softmax = (x, output)
            return output
        case .sigmoid: return Tensors.sigmoid(x)
        case .tanh: return Tensors.tanh(x)
        case .elu: return Tensors.elu(x)
        case .gelu: return Tensors.gelu(x)
        case .leakyRelu: return Tensors.leakyRelu(x)
        }
    }
}

/// Keras's `Activation` layer: a named activation on its own.
public final class ActivationLayer: Layer {
    public var className: String { "Activation" }
    public var name: String
    public var trainable = true
    public let activation: ActivationFunction
    public var weights: [Weight] { [] }

    public init(_ activation: ActivationFunction, name: String = "activation") {
        self.activation = activation
        self.name = name
    }

    public convenience init(name: String, settings: LayerSettings) throws {
        self.init(try settings.choice("activation", default: ActivationFunction.linear), name: name)
    }

    public func build(inputShape: [Int], initializer: inout WeightInitializer) throws -> [Int] { inputShape }

    public func callAsFunction(_ input: Variable, context: inout ForwardContext) -> Variable {
        activation.apply(input, context: &context)
    }

    public var settings: [String: JSONValue] { ["activation": .string(activation.rawValue)] }
}
