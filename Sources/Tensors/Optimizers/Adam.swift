import Foundation

/// Adam in Keras's form (`keras.optimizers.Adam`), with Keras's defaults.
///
/// With t the 1-based step: m ← m + (g − m)(1 − β1), v ← v + (g² − v)(1 − β2),
/// θ ← θ − α · m / (√v + ε̂), α = lr · √(1 − β2ᵗ) / (1 − β1ᵗ). Keras adds ε ("epsilon hat")
/// to √v *before* the bias correction of v; PyTorch adds its ε after it, so the two differ
/// unless ε_keras = ε_torch · √(1 − β2ᵗ).
public final class Adam {
    public var learningRate: Float
    public var beta1: Float
    public var beta2: Float
    public var epsilon: Float

    /// The number of updates applied so far (Keras's `iterations`).
    public private(set) var iterations = 0

    private var slots: [ObjectIdentifier: Slot] = [:]

    /// A parameter's moment estimates. It holds the parameter so that the identifier stays
    /// unique for the optimizer's lifetime.
    private struct Slot {
        let parameter: Variable
        var firstMoment: Tensor
        var secondMoment: Tensor
    }

    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-7) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    /// Applies one step to every parameter that requires a gradient and has one; others are
    /// left as they are (their moments too). Gradients are not cleared.
    public func update(_ parameters: [Variable]) {
        iterations += 1
        let t = Double(iterations)
        let stepSize = Float(Double(learningRate) * (1 - pow(Double(beta2), t)).squareRoot()
            / (1 - pow(Double(beta1), t)))
        for parameter in parameters where parameter.requiresGradient {
            guard let gradient = parameter.gradient else { continue }
            precondition(parameter.isLeaf, "Adam updates leaf variables only")
            precondition(gradient.shape == parameter.shape,
                         "gradient shape \(gradient.shape) differs from the parameter's \(parameter.shape)")
            let key = ObjectIdentifier(parameter)
            var slot = slots.removeValue(forKey: key)
                ?? Slot(parameter: parameter, firstMoment: Tensor(zeros: parameter.shape),
                        secondMoment: Tensor(zeros: parameter.shape))
            parameter.backend.adamUpdate(
                parameter: &parameter.value, gradient: gradient, firstMoment: &slot.firstMoment,
                secondMoment: &slot.secondMoment, stepSize: stepSize, beta1: beta1, beta2: beta2, epsilon: epsilon)
            slots[key] = slot
        }
    }
}
