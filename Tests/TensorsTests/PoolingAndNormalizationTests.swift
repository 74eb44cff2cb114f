import Tensors
import Testing

/// Average and global pooling, batch normalization (training and inference).
@Suite struct PoolingAndNormalizationTests {
    @Test(arguments: [Padding.valid, .same])
    func averagePoolTwoByTwo(padding: Padding) {
        // 5×7: `valid` drops the last row and column (floor); `same` averages partial windows.
        let shape = [2, 5, 7, 3]
        checkOp(inputs: [Tensor.randomNormal(shape: shape, seed: 60)]) { v in
            averagePool2D(v[0], padding: padding)
        } reference: { x in
            Reference.averagePool2D(x[0], input: shape, pool: (2, 2), stride: (2, 2), same: padding == .same)
        }
    }

    @Test func averagePoolOverlappingWindows() {
        let shape = [1, 6, 5, 2]
        checkOp(inputs: [Tensor.randomNormal(shape: shape, seed: 61)]) { v in
            averagePool2D(v[0], poolSize: (3, 2), strides: (2, 1))
        } reference: { x in
            Reference.averagePool2D(x[0], input: shape, pool: (3, 2), stride: (2, 1), same: false)
        }
    }

    @Test func globalPooling() {
        let shape = [2, 3, 4, 5]
        checkOp(inputs: [Tensor.randomNormal(shape: shape, seed: 62)]) { v in
            let pooled = globalAveragePool2D(v[0])
            #expect(pooled.shape == [2, 5])
            return pooled
        } reference: { x in
            Reference.sum(x[0], shape: shape, axes: [1, 2]).map { $0 / 12 }
        }
        checkOp(inputs: [Tensor.randomNormal(shape: shape, seed: 63)]) { v in
            globalMaxPool2D(v[0])
        } reference: { x in
            Reference.maxPool2D(x[0], input: shape, pool: (3, 4), stride: (3, 4), same: false)
        }
    }

    /// Training: batch statistics normalise (the gradient includes their dependence on x).
    /// Inference: the moving statistics do, as constants.
    @Test(arguments: [true, false])
    func batchNormalizationGradients(training: Bool) {
        let shape = [2, 3, 2, 4], channels = 4
        let moving = (mean: Tensor.randomNormal(shape: [channels], seed: 64),
                      variance: Tensor.randomUniform(shape: [channels], in: 0.5...2, seed: 65))
        let inputs = [Tensor.randomNormal(shape: shape, mean: 1, standardDeviation: 2, seed: 66),
                      Tensor.randomNormal(shape: [channels], mean: 1, seed: 67), Tensor.randomNormal(shape: [channels], seed: 68)]
        checkOp(inputs: inputs) { v in
            var (mean, variance) = moving
            return batchNormalization(v[0], scale: v[1], offset: v[2], movingMean: &mean, movingVariance: &variance,
                                      training: training)
        } reference: { x in
            Reference.batchNormalization(x[0], channels: channels, scale: x[1], offset: x[2],
                                         statistics: training ? nil : (doubles(moving.mean), doubles(moving.variance)),
                                         epsilon: 1e-3)
        }
    }

    /// Keras's update: moving · 0.99 + batch · 0.01, with the biased batch variance; inference
    /// leaves the moving statistics alone.
    @Test func movingStatisticsFollowKeras() {
        let x = Tensor.randomNormal(shape: [4, 2, 3], mean: 2, standardDeviation: 3, seed: 69)
        let scale = Variable(Tensor(shape: [3], repeating: 1)), offset = Variable(Tensor(zeros: [3]))
        var mean = Tensor(zeros: [3]), variance = Tensor(shape: [3], repeating: 1)
        _ = batchNormalization(Variable(x), scale: scale, offset: offset, movingMean: &mean, movingVariance: &variance,
                               training: true)
        let batch = Reference.moments(doubles(x), channels: 3)
        #expect(relativeError(doubles(mean), batch.mean.map { 0.01 * $0 }) < 1e-6)
        #expect(relativeError(doubles(variance), batch.variance.map { 0.99 + 0.01 * $0 }) < 1e-6)
        let (savedMean, savedVariance) = (mean, variance)
        _ = batchNormalization(Variable(x), scale: scale, offset: offset, movingMean: &mean, movingVariance: &variance,
                               training: false)
        #expect(mean == savedMean && variance == savedVariance)
    }
}
