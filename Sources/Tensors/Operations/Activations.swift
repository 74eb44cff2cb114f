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

/// log softmax over the last dimension: x − logsumexp(x), exact where softmax underflows.
public func logSoftmax(_ x: Variable) -> Variable {
    let backend = x.backend
    let output = backend.logSoftmax(x.value)
    return Variable.result(output, of: [x]) { gradient in
        [backend.logSoftmaxBackward(gradient, output: output)]
    }
}

/// 1 / (1 + e⁻ˣ), elementwise.
public func sigmoid(_ x: Variable) -> Variable { activate(x, .sigmoid) }

/// tanh(x), elementwise.
public func tanh(_ x: Variable) -> Variable { activate(x, .tanh) }

/// x for x ≥ 0, `negativeSlope` · x below. The default 0.2 is `keras.activations.leaky_relu`'s
/// (the `LeakyReLU` layer defaults to 0.3, PyTorch's `LeakyReLU` to 0.01).
public func leakyRelu(_ x: Variable, negativeSlope: Float = 0.2) -> Variable {
    activate(x, .leakyRelu(negativeSlope: negativeSlope))
}

/// x for x > 0, α(eˣ − 1) below; Keras's and PyTorch's default α is 1.
public func elu(_ x: Variable, alpha: Float = 1) -> Variable { activate(x, .elu(alpha: alpha)) }

/// GELU. Exact (x·Φ(x), with erf) by default, as `keras.activations.gelu` (used by
/// `Activation("gelu")`) and PyTorch's `GELU()`; `approximate: true` is the tanh form, which
/// is the default of the lower-level `keras.ops.gelu`.
public func gelu(_ x: Variable, approximate: Bool = false) -> Variable {
    activate(x, .gelu(approximate: approximate))
}

/// `activation` applied elementwise, with its backward pass.
public func activate(_ x: Variable, _ activation: Activation) -> Variable {
    let backend = x.backend, input = x.value
    let output = backend.activation(activation, input)
    return Variable.result(output, of: [x]) { gradient in
        [backend.activationBackward(activation, gradient, input: input, output: output)]
    }
}
