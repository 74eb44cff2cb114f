/// A pointwise nonlinearity, described so that a backend can pick its kernel (these map
/// one-to-one onto oneDNN's eltwise algorithms and cuDNN's activation modes).
public enum Activation: Equatable, Sendable {
    /// 1 / (1 + e⁻ˣ).
    case sigmoid
    case tanh
    /// x for x ≥ 0, `negativeSlope` · x below.
    case leakyRelu(negativeSlope: Float)
    /// x for x > 0, α(eˣ − 1) below (Clevert et al. 2016).
    case elu(alpha: Float)
    /// x · Φ(x) = ½x(1 + erf(x/√2)) exactly, or Hendrycks & Gimpel's tanh approximation
    /// ½x(1 + tanh(√(2/π)(x + 0.044715x³))) when `approximate`.
    case gelu(approximate: Bool)
}

/// The binary elementwise operations, applied with NumPy broadcasting.
public enum BinaryOperation: Sendable {
    case add, subtract, multiply, divide
}
