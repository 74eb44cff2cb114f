import Tensors

/// What a frozen front of a model computes from each sample, kept after the first time: when
/// a `Sequential`'s first layers have no trainable weights and nothing random (a frozen
/// pretrained base behind its preprocessing) and the data gives every sample the same image
/// each epoch (no augmentation), their output for a sample never changes. The first epoch
/// computes it; later epochs run only the layers after it (Keras's lesson does this by hand
/// with `conv_base.predict`).
///
/// The cache follows the trainable flags: when they change the frozen front (unfreezing for
/// fine-tuning), it starts over with the new front, or stops when there is none.
final class FeatureCache {
    let model: Sequential
    /// Layers `0..<frontCount` are the cached front.
    private(set) var frontCount = 0
    private var rows: [Int: [Float]] = [:]
    private var storedScalars = 0
    /// Beyond this many cached values, further samples are computed every epoch.
    private let capacityInScalars: Int

    /// Caches for `source` if it repeats its samples, up to `limitInBytes` of features.
    init?(model: any Model, source: any BatchSource, limitInBytes: Int = 4 << 30) {
        guard let model = model as? Sequential, source.repeatsSamples else { return nil }
        self.model = model
        capacityInScalars = limitInBytes / MemoryLayout<Float>.size
        guard update() else { return nil }
    }

    /// The frozen front's length now; resets the cache when it changed. False when there is
    /// nothing worth caching (no frozen weights in front).
    @discardableResult
    func update() -> Bool {
        var count = 0
        while count < model.layers.count - 1 && Self.isFixed(model.layers[count], within: model.trainable) { count += 1 }
        // Trailing layers without frozen parameters (a pooling after the base) are cheap: stop
        // after the last one that has some. A front without any (a Normalization's statistics
        // alone) is not worth a copy of every image.
        while count > 0 && !Self.holdsFrozenParameters(model.layers[count - 1]) { count -= 1 }
        if count != frontCount {
            frontCount = count
            rows = [:]
            storedScalars = 0
        }
        return frontCount > 0
    }

    var frontDescription: String {
        let names = model.layers[..<frontCount].map(\.name)
        return names.count == 1 ? names[0] : "\(names.first!) … \(names.last!)"
    }

    /// The front's output for `batch`: cached rows, with the missing ones computed (in one
    /// pass over the batch, without recording gradients) and kept.
    func features(of batch: LabeledBatch, context: inout ForwardContext) -> Variable {
        let shape = model.outputShapes[frontCount - 1]
        let size = shape.reduce(1, *)
        guard let indices = batch.sampleIndices, indices.allSatisfy({ rows[$0] != nil }) else {
            let computed = withoutGradientRecording {
                model(Variable(batch.images), layersIn: 0..<frontCount, context: &context)
            }.value
            if let indices = batch.sampleIndices, storedScalars + indices.count * size <= capacityInScalars {
                let scalars = computed.scalars
                for (row, sample) in indices.enumerated() { rows[sample] = Array(scalars[(row * size)..<((row + 1) * size)]) }
                storedScalars += indices.count * size
            }
            return Variable(computed)
        }
        var scalars: [Float] = []
        scalars.reserveCapacity(indices.count * size)
        for sample in indices { scalars += rows[sample]! }
        return Variable(Tensor(shape: [indices.count] + shape, scalars: scalars))
    }

    /// Whether the layer has weights of a trainable kind (kernels, not moving statistics).
    static func holdsFrozenParameters(_ layer: any Layer) -> Bool {
        layer.namedWeights(prefix: "", ancestorsTrainable: true).contains { $0.weight.isTrainableKind }
    }

    /// A layer whose output depends on its input only: no trainable weight (within trainable
    /// ancestors) and no randomness (dropout), nested models included.
    static func isFixed(_ layer: any Layer, within trainable: Bool) -> Bool {
        if layer is Dropout { return false }
        if let container = layer as? any LayerContainer {
            return container.layers.allSatisfy { isFixed($0, within: trainable && layer.trainable) }
        }
        return !(trainable && layer.trainable && layer.weights.contains(where: \.isTrainableKind))
    }
}
