import Tensors
import Testing

@Suite struct AutodiffTests {
    /// A variable used twice gets the sum of both paths' gradients: d/dx Σ relu(x)·… via matmul(x, x).
    @Test func gradientsFromSeveralUsesAccumulate() {
        let x = Variable(Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]), requiresGradient: true)
        let y = matmul(x, x)  // y = x·x, so dL/dx = S·xᵀ + xᵀ·S for seed S
        y.backward(seed: Tensor(shape: [2, 2], repeating: 1))
        // S·xᵀ: row sums of x per column → [[3, 7], [3, 7]]; xᵀ·S: column sums per row → [[4, 4], [6, 6]].
        #expect(x.gradient?.scalars == [7, 11, 9, 13])
    }

    @Test func backwardAddsToExistingGradients() {
        let x = Variable(Tensor(shape: [1, 2], scalars: [1, -1]), requiresGradient: true)
        let w = Variable(Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]), requiresGradient: true)
        for _ in 0..<2 {
            sparseCategoricalCrossentropy(logits: matmul(x, w), labels: [0]).backward()
        }
        let once = Variable(x.value, requiresGradient: true)
        let w1 = Variable(w.value, requiresGradient: true)
        sparseCategoricalCrossentropy(logits: matmul(once, w1), labels: [0]).backward()
        #expect(w.gradient?.scalars == w1.gradient!.scalars.map { 2 * $0 })
    }

    /// Frozen parameters get no gradient; trainable ones get the same gradient as when nothing
    /// is frozen.
    @Test func frozenParametersGetNoGradient() {
        let images = Variable(Tensor.randomNormal(shape: [2, 5, 5, 1], seed: 1))
        func loss(filter: Variable, bias: Variable, weights: Variable) -> Variable {
            let features = flatten(maxPool2D(relu(conv2d(images, filter: filter, bias: bias))))
            return sparseCategoricalCrossentropy(logits: matmul(features, weights), labels: [0, 1])
        }
        let filterValue = Tensor.randomNormal(shape: [2, 2, 1, 3], seed: 2)
        let biasValue = Tensor.randomNormal(shape: [3], seed: 3)
        let weightsValue = Tensor.randomNormal(shape: [12, 2], seed: 4)

        let filter = Variable(filterValue, requiresGradient: false)
        let bias = Variable(biasValue, requiresGradient: false)
        let weights = Variable(weightsValue, requiresGradient: true)
        loss(filter: filter, bias: bias, weights: weights).backward()
        #expect(filter.gradient == nil && bias.gradient == nil && images.gradient == nil)

        let reference = Variable(weightsValue, requiresGradient: true)
        loss(filter: Variable(filterValue, requiresGradient: true), bias: Variable(biasValue, requiresGradient: true),
             weights: reference).backward()
        #expect(weights.gradient == reference.gradient)
    }

    /// With every input frozen nothing is recorded: the result needs no gradient and holds no graph.
    @Test func inferenceRecordsNothing() {
        let x = Variable(Tensor.randomNormal(shape: [2, 4, 4, 1], seed: 5))
        let w = Variable(Tensor.randomNormal(shape: [3, 3, 1, 2], seed: 6))
        let y = relu(conv2d(x, filter: w, padding: .same))
        #expect(!y.requiresGradient && y.isLeaf)
        #expect(y.shape == [2, 4, 4, 2])
    }

    /// Inference mode records nothing even for trainable parameters, and ends with its body.
    @Test func withoutGradientRecordingRecordsNothing() {
        let x = Variable(Tensor.randomNormal(shape: [2, 3], seed: 7))
        let w = Variable(Tensor.randomNormal(shape: [3, 2], seed: 8), requiresGradient: true)
        let inference = withoutGradientRecording { matmul(x, w) }
        #expect(!inference.requiresGradient && inference.isLeaf && GradientRecording.isEnabled)
        let training = matmul(x, w)
        #expect(training.requiresGradient && !training.isLeaf)
        #expect(inference.value == training.value)
    }

    /// Only the bias of a convolution trains: the filter gets nothing, the bias its full gradient.
    @Test func trainableBiasWithFrozenFilter() {
        let x = Variable(Tensor.randomNormal(shape: [1, 4, 4, 2], seed: 7))
        let filter = Variable(Tensor.randomNormal(shape: [3, 3, 2, 2], seed: 8))
        let bias = Variable(Tensor(zeros: [2]), requiresGradient: true)
        let y = conv2d(x, filter: filter, bias: bias, padding: .same)
        y.backward(seed: Tensor(shape: y.shape, repeating: 1))
        #expect(filter.gradient == nil)
        #expect(bias.gradient?.scalars == [16, 16])  // one per output position
    }
}
