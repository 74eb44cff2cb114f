import Tensors

/// Keras's `Dense`: `activation(x · kernel + bias)` on `[batch, features]` input, kernel
/// `[features, units]` (glorot-uniform), bias zeros.
public final class Dense: Layer {
    public var className: String { "Dense" }
    public var name: String
    public var trainable = true
    public let units: Int
    public let activation: ActivationFunction
    public let usesBias: Bool
    public private(set) var weights: [Weight] = []

    public init(units: Int, activation: ActivationFunction = .linear, usesBias: Bool = true, name: String = "dense") {
        precondition(units > 0, "Dense needs a positive number of units, got \(units)")
        self.units = units
        self.activation = activation
        self.usesBias = usesBias
        self.name = name
    }

    public convenience init(name: String, settings: LayerSettings) throws {
        self.init(units: try settings.integer("units"), activation: try settings.choice("activation", default: .linear),
                  usesBias: try settings.bool("use_bias", default: true), name: name)
    }

    public func build(inputShape: [Int], initializer: inout WeightInitializer) throws -> [Int] {
        guard inputShape.count == 1, let features = inputShape.first, features > 0 else {
            throw ModelConfigurationError.incompatibleInput(layer: name, inputShape: inputShape,
                                                            expected: "[features] (add a Flatten layer before Dense)")
        }
        weights = [Weight(name: "kernel", value: initializer.glorotUniform(shape: [features, units], fanIn: features, fanOut: units))]
        if usesBias { weights.append(Weight(name: "bias", value: Tensor(zeros: [units]))) }
        return [units]
    }

    public func callAsFunction(_ input: Variable, context: inout ForwardContext) -> Variable {
        let output = matmul(input, weights[0].variable, bias: usesBias ? weights[1].variable : nil)
        return activation.apply(output, context: &context)
    }

    public var settings: [String: JSONValue] {
        ["units": .number(Double(units)), "activation": .string(activation.rawValue), "use_bias": .bool(usesBias)]
    }
}
