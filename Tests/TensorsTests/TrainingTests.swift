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
}
