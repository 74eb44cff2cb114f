/// In-place parameter updates. Each is one fused pass over a parameter and its state, so a
/// device backend keeps everything on the device.
public protocol OptimizerKernels {
    /// Adam in either epsilon placement, as one formula:
    /// m ← m + (g − m)(1 − β1), v ← v + (g² − v)(1 − β2),
    /// θ ← θ − stepSize · m / (√v / secondMomentCorrection + ε).
    /// Keras passes stepSize = lr·√(1 − β2ᵗ)/(1 − β1ᵗ) and correction 1 (ε is added to √v
    /// before the bias correction, "epsilon hat"); PyTorch passes lr/(1 − β1ᵗ) and
    /// correction √(1 − β2ᵗ) (ε added to √v̂).
    func adamUpdate(parameter: inout Tensor, gradient: Tensor, firstMoment: inout Tensor,
                    secondMoment: inout Tensor, stepSize: Float, beta1: Float, beta2: Float, epsilon: Float,
                    secondMomentCorrection: Float)

    /// Keras's SGD. Without momentum state θ ← θ − lr·g; with it
    /// v ← μv − lr·g, then θ ← θ + v, or θ ← θ + μv − lr·g when `nesterov`.
    func sgdUpdate(parameter: inout Tensor, gradient: Tensor, velocity: inout Tensor?, learningRate: Float,
                   momentum: Float, nesterov: Bool)

    /// Keras's RMSprop: v ← ρv + (1 − ρ)g²; centered: a ← ρa + (1 − ρ)g, d = v − a² + ε,
    /// else d = v + ε (ε inside the root); Δ = lr·g/√d; with momentum state
    /// μ-state ← μ·state + Δ, θ ← θ − state, else θ ← θ − Δ.
    func rmspropUpdate(parameter: inout Tensor, gradient: Tensor, velocity: inout Tensor,
                       averageGradient: inout Tensor?, momentumState: inout Tensor?, learningRate: Float,
                       rho: Float, momentum: Float, epsilon: Float)

    /// Σ x², accumulated in double precision (for clipping by norm).
    func sumOfSquares(_ x: Tensor) -> Double

    /// Every scalar clamped to [−limit, limit].
    func clip(_ x: Tensor, magnitude limit: Float) -> Tensor
}
