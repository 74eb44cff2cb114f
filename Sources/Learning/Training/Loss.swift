import Tensors

/// The classification losses `compile` accepts, Keras's names and defaults. Labels are
/// class indices; the categorical forms one-hot them, or take a batch's soft labels (mixed
/// images) as they are. The sparse form has no soft-label meaning and refuses them.
///
/// When the model ends in a softmax and `fromLogits` is false, the loss is computed from the
/// softmax's input (exact, no 1e-7 clipping), as Keras's TensorFlow backend does.
public enum Loss: Sendable, Equatable {
    case sparseCategoricalCrossentropy(fromLogits: Bool = false)
    case categoricalCrossentropy(fromLogits: Bool = false, labelSmoothing: Float = 0)

    /// Keras's name (the history key is always `loss`).
    public var name: String {
        switch self {
        case .sparseCategoricalCrossentropy: "sparse_categorical_crossentropy"
        case .categoricalCrossentropy: "categorical_crossentropy"
        }
    }

    /// The batch loss with Keras's `sum_over_batch_size` reduction: Σ wᵢ·lossᵢ / batch, where
    /// wᵢ is the sample's class weight (1 without class weights) — with soft labels, the weight
    /// of the row's largest share, as Keras weights a sample by one class.
    func value(output: Variable, logits: Variable?, labels: [Int], softLabels: Tensor? = nil,
               sampleWeights: [Float]?) throws -> Variable {
        let classes = output.shape[1]
        let (fromLogits, smoothing): (Bool, Float) = switch self {
        case .sparseCategoricalCrossentropy(let fromLogits): (fromLogits, 0)
        case .categoricalCrossentropy(let fromLogits, let labelSmoothing): (fromLogits, labelSmoothing)
        }
        if softLabels != nil, case .sparseCategoricalCrossentropy = self { throw TrainingError.softLabelsNeedCategoricalLoss }
        let scores = fromLogits ? output : logits
        if let scores, sampleWeights == nil, smoothing == 0, softLabels == nil {
            return Tensors.sparseCategoricalCrossentropy(logits: scores, labels: labels)
        }
        var targets = softLabels ?? oneHot(labels, classes: classes)
        if smoothing > 0 {
            targets = Tensor(shape: targets.shape, scalars: targets.scalars.map { $0 * (1 - smoothing) + smoothing / Float(classes) })
        }
        if let sampleWeights {
            var scaled = targets.scalars
            for (row, weight) in sampleWeights.enumerated() {
                for column in 0..<classes { scaled[row * classes + column] *= weight }
            }
            targets = Tensor(shape: targets.shape, scalars: scaled)
        }
        if let scores { return Tensors.categoricalCrossentropy(logits: scores, targets: targets) }
        return Tensors.categoricalCrossentropy(probabilities: output, targets: targets)
    }
}

/// The metrics `compile` accepts, each with the history key Keras gives it.
public enum Metric: Sendable, Equatable, Hashable {
    /// `"accuracy"`: the arg-max equals the label.
    case accuracy
    /// `sparse_top_k_categorical_accuracy`: the label is among the k best scores.
    case topKAccuracy(k: Int)

    public var name: String {
        switch self {
        case .accuracy: "accuracy"
        case .topKAccuracy(let k): k == 5 ? "sparse_top_k_categorical_accuracy" : "top_\(k)_accuracy"
        }
    }

    /// The fraction of the batch that is correct.
    func value(predictions: Tensor, labels: [Int]) -> Float {
        switch self {
        case .accuracy: sparseCategoricalAccuracy(predictions: predictions, labels: labels)
        case .topKAccuracy(let k): sparseTopKCategoricalAccuracy(predictions: predictions, labels: labels, k: k)
        }
    }
}

/// What `compile` fixed: the optimizer, the loss and the metrics.
public struct Compilation {
    public var optimizer: Optimizer
    public var loss: Loss
    public var metrics: [Metric]

    public init(optimizer: Optimizer, loss: Loss, metrics: [Metric]) {
        self.optimizer = optimizer
        self.loss = loss
        self.metrics = metrics
    }
}
