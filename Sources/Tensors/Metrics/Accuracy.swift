// Classification metrics over `[batch, classes]` predictions (probabilities or logits: only
// their order matters). Each returns the fraction of the batch that is correct; a running
// epoch value is the sum of fraction × batch size over batches, divided by the samples seen.

/// Keras's `sparse_categorical_accuracy`: the arg-max (the first, on ties) equals the label.
public func sparseCategoricalAccuracy(predictions: Tensor, labels: [Int]) -> Float {
    fractionCorrect(predictions, labels: labels) { row, label in argmax(row) == label }
}

/// Keras's `categorical_accuracy`: the arg-max of the predictions equals that of the targets.
public func categoricalAccuracy(predictions: Tensor, targets: Tensor) -> Float {
    precondition(targets.shape == predictions.shape, "targets \(targets.shape) and predictions \(predictions.shape) differ")
    let classes = targets.shape[1]
    let scalars = targets.scalars
    let labels = (0..<targets.shape[0]).map { argmax(scalars[($0 * classes)..<(($0 + 1) * classes)]) }
    return sparseCategoricalAccuracy(predictions: predictions, labels: labels)
}

/// Keras's `sparse_top_k_categorical_accuracy` (default k = 5): the label's score is among the
/// k largest. Ties at the boundary count as inside, as TensorFlow's `in_top_k`: the label is
/// correct when fewer than k classes score strictly higher.
public func sparseTopKCategoricalAccuracy(predictions: Tensor, labels: [Int], k: Int = 5) -> Float {
    precondition(k > 0, "k must be positive, got \(k)")
    return fractionCorrect(predictions, labels: labels) { row, label in
        let score = row[row.startIndex + label]
        return row.lazy.filter { $0 > score }.count < k
    }
}

private func fractionCorrect(_ predictions: Tensor, labels: [Int],
                             _ isCorrect: (ArraySlice<Float>, Int) -> Bool) -> Float {
    precondition(predictions.rank == 2, "predictions must be [batch, classes], got \(predictions.shape)")
    let (batch, classes) = (predictions.shape[0], predictions.shape[1])
    precondition(labels.count == batch && batch > 0, "\(labels.count) labels for a batch of \(batch)")
    let scalars = predictions.scalars
    let correct = labels.enumerated().filter { row, label in
        precondition((0..<classes).contains(label), "label \(label) is outside 0..<\(classes)")
        return isCorrect(scalars[(row * classes)..<((row + 1) * classes)], label)
    }.count
    return Float(correct) / Float(batch)
}

private func argmax(_ row: ArraySlice<Float>) -> Int {
    var best = row.startIndex
    for i in row.indices where row[i] > row[best] { best = i }
    return best - row.startIndex
}
