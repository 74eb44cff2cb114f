import Tensors

/// Keras's `Conv2D` on NHWC input: an HWIO kernel (glorot-uniform), bias zeros, `valid` or
/// `same` padding, strides or a dilation rate, groups, and an activation.
public final class Conv2D: Layer {
    public var className: String { "Conv2D" }
    public var name: String
    public var trainable = true
    public let filters: Int
    public let kernelSize: (height: Int, width: Int)
    public let strides: (height: Int, width: Int)
    public let dilationRate: (height: Int, width: Int)
    /// Channel groups: the kernel is `[kh, kw, channels / groups, filters]`.
    public let groups: Int
    public let padding: Padding
    public let activation: ActivationFunction
    public let usesBias: Bool
    public private(set) var weights: [Weight] = []

    public init(filters: Int, kernelSize: (height: Int, width: Int), strides: (height: Int, width: Int) = (1, 1),
                padding: Padding = .valid, dilationRate: (height: Int, width: Int) = (1, 1), groups: Int = 1,
                activation: ActivationFunction = .linear, usesBias: Bool = true, name: String = "conv2d") {
        precondition(filters > 0 && kernelSize.height > 0 && kernelSize.width > 0 && strides.height > 0 && strides.width > 0
                     && dilationRate.height > 0 && dilationRate.width > 0 && groups > 0,
                     "Conv2D needs positive filters, kernel size, strides, dilation rate and groups")
        self.filters = filters
        self.kernelSize = kernelSize
        self.strides = strides
        self.dilationRate = dilationRate
        self.groups = groups
        self.padding = padding
        self.activation = activation
        self.usesBias = usesBias
        self.name = name
    }

    public convenience init(name: String, settings: LayerSettings) throws {
        let kernel = try settings.pair("kernel_size")
        let strides = try settings.pair("strides", default: (1, 1))
        let dilation = try settings.pair("dilation_rate", default: (1, 1))
        self.init(filters: try settings.integer("filters"), kernelSize: (kernel.0, kernel.1), strides: (strides.0, strides.1),
                  padding: try settings.choice("padding", default: .valid), dilationRate: (dilation.0, dilation.1),
                  groups: try settings.integer("groups", default: 1), activation: try settings.choice("activation", default: .linear),
                  usesBias: try settings.bool("use_bias", default: true), name: name)
    }

    public func build(inputShape: [Int], initializer: inout WeightInitializer) throws -> [Int] {
        guard inputShape.count == 3, inputShape.allSatisfy({ $0 > 0 }) else {
            throw ModelConfigurationError.incompatibleInput(layer: name, inputShape: inputShape, expected: "[height, width, channels]")
        }
        let (height, width, channels) = (inputShape[0], inputShape[1], inputShape[2])
        let span = (height: (kernelSize.height - 1) * dilationRate.height + 1, width: (kernelSize.width - 1) * dilationRate.width + 1)
        if padding == .valid && (span.height > height || span.width > width) {
            throw ModelConfigurationError.incompatibleInput(
                layer: name, inputShape: inputShape,
                expected: "at least \(span.height)×\(span.width) pixels for a valid \(span.height)×\(span.width) kernel span")
        }
        guard channels % groups == 0 && filters % groups == 0 else {
            throw ModelConfigurationError.incompatibleInput(layer: name, inputShape: inputShape,
                                                            expected: "channels and filters (\(filters)) divisible by groups (\(groups))")
        }
        guard strides == (1, 1) || dilationRate == (1, 1) else {
            throw ModelConfigurationError.invalidSetting(layer: name, key: "dilation_rate", expected: "1 when strides are above 1 (as Keras)")
        }
        let receptive = kernelSize.height * kernelSize.width, groupChannels = channels / groups
        weights = [Weight(name: "kernel", value: initializer.glorotUniform(
            shape: [kernelSize.height, kernelSize.width, groupChannels, filters], fanIn: receptive * groupChannels,
            fanOut: receptive * filters))]
        if usesBias { weights.append(Weight(name: "bias", value: Tensor(zeros: [filters]))) }
        let rows = WindowExtent(input: height, window: span.height, stride: strides.height, padding: padding)
        let columns = WindowExtent(input: width, window: span.width, stride: strides.width, padding: padding)
        return [rows.output, columns.output, filters]
    }

    public func callAsFunction(_ input: Variable, context: inout ForwardContext) -> Variable {
        let output = conv2d(input, filter: weights[0].variable, bias: usesBias ? weights[1].variable : nil,
                            strides: strides, padding: padding, dilations: dilationRate, groups: groups,
                            fusingReLU: activation == .relu)
        return activation == .relu ? output : activation.apply(output, context: &context)
    }

    public var settings: [String: JSONValue] {
        ["filters": .number(Double(filters)), "kernel_size": JSONValue([kernelSize.height, kernelSize.width]),
         "strides": JSONValue([strides.height, strides.width]), "padding": .string(padding.rawValue),
         "dilation_rate": JSONValue([dilationRate.height, dilationRate.width]), "groups": .number(Double(groups)),
         "activation": .string(activation.rawValue), "use_bias": .bool(usesBias)]
    }
}
