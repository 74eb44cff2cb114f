import Tensors

/// A model: a container of layers with one input shape and one output, that can be compiled
/// and trained (`compile`, `fit`, `evaluate`, `predict`).
public protocol Model: LayerContainer {
    /// The input shape without the batch dimension (`[28, 28, 1]`).
    var inputShape: [Int] { get }
    /// The output shape without the batch dimension.
    var outputShape: [Int] { get }
    /// Each layer's output shape, in `layers` order.
    var outputShapes: [[Int]] { get }
    /// Set by `compile`.
    var compilation: Compilation? { get set }
    /// For each layer, the names of the layers it takes its input from, when the model is a
    /// graph; nil when each layer takes the previous one's output (`Sequential`).
    var connections: [[String]]? { get }
}

/// Renames repeated layer names the way Keras names layers: a second `dense` becomes `dense_1`.
func makeNamesUnique(_ layers: [any Layer]) {
    var used: Set<String> = []
    for layer in layers {
        if used.contains(layer.name) {
            let base = layer.name
            layer.name = (1...).lazy.map { "\(base)_\($0)" }.first { !used.contains($0) }!
        }
        used.insert(layer.name)
    }
}

extension ForwardContext {
    /// Runs `body` for each layer of a model with the layer's trainability (its flag and its
    /// ancestors') and random stream (derived by its position) in place, then restores them.
    /// `range` runs part of the model, each layer still keyed by its position in the whole.
    mutating func runLayers(_ layers: [any Layer], in range: Range<Int>? = nil,
                            _ body: (Int, any Layer, inout ForwardContext) -> Void) {
        let (outerTrainable, outerKey) = (layerIsTrainable, layerKey)
        defer { (layerIsTrainable, layerKey) = (outerTrainable, outerKey) }
        for index in range ?? layers.indices {
            let layer = layers[index]
            layerIsTrainable = outerTrainable && layer.trainable
            layerKey = outerKey.derived(index)
            body(index, layer, &self)
        }
    }
}

extension Model {
    public var connections: [[String]]? { nil }

    /// Every weight with its dotted path (`conv2d.kernel`, `vgg16.block1_conv1.bias`), in order.
    public var namedWeights: [(path: String, weight: Weight)] {
        layers.flatMap { $0.namedWeights(prefix: "", ancestorsTrainable: trainable) }.map { ($0.path, $0.weight) }
    }

    /// The weights that train now: trainable kind, in trainable layers inside trainable models.
    public var trainableWeights: [Weight] {
        layers.flatMap { $0.namedWeights(prefix: "", ancestorsTrainable: trainable) }.filter(\.trainable).map(\.weight)
    }

    /// Sets every weight's `requiresGradient` from the trainable flags, so that a frozen
    /// layer records no backward pass. The fit loop calls it at every step.
    func synchronizeTrainability() {
        for (_, weight, trainable) in layers.flatMap({ $0.namedWeights(prefix: "", ancestorsTrainable: self.trainable) }) {
            weight.variable.requiresGradient = trainable
        }
    }

    /// The layer with this name, searched through nested models too.
    public func layer(named name: String) -> (any Layer)? {
        for layer in layers {
            if layer.name == name { return layer }
            if let nested = layer as? any Model, let found = nested.layer(named: name) { return found }
        }
        return nil
    }

    /// The model's output for a batch `[batch] + inputShape`.
    public func callAsFunction(_ input: Tensor, training: Bool = false) -> Tensor {
        precondition(Array(input.shape.dropFirst()) == inputShape, "input shape \(input.shape) does not fit \(inputShape)")
        var context = ForwardContext(training: training)
        guard training else { return withoutGradientRecording { self(Variable(input), context: &context).value } }
        return self(Variable(input), context: &context).value
    }
}
