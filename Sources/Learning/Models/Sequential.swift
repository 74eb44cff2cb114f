import Tensors

/// Keras's `Sequential`: layers applied one after the other to inputs of a fixed shape.
///
/// The model is built when it is made: every layer gets its weights (seeded, so a seed gives
/// the same model everywhere) and its output shape. Layer names are made unique the way
/// Keras names layers: a second `dense` becomes `dense_1`. A `Sequential` is itself a layer,
/// so a pretrained base nests inside a model (its weights' paths then start with its name).
public final class Sequential: Model {
    public var className: String { "Sequential" }
    public var name: String
    public var trainable = true
    public let layers: [any Layer]
    public let inputShape: [Int]
    /// Each layer's output shape (without the batch dimension), in order.
    public let outputShapes: [[Int]]
    public var weights: [Weight] { [] }
    public var compilation: Compilation?

    public init(name: String = "sequential", inputShape: [Int], layers: [any Layer], seed: UInt64 = 0) throws {
        guard !inputShape.isEmpty, inputShape.allSatisfy({ $0 > 0 }) else {
            throw ModelConfigurationError.incompatibleInput(layer: name, inputShape: inputShape, expected: "positive extents")
        }
        self.name = name
        self.inputShape = inputShape
        self.layers = layers
        makeNamesUnique(layers)
        var initializer = WeightInitializer(seed: seed)
        var shape = inputShape
        var shapes: [[Int]] = []
        for layer in layers {
            shape = try layer.build(inputShape: shape, initializer: &initializer)
            shapes.append(shape)
        }
        outputShapes = shapes
    }

    public var outputShape: [Int] { outputShapes.last ?? inputShape }

    /// As a nested layer: already built, so it only checks that the input fits.
    public func build(inputShape: [Int], initializer: inout WeightInitializer) throws -> [Int] {
        guard inputShape == self.inputShape else {
            throw ModelConfigurationError.incompatibleInput(layer: name, inputShape: inputShape, expected: "\(self.inputShape)")
        }
        return outputShape
    }

    public func callAsFunction(_ input: Variable, context: inout ForwardContext) -> Variable {
        callAsFunction(input, layersIn: layers.indices, context: &context)
    }

    /// The layers in `range` only: `input` is what the layer before the range produced.
    func callAsFunction(_ input: Variable, layersIn range: Range<Int>, context: inout ForwardContext) -> Variable {
        var x = input
        context.runLayers(layers, in: range) { _, layer, context in x = layer(x, context: &context) }
        return x
    }

    public var settings: [String: JSONValue] {
        ["input_shape": JSONValue(inputShape), "layers": .array(layers.map { .object($0.configuration.jsonObject) })]
    }
}

extension LayerConfiguration {
    /// The configuration as a JSON object (`class_name` and `config`).
    var jsonObject: [String: JSONValue] {
        ["class_name": .string(className), "config": .object(settingsWithName)]
    }

    var settingsWithName: [String: JSONValue] {
        var config = settings
        config["name"] = .string(name)
        config["trainable"] = .bool(trainable)
        return config
    }
}
