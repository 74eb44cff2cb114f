/// Keras's `BatchNormalization` over the last (channel) axis, defaults momentum 0.99 and
/// ε 1e-3: y = γ (x − mean) / √(variance + ε) + β per channel.
///
/// - In training the mean and the biased variance of the batch (over every axis but the
///   last) normalise, and the moving statistics are updated as
///   `moving · momentum + batch · (1 − momentum)` — with the biased variance, as Keras 3
///   does (PyTorch stores the unbiased one and writes its momentum as 1 − Keras's).
/// - In inference the moving statistics normalise and are left alone.
///
/// - Parameters:
///   - scale: γ, shape `[channels]`.
///   - offset: β, shape `[channels]`.
///   - movingMean: updated in training.
///   - movingVariance: updated in training.
public func batchNormalization(_ x: Variable, scale: Variable, offset: Variable, movingMean: inout Tensor,
                               movingVariance: inout Tensor, training: Bool, momentum: Float = 0.99,
                               epsilon: Float = 1e-3) -> Variable {
    let channels = x.shape.last ?? 0
    for (name, shape) in [("scale", scale.shape), ("offset", offset.shape), ("moving mean", movingMean.shape),
                          ("moving variance", movingVariance.shape)] {
        precondition(shape == [channels], "batch normalization \(name) must have shape [\(channels)], got \(shape)")
    }
    let backend = x.backend, input = x.value, gamma = scale.value
    let (mean, variance): (Tensor, Tensor)
    if training {
        (mean, variance) = backend.batchMoments(input)
        backend.updateMovingAverage(&movingMean, with: mean, momentum: momentum)
        backend.updateMovingAverage(&movingVariance, with: variance, momentum: momentum)
    } else {
        (mean, variance) = (movingMean, movingVariance)
    }
    let output = backend.batchNormalization(input, mean: mean, variance: variance, scale: gamma, offset: offset.value,
                                            epsilon: epsilon)
    return Variable.result(output, of: [x, scale, offset]) { gradient in
        let gradients = backend.batchNormalizationBackward(gradient, input: input, mean: mean, variance: variance,
                                                           scale: gamma, epsilon: epsilon, batchStatistics: training)
        return [gradients.input, gradients.scale, gradients.offset]
    }
}
