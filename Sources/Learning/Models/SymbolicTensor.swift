import Tensors

/// A tensor of a functional model under construction: the model's input, or a layer applied
/// to other symbolic tensors. Nothing is computed: it records the graph that
/// `Functional(inputs:outputs:)` builds (Keras's `KerasTensor`).
///
///     let input = Input(shape: [32, 32, 3])
///     let x = Conv2D(filters: 16, kernelSize: (3, 3), padding: .same, activation: .relu)(input)
///     let y = Conv2D(filters: 16, kernelSize: (3, 3), padding: .same)(x)
///     let output = Dense(units: 10, activation: .softmax)(Flatten()(Add()([x, y])))
///     let model = try Functional(inputs: input, outputs: output)
public final class SymbolicTensor {
    /// The layer that produces it (an `InputLayer` for the model's input).
    public let layer: any Layer
    /// The tensors the layer is applied to; empty for an input.
    public let inputs: [SymbolicTensor]

    init(layer: any Layer, inputs: [SymbolicTensor]) {
        self.layer = layer
        self.inputs = inputs
    }
}

/// A functional model's input of `shape` (batch dimension excluded): Keras's `keras.Input`.
public func Input(shape: [Int], name: String = "input_1") -> SymbolicTensor {
    SymbolicTensor(layer: InputLayer(shape: shape, name: name), inputs: [])
}

extension Layer {
    /// The layer applied to a symbolic tensor (`Dense(units: 10)(x)`).
    public func callAsFunction(_ input: SymbolicTensor) -> SymbolicTensor {
        SymbolicTensor(layer: self, inputs: [input])
    }
}

extension MergeLayer {
    /// The merge applied to symbolic tensors (`Add()([x, shortcut])`).
    public func callAsFunction(_ inputs: [SymbolicTensor]) -> SymbolicTensor {
        SymbolicTensor(layer: self, inputs: inputs)
    }
}

/// Keras's `InputLayer`: where a functional model's input enters; the identity.
public final class InputLayer: Layer {
    public var className: String { "InputLayer" }
    public var name: String
    public var trainable = true
    public let shape: [Int]
    public var weights: [Weight] { [] }

    public init(shape: [Int], name: String = "input_1") {
        self.shape = shape
        self.name = name
    }

    /// Keras 2's configuration: `batch_input_shape` with a null batch dimension.
    public convenience init(name: String, settings: LayerSettings) throws {
        guard let items = settings.values["batch_input_shape"]?.arrayValue, items.count >= 2,
              items.first == .null else {
            throw settings.invalid("batch_input_shape", "a list [null, extent, …]")
        }
        let shape = items.dropFirst().compactMap { $0.doubleValue.flatMap { Int(exactly: $0) } }
        guard shape.count == items.count - 1, shape.allSatisfy({ $0 > 0 }) else {
            throw settings.invalid("batch_input_shape", "positive integer extents after the null batch dimension")
        }
        self.init(shape: shape, name: name)
    }

    public func build(inputShape: [Int], initializer: inout WeightInitializer) throws -> [Int] {
        guard inputShape == shape else {
            throw ModelConfigurationError.incompatibleInput(layer: name, inputShape: inputShape, expected: "\(shape)")
        }
        return shape
    }

    public func callAsFunction(_ input: Variable, context: inout ForwardContext) -> Variable { input }

    public var settings: [String: JSONValue] {
        ["batch_input_shape": .array([.null] + shape.map { .number(Double($0)) }), "dtype": .string("float32")]
    }
}
