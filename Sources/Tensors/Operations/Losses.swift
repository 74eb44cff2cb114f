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

/// Keras's `categorical_crossentropy` from probabilities (`from_logits=False`), mean over the
/// batch: each row of `probabilities` is divided by its sum and clipped to [ε, 1 − ε] with
/// Keras's ε = 1e-7 before the log, so a confident wrong prediction costs at most −log 1e-7 ≈ 16.1.
///
/// - Parameters:
///   - probabilities: `[batch, classes]`, e.g. a softmax output.
///   - targets: `[batch, classes]` one-hot or soft labels.
///   - labelSmoothing: targets become t·(1 − s) + s / classes, as Keras's `label_smoothing`.
public func categoricalCrossentropy(probabilities: Variable, targets: Tensor, labelSmoothing: Float = 0,
                                    epsilon: Float = 1e-7) -> Variable {
    let targets = smoothedTargets(targets, matching: probabilities.shape, labelSmoothing: labelSmoothing)
    let backend = probabilities.backend
    let (loss, gradient) = backend.categoricalCrossentropy(probabilities: probabilities.value, targets: targets,
                                                           epsilon: epsilon)
    return Variable.result(Tensor(loss), of: [probabilities]) { seed in
        [backend.scale(gradient, by: seed.scalar)]
    }
}

/// Keras's `categorical_crossentropy(from_logits=True)`: the batch mean of −Σ t · log softmax(z),
/// with the same label smoothing. No clipping: the logits path is exact.
public func categoricalCrossentropy(logits: Variable, targets: Tensor, labelSmoothing: Float = 0) -> Variable {
    let targets = smoothedTargets(targets, matching: logits.shape, labelSmoothing: labelSmoothing)
    let perExample = sum(Variable(targets, backend: logits.backend) * logSoftmax(logits), alongAxes: [1])
    return mean(perExample) * Variable(Tensor(-1), backend: logits.backend)
}

/// `sparseCategoricalCrossentropy` from probabilities: the categorical loss of one-hot targets
/// (Keras's `from_logits=False`, with the same clipping).
public func sparseCategoricalCrossentropy(probabilities: Variable, labels: [Int]) -> Variable {
    categoricalCrossentropy(probabilities: probabilities, targets: oneHot(labels, classes: probabilities.shape[1]))
}

/// `[labels.count, classes]` with a 1 at each label.
public func oneHot(_ labels: [Int], classes: Int) -> Tensor {
    var result = Tensor(zeros: [labels.count, classes])
    result.withUnsafeMutableBufferPointer { scalars in
        for (row, label) in labels.enumerated() {
            precondition((0..<classes).contains(label), "label \(label) is outside 0..<\(classes)")
            scalars[row * classes + label] = 1
        }
    }
    return result
}

private func smoothedTargets(_ targets: Tensor, matching shape: [Int], labelSmoothing: Float) -> Tensor {
    precondition(shape.count == 2 && shape[0] > 0, "cross-entropy needs a non-empty [batch, classes] input, got \(shape)")
    precondition(targets.shape == shape, "targets have shape \(targets.shape), predictions \(shape)")
    precondition((0...1).contains(labelSmoothing), "label smoothing must lie in [0, 1], got \(labelSmoothing)")
    guard labelSmoothing > 0 else { return targets }
    let share = labelSmoothing / Float(shape[1])
    return Tensor(shape: shape, scalars: targets.scalars.map { $0 * (1 - labelSmoothing) + share })
}
