import Foundation

/// A learning rate as a pure function of the step: the number of updates already applied
/// (0 for the first), which is what Keras passes its schedules (`optimizer.iterations`).
public protocol LearningRateSchedule: Sendable {
    func learningRate(atStep step: Int) -> Float
}

/// `initial · factor^⌊step / stepSize⌋`: PyTorch's `StepLR` (γ every `stepSize` steps).
public struct StepDecay: LearningRateSchedule {
    public var initialLearningRate: Float
    public var stepSize: Int
    public var factor: Float

    public init(initialLearningRate: Float, stepSize: Int, factor: Float = 0.1) {
        precondition(stepSize > 0, "a step schedule needs a positive step size, got \(stepSize)")
        self.initialLearningRate = initialLearningRate
        self.stepSize = stepSize
        self.factor = factor
    }

    public func learningRate(atStep step: Int) -> Float {
        Float(Double(initialLearningRate) * pow(Double(factor), Double(step / stepSize)))
    }
}

/// Keras's `PiecewiseConstantDecay`: `values[0]` while step ≤ `boundaries[0]`,
/// `values[i]` while `boundaries[i−1]` < step ≤ `boundaries[i]`, and the last value after.
public struct PiecewiseConstantDecay: LearningRateSchedule {
    public var boundaries: [Int]
    public var values: [Float]

    public init(boundaries: [Int], values: [Float]) {
        precondition(values.count == boundaries.count + 1,
                     "\(boundaries.count) boundaries need \(boundaries.count + 1) values, got \(values.count)")
        self.boundaries = boundaries
        self.values = values
    }

    public func learningRate(atStep step: Int) -> Float {
        values[boundaries.firstIndex { step <= $0 } ?? boundaries.count]
    }
}

/// Keras's `ExponentialDecay`: `initial · rate^(step / decaySteps)`, with the exponent
/// floored when `staircase`.
public struct ExponentialDecay: LearningRateSchedule {
    public var initialLearningRate: Float
    public var decaySteps: Int
    public var decayRate: Float
    public var staircase: Bool

    public init(initialLearningRate: Float, decaySteps: Int, decayRate: Float, staircase: Bool = false) {
        precondition(decaySteps > 0, "decaySteps must be positive, got \(decaySteps)")
        self.initialLearningRate = initialLearningRate
        self.decaySteps = decaySteps
        self.decayRate = decayRate
        self.staircase = staircase
    }

    public func learningRate(atStep step: Int) -> Float {
        var exponent = Double(step) / Double(decaySteps)
        if staircase { exponent.round(.down) }
        return Float(Double(initialLearningRate) * pow(Double(decayRate), exponent))
    }
}

/// Keras's `CosineDecay` without warm-up: `initial · ((1 − α) · ½(1 + cos(π·s/decaySteps)) + α)`
/// with s = min(step, decaySteps), so it ends at α·initial and stays there.
public struct CosineDecay: LearningRateSchedule {
    public var initialLearningRate: Float
    public var decaySteps: Int
    /// The final learning rate as a fraction of the initial one.
    public var alpha: Float

    public init(initialLearningRate: Float, decaySteps: Int, alpha: Float = 0) {
        precondition(decaySteps > 0, "decaySteps must be positive, got \(decaySteps)")
        self.initialLearningRate = initialLearningRate
        self.decaySteps = decaySteps
        self.alpha = alpha
    }

    public func learningRate(atStep step: Int) -> Float {
        let fraction = Double(min(step, decaySteps)) / Double(decaySteps)
        let cosine = 0.5 * (1 + cos(Double.pi * fraction))
        return Float(Double(initialLearningRate) * ((1 - Double(alpha)) * cosine + Double(alpha)))
    }
}
