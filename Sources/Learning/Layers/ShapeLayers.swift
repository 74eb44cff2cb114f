import Tensors

/// Keras's `Flatten`: `[h, w, c]` → `[h·w·c]` in NHWC row-major order.
public final class Flatten: Layer {
    public var className: String { "Flatten" }
    public var name: String
    public var trainable = true
    public var weights: [Weight] { [] }

    public init(name: String = "flatten") { self.name = name }

    public func build(inputShape: [Int], initializer: inout WeightInitializer) throws -> [Int] {
        [inputShape.reduce(1, *)]
    }

    public func callAsFunction(_ input: Variable, context: inout ForwardContext) -> Variable { flatten(input) }

    public var settings: [String: JSONValue] { [:] }
}

/// Keras's `Dropout`: in training each value is zeroed with probability `rate` and the rest
/// scaled by 1 / (1 − rate); the identity in inference. The mask is a pure function of the
/// step's random key and the layer's position, so a step replays exactly.
public final class Dropout: Layer {
    public var className: String { "Dropout" }
    public var name: String
    public var trainable = true
    public let rate: Float
    public var weights: [Weight] { [] }

    public init(rate: Float, name: String = "dropout") {
        precondition((0..<1).contains(rate), "dropout rate must lie in [0, 1), got \(rate)")
        self.rate = rate
        self.name = name
    }

    public convenience init(name: String, settings: LayerSettings) throws {
        let rate = try settings.number("rate")
        guard (0..<1).contains(rate) else { throw settings.invalid("rate", "a number in [0, 1)") }
        self.init(rate: Float(rate), name: name)
    }

    public func build(inputShape: [Int], initializer: inout WeightInitializer) throws -> [Int] { inputShape }

    public func callAsFunction(_ input: Variable, context: inout ForwardContext) -> Variable {
        dropout(input, rate: rate, key: context.layerKey, training: context.training)
    }

    public var settings: [String: JSONValue] { ["rate": .number(Double(rate))] }
}

/// Keras's `Rescaling`: x · scale + offset (e.g. scale 1/255 to bring pixels to [0, 1]).
public final class Rescaling: Layer {
    public var className: String { "Rescaling" }
    public var name: String
    public var trainable = true
    public let scale: Float
    public let offset: Float
    public var weights: [Weight] { [] }

    public init(scale: Float, offset: Float = 0, name: String = "rescaling") {
        self.scale = scale
        self.offset = offset
        self.name = name
    }

    public convenience init(name: String, settings: LayerSettings) throws {
        self.init(scale: Float(try settings.number("scale")), offset: Float(try settings.number("offset", default: 0)), name: name)
    }

    public func build(inputShape: [Int], initializer: inout WeightInitializer) throws -> [Int] { inputShape }

    public func callAsFunction(_ input: Variable, context: inout ForwardContext) -> Variable {
        let scaled = input * Variable(Tensor(scale), backend: input.backend)
        return offset == 0 ? scaled : scaled + Variable(Tensor(offset), backend: input.backend)
    }

    public var settings: [String: JSONValue] { ["scale": .number(Double(scale)), "offset": .number(Double(offset))] }
}

/// Keras's `Normalization` over the last axis with given statistics: (x − mean) / √variance.
/// The mean and variance are weights (non-trainable), as in Keras, so they save with the model.
public final class Normalization: Layer {
    public var className: String { "Normalization" }
    public var name: String
    public var trainable = true
    public let mean: [Float]
    public let variance: [Float]
    public private(set) var weights: [Weight] = []

    /// One mean and variance per channel, or one of each for all channels.
    public init(mean: [Float], variance: [Float], name: String = "normalization") {
        precondition(mean.count == variance.count && !mean.isEmpty, "Normalization needs as many variances as means")
        precondition(variance.allSatisfy { $0 > 0 }, "Normalization variances must be positive")
        self.mean = mean
        self.variance = variance
        self.name = name
    }

