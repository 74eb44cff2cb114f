/// Weight decay, in the two forms the reference frameworks use.
public enum WeightDecay: Equatable, Sendable {
    /// θ ← θ − θ·λ·lr before the update: decoupled from the gradient (Loshchilov & Hutter).
    /// Keras's `weight_decay` for every optimizer, and PyTorch's `AdamW`.
    case decoupled(Float)
    /// g ← g + λ·θ: an L2 penalty folded into the gradient (after clipping), PyTorch's
    /// `weight_decay` for `SGD`, `Adam` and `RMSprop`.
    case l2(Float)
}

/// Gradient clipping before weight decay and the update, as Keras's optimizer arguments.
public enum GradientClipping: Equatable, Sendable {
    /// Each parameter's gradient scaled to an L2 norm of at most the limit (`clipnorm`).
    case norm(Float)
    /// All gradients scaled together so that their joint L2 norm is at most the limit
    /// (`global_clipnorm`; PyTorch's `clip_grad_norm_`).
    case globalNorm(Float)
    /// Every scalar clamped to [−limit, limit] (`clipvalue`).
    case value(Float)

    /// The clipped gradients. Scaling is g · limit / max(norm, limit), Keras's form (no
    /// change while the norm is within the limit).
    func clip(_ gradients: [Tensor], backends: [any Backend]) -> [Tensor] {
        switch self {
        case .value(let limit):
            return zip(gradients, backends).map { $1.clip($0, magnitude: limit) }
        case .norm(let limit):
            return zip(gradients, backends).map { gradient, backend in
                Self.scale(gradient, norm: backend.sumOfSquares(gradient).squareRoot(), limit: limit, backend)
            }
        case .globalNorm(let limit):
            let norm = zip(gradients, backends).reduce(0) { $0 + $1.1.sumOfSquares($1.0) }.squareRoot()
            return zip(gradients, backends).map { Self.scale($0, norm: norm, limit: limit, $1) }
        }
    }

    private static func scale(_ gradient: Tensor, norm: Double, limit: Float, _ backend: any Backend) -> Tensor {
        norm <= Double(limit) ? gradient : backend.scale(gradient, by: Float(Double(limit) / norm))
    }
}
