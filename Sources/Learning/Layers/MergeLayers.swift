import Tensors

/// A layer that combines several inputs into one (Keras's `Add`, `Concatenate`): the joints
/// of a functional model's skip connections. It is applied to symbolic tensors,
/// `Add()([x, shortcut])`, never on its own in a `Sequential`.
public protocol MergeLayer: Layer {
    /// The output shape for inputs of `inputShapes` (batch dimension excluded); throws when
    /// they do not fit together.
    func build(inputShapes: [[Int]], initializer: inout WeightInitializer) throws -> [Int]
    /// The forward pass on batches of the same size.
    func callAsFunction(_ inputs: [Variable], context: inout ForwardContext) -> Variable
}

extension MergeLayer {
    public func build(inputShape: [Int], initializer: inout WeightInitializer) throws -> [Int] {
        throw ModelConfigurationError.incompatibleInput(layer: name, inputShape: inputShape,
                                                        expected: "two or more inputs (a merge layer joins branches of a functional model)")
    }

    public func callAsFunction(_ input: Variable, context: inout ForwardContext) -> Variable {
        preconditionFailure("merge layer \(name) takes a list of inputs")
    }

    func requireSeveral(_ inputShapes: [[Int]]) throws {
        guard inputShapes.count >= 2 else {
            throw ModelConfigurationError.incompatibleInput(layer: name, inputShape: inputShapes.first ?? [],
                                                            expected: "two or more inputs")
        }
    }
}

/// Keras's `Add`: the element-wise sum of inputs of one shape (a residual connection).
public final class Add: MergeLayer {
    public var className: String { "Add" }
    public var name: String
    public var trainable = true
    public var weights: [Weight] { [] }

    public init(name: String = "add") { self.name = name }

    public func build(inputShapes: [[Int]], initializer: inout WeightInitializer) throws -> [Int] {
        try requireSeveral(inputShapes)
        if let different = inputShapes.first(where: { $0 != inputShapes[0] }) {
            throw ModelConfigurationError.incompatibleInput(layer: name, inputShape: different, expected: "\(inputShapes[0]) like the first input")
        }
        return inputShapes[0]
    }

    public func callAsFunction(_ inputs: [Variable], context: inout ForwardContext) -> Variable {
        inputs.dropFirst().reduce(inputs[0], +)
    }

    public var settings: [String: JSONValue] { [:] }
}

/// Keras's `Concatenate` along `axis` (default the last, the channels); the other extents
/// must agree.
public final class Concatenate: MergeLayer {
    public var className: String { "Concatenate" }
    public var name: String
    public var trainable = true
    public let axis: Int
    public var weights: [Weight] { [] }

    public init(axis: Int = -1, name: String = "concatenate") {
        self.axis = axis
        self.name = name
    }

    public convenience init(name: String, settings: LayerSettings) throws {
        self.init(axis: try settings.integer("axis", default: -1, in: -8...8), name: name)
    }

    public func build(inputShapes: [[Int]], initializer: inout WeightInitializer) throws -> [Int] {
        try requireSeveral(inputShapes)
        let rank = inputShapes[0].count + 1  // with the batch dimension
        let batchAxis = axis < 0 ? axis + rank : axis
        guard (1..<rank).contains(batchAxis) else {
            throw ModelConfigurationError.invalidSetting(layer: name, key: "axis", expected: "an axis of inputs of rank \(rank) other than the batch axis")
        }
        let shapeAxis = batchAxis - 1
        var output = inputShapes[0]
        for shape in inputShapes.dropFirst() {
            let fits = shape.count == output.count
                && shape.indices.allSatisfy { $0 == shapeAxis || shape[$0] == output[$0] }
            guard fits else {
                throw ModelConfigurationError.incompatibleInput(layer: name, inputShape: shape,
                                                                expected: "\(inputShapes[0]) except along axis \(axis)")
            }
            output[shapeAxis] += shape[shapeAxis]
        }
        return output
    }

    public func callAsFunction(_ inputs: [Variable], context: inout ForwardContext) -> Variable {
        concatenate(inputs, alongAxis: axis)
    }

    public var settings: [String: JSONValue] { ["axis": .number(Double(axis))] }
}
