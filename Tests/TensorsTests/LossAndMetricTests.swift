import Foundation
import InvariantCore
import Tensors
import Testing

@Suite struct LossAndMetricTests {
    static let targets = oneHot([2, 0, 3], classes: 4)

    /// Probabilities well inside (ε, 1 − ε), rows not summing to 1 (Keras renormalises).
    @Test(arguments: [0, 0.1] as [Float])
    func crossEntropyFromProbabilities(labelSmoothing: Float) {
        let probabilities = Tensor.randomUniform(shape: [3, 4], in: 0.05...1, seed: 70)
        let smoothed = doubles(Self.targets).map { $0 * (1 - Double(labelSmoothing)) + Double(labelSmoothing) / 4 }
        checkOp(inputs: [probabilities]) { v in
            categoricalCrossentropy(probabilities: v[0], targets: Self.targets, labelSmoothing: labelSmoothing)
        } reference: { x in
            [Reference.categoricalCrossentropy(x[0], targets: smoothed, classes: 4, epsilon: 1e-7)]
        }
    }

    /// A zero probability for the true class costs −log(1e-7), and the clipped entry passes no
    /// gradient (Keras's `clip` before the log).
    @Test func crossEntropyClipsAtKerasEpsilon() {
        let p = Variable(Tensor(shape: [1, 2], scalars: [0, 1]), requiresGradient: true)
        let loss = sparseCategoricalCrossentropy(probabilities: p, labels: [0])
        #expect(abs(Double(loss.value.scalar) + log(1e-7)) < 1e-4)
        loss.backward()
        #expect(p.gradient?.scalars == [0, 0])
    }

    @Test(arguments: [0, 0.2] as [Float])
    func crossEntropyFromLogits(labelSmoothing: Float) {
        let smoothed = doubles(Self.targets).map { $0 * (1 - Double(labelSmoothing)) + Double(labelSmoothing) / 4 }
        checkOp(inputs: [Tensor.randomNormal(shape: [3, 4], standardDeviation: 2, seed: 71)]) { v in
            categoricalCrossentropy(logits: v[0], targets: Self.targets, labelSmoothing: labelSmoothing)
        } reference: { x in
            let p = Reference.softmax(x[0], classes: 4)
            return [-zip(p, smoothed).map { log($0) * $1 }.reduce(0, +) / 3]
        }
    }

    /// Without smoothing the one-hot logits loss is the sparse one.
    @Test func categoricalFromLogitsMatchesSparse() {
        let logits = Variable(Tensor.randomNormal(shape: [3, 4], seed: 72))
        let dense = categoricalCrossentropy(logits: logits, targets: Self.targets).value.scalar
        let sparse = sparseCategoricalCrossentropy(logits: logits, labels: [2, 0, 3]).value.scalar
        #expect(abs(dense - sparse) < 1e-6)
    }

    @Test func accuracyMetrics() {
        let predictions = Tensor(shape: [4, 3], scalars: [
            0.1, 0.7, 0.2,  // arg-max 1
            0.5, 0.5, 0.0,  // tie: the first maximum, 0
            0.2, 0.3, 0.5,  // 2
            0.6, 0.1, 0.3,  // 0
        ])
        let labels = [1, 1, 2, 2]
        #expect(sparseCategoricalAccuracy(predictions: predictions, labels: labels) == 0.5)
        #expect(categoricalAccuracy(predictions: predictions, targets: oneHot(labels, classes: 3)) == 0.5)
        // Top 2: row 1's label ties for first, row 3's label is second.
        #expect(sparseTopKCategoricalAccuracy(predictions: predictions, labels: labels, k: 2) == 1)
        #expect(sparseTopKCategoricalAccuracy(predictions: predictions, labels: [2, 2, 1, 0], k: 2) == 0.75)
        // Ties at the boundary count as inside (TensorFlow's in_top_k): row 1, label 1, k = 1.
        #expect(sparseTopKCategoricalAccuracy(predictions: predictions, labels: [1, 1, 2, 0], k: 1) == 1)
    }
}

@Suite struct DropoutTests {
    @Test func trainingDropsAndRescales() {
        let x = Variable(Tensor(shape: [100, 100], repeating: 2), requiresGradient: true)
        let key = RandomKey(seed: 7).derived(3)
        let y = dropout(x, rate: 0.25, key: key, training: true)
        let values = y.value.scalars
        #expect(values.allSatisfy { $0 == 0 || $0 == Float(2) / 0.75 })
        let dropped = Double(values.filter { $0 == 0 }.count) / 10_000
        #expect(abs(dropped - 0.25) < 0.02)
        // Same key, same mask; another key, another mask.
        #expect(dropout(x, rate: 0.25, key: key, training: true).value == y.value)
        #expect(dropout(x, rate: 0.25, key: key.derived(1), training: true).value != y.value)
        // The gradient is the mask.
        y.backward(seed: Tensor(shape: [100, 100], repeating: 1))
        #expect(x.gradient!.scalars.map { $0 * 2 } == values)
    }

    @Test func inferenceIsTheIdentity() {
        let x = Variable(Tensor.randomNormal(shape: [3, 4], seed: 80))
        #expect(dropout(x, rate: 0.5, key: RandomKey(seed: 1), training: false) === x)
    }
}