    public convenience init(name: String, settings: LayerSettings) throws {
        let mean = try settings.numbers("mean", default: [])
        let variance = try settings.numbers("variance", default: [])
        guard !mean.isEmpty, mean.count == variance.count else { throw settings.invalid("variance", "as many values as 'mean'") }
        guard variance.allSatisfy({ $0 > 0 }) else { throw settings.invalid("variance", "positive numbers") }
        self.init(mean: mean.map { Float($0) }, variance: variance.map { Float($0) }, name: name)
    }

    public func build(inputShape: [Int], initializer: inout WeightInitializer) throws -> [Int] {
        let channels = inputShape.last ?? 1
        guard mean.count == 1 || mean.count == channels else {
            throw ModelConfigurationError.incompatibleInput(layer: name, inputShape: inputShape,
                                                            expected: "\(mean.count) channels (one per mean)")
        }
        let count = mean.count == 1 ? channels : mean.count
        weights = [Weight(name: "mean", value: Tensor(shape: [count], scalars: mean.count == 1 ? Array(repeating: mean[0], count: count) : mean),
                          isTrainableKind: false),
                   Weight(name: "variance", value: Tensor(shape: [count], scalars: variance.count == 1 ? Array(repeating: variance[0], count: count) : variance),
                          isTrainableKind: false)]
        return inputShape
    }

    public func callAsFunction(_ input: Variable, context: inout ForwardContext) -> Variable {
        let deviation = Tensor(shape: weights[1].value.shape, scalars: weights[1].value.scalars.map { 1 / $0.squareRoot() })
        return (input - weights[0].variable) * Variable(deviation, backend: input.backend)
    }

    public var settings: [String: JSONValue] {
        ["mean": .array(mean.map { .number(Double($0)) }), "variance": .array(variance.map { .number(Double($0)) })]
    }
}

/// Keras's `BatchNormalization` over the channel (last) axis, defaults momentum 0.99 and
/// ε 1e-3. In training — and only when the layer and every layer around it are trainable, as
/// in Keras — it normalises with the batch statistics and updates the moving ones; otherwise
/// it runs in inference mode.
public final class BatchNormalization: Layer {
    public var className: String { "BatchNormalization" }
    public var name: String
    public var trainable = true
    public let momentum: Float
    public let epsilon: Float
    public private(set) var weights: [Weight] = []

    public init(momentum: Float = 0.99, epsilon: Float = 1e-3, name: String = "batch_normalization") {
        self.momentum = momentum
        self.epsilon = epsilon
        self.name = name
    }

    public convenience init(name: String, settings: LayerSettings) throws {
        self.init(momentum: Float(try settings.number("momentum", default: 0.99)),
                  epsilon: Float(try settings.number("epsilon", default: 1e-3)), name: name)
    }

    public func build(inputShape: [Int], initializer: inout WeightInitializer) throws -> [Int] {
        guard let channels = inputShape.last, channels > 0 else {
            throw ModelConfigurationError.incompatibleInput(layer: name, inputShape: inputShape, expected: "a channel axis")
        }
        weights = [Weight(name: "gamma", value: Tensor(shape: [channels], repeating: 1)),
                   Weight(name: "beta", value: Tensor(zeros: [channels])),
                   Weight(name: "moving_mean", value: Tensor(zeros: [channels]), isTrainableKind: false),
                   Weight(name: "moving_variance", value: Tensor(shape: [channels], repeating: 1), isTrainableKind: false)]
        return inputShape
    }

    public func callAsFunction(_ input: Variable, context: inout ForwardContext) -> Variable {
        var movingMean = weights[2].value, movingVariance = weights[3].value
        let training = context.training && context.layerIsTrainable
        // Statistics over every axis but the last (the op's convention).
        let output = batchNormalization(input, scale: weights[0].variable, offset: weights[1].variable,
                                        movingMean: &movingMean, movingVariance: &movingVariance, training: training,
                                        momentum: momentum, epsilon: epsilon)
        if training { (weights[2].value, weights[3].value) = (movingMean, movingVariance) }
        return output
    }

    public var settings: [String: JSONValue] { ["momentum": .number(Double(momentum)), "epsilon": .number(Double(epsilon))] }
}
