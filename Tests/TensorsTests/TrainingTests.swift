import InvariantCore
import Tensors
import Testing

@Suite struct TrainingTests {
    /// conv 3×3 → relu → max pool → flatten → dense → softmax cross-entropy, trained with Adam
    /// on one fixed random batch, must fit it (memorise 8 random images).
    @Test func tinyCNNFitsAFixedBatch() {
        let images = Variable(Tensor.randomNormal(shape: [8, 8, 8, 1], seed: 100))
        let labels = [0, 1, 1, 0, 1, 0, 0, 1]
        // He-normal-like scales: √(2 / fan-in).
        let filter = Variable(Tensor.randomNormal(shape: [3, 3, 1, 4], standardDeviation: 0.47, seed: 101),
                              requiresGradient: true)
        let filterBias = Variable(Tensor(zeros: [4]), requiresGradient: true)
        let weights = Variable(Tensor.randomNormal(shape: [36, 2], standardDeviation: 0.24, seed: 102),
                               requiresGradient: true)
        let bias = Variable(Tensor(zeros: [2]), requiresGradient: true)
        let parameters = [filter, filterBias, weights, bias]
        let adam = Adam(learningRate: 0.01)

        func loss() -> Variable {
            let features = flatten(maxPool2D(relu(conv2d(images, filter: filter, bias: filterBias))))
            return sparseCategoricalCrossentropy(logits: matmul(features, weights, bias: bias), labels: labels)
        }
        let initial = loss().value.scalar
        var final = initial
        for _ in 0..<200 {
            parameters.forEach { $0.gradient = nil }
            let value = loss()
            final = value.value.scalar
            if final < 0.01 { break }
            value.backward()
            adam.update(parameters)
        }
        #expect(initial > 0.3)
        #expect(final < 0.01, "loss \(initial) → \(final) after \(adam.iterations) steps")
    }

    /// dense → batch norm (training) → gelu → dropout → dense → cross-entropy from logits,
    /// trained with AdamW on a fixed batch: exercises the new ops' backward passes together.
    @Test func tinyMLPWithBatchNormFitsAFixedBatch() {
        let inputs = Variable(Tensor.randomNormal(shape: [16, 6], seed: 110))
        let labels = (0..<16).map { $0 % 3 }
        let w1 = Variable(Tensor.randomNormal(shape: [6, 16], standardDeviation: 0.4, seed: 111), requiresGradient: true)
        let gamma = Variable(Tensor(shape: [16], repeating: 1), requiresGradient: true)
        let beta = Variable(Tensor(zeros: [16]), requiresGradient: true)
        let w2 = Variable(Tensor.randomNormal(shape: [16, 3], standardDeviation: 0.35, seed: 112), requiresGradient: true)
        let b2 = Variable(Tensor(zeros: [3]), requiresGradient: true)
        let parameters = [w1, gamma, beta, w2, b2]
        var movingMean = Tensor(zeros: [16]), movingVariance = Tensor(shape: [16], repeating: 1)
        let optimizer = AdamW(learningRate: 0.02)
        let targets = oneHot(labels, classes: 3)

        var final = Float.infinity
        for step in 0..<300 {
            parameters.forEach { $0.gradient = nil }
            let hidden = batchNormalization(matmul(inputs, w1), scale: gamma, offset: beta, movingMean: &movingMean,
                                            movingVariance: &movingVariance, training: true)
            let features = dropout(gelu(hidden), rate: 0.1, key: RandomKey(seed: 5).derived(step), training: true)
            let loss = categoricalCrossentropy(logits: matmul(features, w2, bias: b2), targets: targets)
            final = loss.value.scalar
            if final < 0.02 { break }
            loss.backward()
            optimizer.update(parameters)
        }
        #expect(final < 0.02, "loss \(final) after \(optimizer.iterations) steps")
    }
}
