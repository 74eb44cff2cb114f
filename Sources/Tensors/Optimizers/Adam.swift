import Foundation

/// Adam, by default in Keras's form with Keras's defaults (`keras.optimizers.Adam`).
///
/// With t the 1-based step: m ← m + (g − m)(1 − β1), v ← v + (g² − v)(1 − β2), then
/// - `.keras`: θ ← θ − α · m / (√v + ε̂), α = lr · √(1 − β2ᵗ) / (1 − β1ᵗ). Keras adds ε
///   ("epsilon hat") to √v *before* the bias correction of v;
/// - `.pytorch`: θ ← θ − lr · m̂ / (√v̂ + ε), m̂ = m / (1 − β1ᵗ), v̂ = v / (1 − β2ᵗ)
///   (`torch.optim.Adam`, whose default ε is 1e-8: pass it explicitly).
/// The two agree only when ε_keras = ε_torch · √(1 − β2ᵗ).
public class Adam: Optimizer {
    /// Where ε enters the denominator.
    public enum EpsilonPlacement: Sendable {
        case keras, pytorch
    }

    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float
    public var epsilonPlacement: EpsilonPlacement

    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7,
                epsilonPlacement: EpsilonPlacement = .keras, weightDecay: WeightDecay? = nil,
                clipping: GradientClipping? = nil, schedule: (any LearningRateSchedule)? = nil) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.epsilonPlacement = epsilonPlacement
        super.init(learningRate: learningRate, weightDecay: weightDecay, clipping: clipping, schedule: schedule)
    }

    /// Keras's names: the first moment is `momentum`, the second `velocity`.
    public override var slotNames: [String] { ["momentum", "velocity"] }

    public override func apply(to parameter: inout Tensor, gradient: Tensor, slots: inout [String: Tensor],
                               learningRate: Float, step: Int, backend: any Backend) {
        let t = Double(step)
        let firstCorrection = 1 - pow(Double(beta1), t)
        let secondCorrection = (1 - pow(Double(beta2), t)).squareRoot()
        let (stepSize, denominatorCorrection) = switch epsilonPlacement {
        case .keras: (Double(learningRate) * secondCorrection / firstCorrection, 1.0)
        case .pytorch: (Double(learningRate) / firstCorrection, secondCorrection)
        }
        // Taken out of the dictionary so that each is uniquely referenced while written.
        var firstMoment = slots.removeValue(forKey: "momentum")!, secondMoment = slots.removeValue(forKey: "velocity")!
        backend.adamUpdate(parameter: &parameter, gradient: gradient, firstMoment: &firstMoment,
                           secondMoment: &secondMoment, stepSize: Float(stepSize), beta1: beta1, beta2: beta2,
                           epsilon: epsilon, secondMomentCorrection: Float(denominatorCorrection))
        (slots["momentum"], slots["velocity"]) = (firstMoment, secondMoment)
    }
}

/// Adam with decoupled weight decay (Loshchilov & Hutter 2019), Keras's `AdamW` defaults:
/// weight decay 0.004, applied as θ ← θ − θ·λ·lr before the Adam step. PyTorch's `AdamW`
/// is the same update with λ = 0.01, ε = 1e-8 and `.pytorch` placement.
public final class AdamW: Adam {
    public init(learningRate: Float = 1e-3, weightDecay: Float = 0.004, beta1: Float = 0.9, beta2: Float = 0.999,
                epsilon: Float = 1e-7, epsilonPlacement: EpsilonPlacement = .keras,
                clipping: GradientClipping? = nil, schedule: (any LearningRateSchedule)? = nil) {
        super.init(learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                   epsilonPlacement: epsilonPlacement, weightDecay: .decoupled(weightDecay), clipping: clipping,
                   schedule: schedule)
    }
}
