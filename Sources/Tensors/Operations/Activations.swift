/// max(x, 0), elementwise.
public func relu(_ x: Variable) -> Variable {
    let backend = x.backend, input = x.value
    return Variable.result(backend.relu(input), of: [x]) { gradient in
        [backend.reluBackward(gradient, input: input)]
    }
}

/// exp(x) / Σ exp(x) over the last dimension, computed with the maximum subtracted.
///
/// For training a classifier use `sparseCategoricalCrossentropy(logits:labels:)` on the
/// logits instead of this followed by a log: it is exact where this underflows.
public func softmax(_ x: Variable) -> Variable {
    let backend = x.backend
    let output = backend.softmax(x.value)
    return Variable.result(output, of: [x]) { gradient in
        [backend.softmaxBackward(gradient, output: output)]
    }
}
