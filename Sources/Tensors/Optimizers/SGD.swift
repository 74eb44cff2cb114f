/// Stochastic gradient descent as Keras implements it (`keras.optimizers.SGD`, defaults
/// lr 0.01, no momentum).
///
/// Without momentum θ ← θ − lr·g. With momentum μ the velocity v ← μv − lr·g, then
/// θ ← θ + v, or with `nesterov` θ ← θ + μv − lr·g (the new v: Keras's look-ahead form).
/// PyTorch's SGD keeps b ← μb + g and steps by lr·b (or lr·(g + μb)): the same trajectory
/// for a constant learning rate, different when it changes.
public final class SGD: Optimizer {
    /// Fixed at creation: it decides which slots the optimizer keeps.
    public let momentum: Float
    public let nesterov: Bool

    public init(learningRate: Float = 0.01, momentum: Float = 0, nesterov: Bool = false,
                weightDecay: WeightDecay? = nil, clipping: GradientClipping? = nil,
                schedule: (any LearningRateSchedule)? = nil) {
        precondition((0...1).contains(momentum), "momentum must lie in [0, 1], got \(momentum)")
        self.momentum = momentum
        self.nesterov = nesterov
        super.init(learningRate: learningRate, weightDecay: weightDecay, clipping: clipping, schedule: schedule)
    }

    /// Keras keeps a `momentum` slot only when momentum is not 0.
    public override var slotNames: [String] { momentum != 0 ? ["momentum"] : [] }

    public override func apply(to parameter: inout Tensor, gradient: Tensor, slots: inout [String: Tensor],
                               learningRate: Float, step: Int, backend: any Backend) {
        var velocity = slots.removeValue(forKey: "momentum")
        backend.sgdUpdate(parameter: &parameter, gradient: gradient, velocity: &velocity, learningRate: learningRate,
                          momentum: momentum, nesterov: nesterov)
        slots["momentum"] = velocity
    }
}
