/// RMSprop as Keras implements it (`keras.optimizers.RMSprop`; defaults lr 1e-3, ρ 0.9,
/// no momentum, ε 1e-7, not centered).
///
/// v ← ρv + (1 − ρ)g²; Δ = lr·g / √(v + ε) — ε *inside* the root, unlike PyTorch's
/// lr·g / (√v + ε). Centered: a ← ρa + (1 − ρ)g and Δ = lr·g / √(v − a² + ε). With momentum
/// μ: s ← μs + Δ, θ ← θ − s; otherwise θ ← θ − Δ.
public final class RMSprop: Optimizer {
    public var rho: Float
    /// Fixed at creation: it decides which slots the optimizer keeps.
    public let momentum: Float
    public var epsilon: Float
    public let centered: Bool

    public init(learningRate: Float = 1e-3, rho: Float = 0.9, momentum: Float = 0, epsilon: Float = 1e-7,
                centered: Bool = false, weightDecay: WeightDecay? = nil, clipping: GradientClipping? = nil,
                schedule: (any LearningRateSchedule)? = nil) {
        self.rho = rho
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered
        super.init(learningRate: learningRate, weightDecay: weightDecay, clipping: clipping, schedule: schedule)
    }

    /// Keras's slot names; the optional ones exist only when their feature is on.
    public override var slotNames: [String] {
        ["velocity"] + (momentum > 0 ? ["momentum"] : []) + (centered ? ["average_gradient"] : [])
    }

    public override func apply(to parameter: inout Tensor, gradient: Tensor, slots: inout [String: Tensor],
                               learningRate: Float, step: Int, backend: any Backend) {
        var average = slots.removeValue(forKey: "average_gradient")
        var accumulated = slots.removeValue(forKey: "momentum")
        var velocity = slots.removeValue(forKey: "velocity")!
        backend.rmspropUpdate(parameter: &parameter, gradient: gradient, velocity: &velocity,
                              averageGradient: &average, momentumState: &accumulated, learningRate: learningRate,
                              rho: rho, momentum: momentum, epsilon: epsilon)
        slots["velocity"] = velocity
        slots["average_gradient"] = average
        slots["momentum"] = accumulated
    }
}
