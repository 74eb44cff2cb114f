import Foundation
import Tensors
import Testing

@Suite struct AdamTests {
    /// Two steps against Keras's update written out by hand in float64:
    /// m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², θ ← θ − lr·√(1−β2ᵗ)/(1−β1ᵗ) · m/(√v + ε).
    @Test func matchesKerasFormula() {
        let start: [Double] = [0.5, -1.25, 2, 0]
        let gradients: [[Double]] = [[0.1, -3, 0.002, 1e-9], [-0.2, 1.5, 0.004, 0]]
        let parameter = Variable(Tensor(shape: [4], scalars: start.map(Float.init)), requiresGradient: true)
        let adam = Adam()
        #expect(adam.learningRate == 1e-3 && adam.beta1 == 0.9 && adam.beta2 == 0.999 && adam.epsilon == 1e-7)

        var theta = start, m = [Double](repeating: 0, count: 4), v = m
        for (step, g) in gradients.enumerated() {
            parameter.gradient = Tensor(shape: [4], scalars: g.map(Float.init))
            adam.update([parameter])
            let t = Double(step + 1)
            let alpha = 1e-3 * (1 - pow(0.999, t)).squareRoot() / (1 - pow(0.9, t))
            for i in 0..<4 {
                m[i] = 0.9 * m[i] + 0.1 * g[i]
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i]
                theta[i] -= alpha * m[i] / (v[i].squareRoot() + 1e-7)
            }
            #expect(adam.iterations == step + 1)
            // float32 parameters: agreement to a few ulps of the values (|θ| ≤ 2).
            for (actual, expected) in zip(parameter.value.scalars, theta) {
                #expect(abs(Double(actual) - expected) <= 1e-6, "step \(step + 1): \(actual) vs \(expected)")
            }
        }
        // The first step moves each parameter by about lr, whatever the gradient's size
        // (ε only matters for tiny gradients, such as the 1e-9 one).
        #expect(abs(Double(parameter.value[1]) - start[1]) > 1e-3)
    }

    @Test func frozenAndGradientlessParametersStay() {
        let frozen = Variable(Tensor(shape: [2], scalars: [1, 2]), requiresGradient: false)
        frozen.gradient = Tensor(shape: [2], scalars: [1, 1])
        let untouched = Variable(Tensor(shape: [2], scalars: [3, 4]), requiresGradient: true)
        Adam().update([frozen, untouched])
        #expect(frozen.value.scalars == [1, 2] && untouched.value.scalars == [3, 4])
    }
}
