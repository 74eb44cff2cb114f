import Foundation
import Tensors
import Testing

@Suite struct LearningRateScheduleTests {
    func expectClose(_ actual: Float, _ expected: Double, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(abs(Double(actual) - expected) <= 1e-7 * max(1, abs(expected)), "\(actual) vs \(expected)",
                sourceLocation: sourceLocation)
    }

    @Test func stepDecay() {
        let schedule = StepDecay(initialLearningRate: 0.1, stepSize: 3, factor: 0.5)
        for (step, expected) in [(0, 0.1), (2, 0.1), (3, 0.05), (5, 0.05), (6, 0.025), (10, 0.0125)] {
            expectClose(schedule.learningRate(atStep: step), expected)
        }
        let piecewise = PiecewiseConstantDecay(boundaries: [2, 5], values: [1, 0.5, 0.1])
        #expect([0, 2, 3, 5, 6, 100].map(piecewise.learningRate(atStep:)) == [1, 1, 0.5, 0.5, 0.1, 0.1])
    }

    @Test func exponentialDecay() {
        let smooth = ExponentialDecay(initialLearningRate: 0.1, decaySteps: 4, decayRate: 0.5)
        let stairs = ExponentialDecay(initialLearningRate: 0.1, decaySteps: 4, decayRate: 0.5, staircase: true)
        for step in [0, 1, 2, 4, 6, 8, 13] {
            expectClose(smooth.learningRate(atStep: step), 0.1 * pow(0.5, Double(step) / 4))
            expectClose(stairs.learningRate(atStep: step), 0.1 * pow(0.5, Double(step / 4)))
        }
    }

    @Test func cosineDecay() {
        let schedule = CosineDecay(initialLearningRate: 0.2, decaySteps: 10, alpha: 0.1)
        expectClose(schedule.learningRate(atStep: 0), 0.2)
        expectClose(schedule.learningRate(atStep: 5), 0.2 * (0.9 * 0.5 + 0.1))  // half way: cos = 0
        expectClose(schedule.learningRate(atStep: 10), 0.02)
        expectClose(schedule.learningRate(atStep: 25), 0.02)  // held at α·initial
        expectClose(schedule.learningRate(atStep: 3), 0.2 * (0.9 * 0.5 * (1 + cos(Double.pi * 0.3)) + 0.1))
    }

    /// The optimizer evaluates its schedule at `iterations` (0 for the first update), as Keras.
    @Test func optimizerUsesTheStepCount() {
        let sgd = SGD(schedule: StepDecay(initialLearningRate: 1, stepSize: 1, factor: 0.5))
        let x = Variable(Tensor(shape: [1], scalars: [0]), requiresGradient: true)
        x.gradient = Tensor(shape: [1], scalars: [1])
        var learningRates: [Float] = []
        for _ in 0..<3 {
            learningRates.append(sgd.currentLearningRate)
            sgd.update([x])
        }
        #expect(learningRates == [1, 0.5, 0.25] && x.value.scalars == [-1.75])
    }
}
