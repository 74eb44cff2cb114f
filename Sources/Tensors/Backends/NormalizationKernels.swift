/// Batch normalization over the last (channel) dimension of a channels-last tensor: the
/// statistics are taken over every other dimension (batch and spatial for NHWC).
public protocol NormalizationKernels {
    /// The per-channel mean and biased variance (divided by the count, as Keras's
    /// `ops.moments` and as the normalisation itself uses).
    func batchMoments(_ x: Tensor) -> (mean: Tensor, variance: Tensor)

    /// γ (x − mean) / √(variance + ε) + β, per channel.
    func batchNormalization(_ x: Tensor, mean: Tensor, variance: Tensor, scale: Tensor, offset: Tensor,
                            epsilon: Float) -> Tensor

    /// The gradients with respect to x, γ and β. With `batchStatistics` the mean and variance
    /// are functions of x (training) and the input gradient includes their contribution;
    /// otherwise they are constants (inference: moving statistics).
    func batchNormalizationBackward(_ outputGradient: Tensor, input: Tensor, mean: Tensor, variance: Tensor,
                                    scale: Tensor, epsilon: Float, batchStatistics: Bool)
        -> (input: Tensor, scale: Tensor, offset: Tensor)

    /// average ← average · momentum + value · (1 − momentum), Keras's moving-statistics update.
    func updateMovingAverage(_ average: inout Tensor, with value: Tensor, momentum: Float)
}
