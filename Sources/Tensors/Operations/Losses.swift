/// Keras's `sparse_categorical_crossentropy(from_logits=True)` with its default
/// `sum_over_batch_size` reduction: the mean over the batch of −log softmax(logits)[label].
///
/// - Parameters:
///   - logits: `[batch, classes]` unnormalised scores.
///   - labels: one class index in `0..<classes` per row.
/// - Returns: a scalar (shape `[]`).
public func sparseCategoricalCrossentropy(logits: Variable, labels: [Int]) -> Variable {
    precondition(logits.shape.count == 2, "logits must be [batch, classes], got \(logits.shape)")
    let (batch, classes) = (logits.shape[0], logits.shape[1])
    precondition(batch > 0, "cross-entropy of an empty batch")
    precondition(labels.count == batch, "\(labels.count) labels for a batch of \(batch)")
    if let bad = labels.first(where: { !(0..<classes).contains($0) }) {
        preconditionFailure("label \(bad) is outside 0..<\(classes)")
    }
    let backend = logits.backend
    let (loss, logitsGradient) = backend.sparseSoftmaxCrossEntropy(logits: logits.value, labels: labels)
    return Variable.result(Tensor(loss), of: [logits]) { gradient in
        [backend.scale(logitsGradient, by: gradient.scalar)]
    }
}
