/// Batch normalization over the last dimension, as Swift loops over `[rows, channels]`
/// (rows = every position of every sample). Sums are accumulated in double precision.
extension CPUBackend {
    public func batchMoments(_ x: Tensor) -> (mean: Tensor, variance: Tensor) {
        let channels = x.shape.last!, rows = x.scalarCount / channels
        var sums = [Double](repeating: 0, count: channels), squares = sums
        x.withUnsafeBufferPointer { x in
            for row in 0..<rows {
                for c in 0..<channels { sums[c] += Double(x[row * channels + c]) }
            }
            let means = sums.map { $0 / Double(rows) }
            // Two passes: Σ(x − mean)² does not cancel catastrophically as Σx² − n·mean² would.
            for row in 0..<rows {
                for c in 0..<channels {
                    let d = Double(x[row * channels + c]) - means[c]
                    squares[c] += d * d
                }
            }
        }
        return (Tensor(shape: [channels], scalars: sums.map { Float($0 / Double(rows)) }),
                Tensor(shape: [channels], scalars: squares.map { Float($0 / Double(rows)) }))
    }

    public func batchNormalization(_ x: Tensor, mean: Tensor, variance: Tensor, scale: Tensor, offset: Tensor,
                                   epsilon: Float) -> Tensor {
        let channels = x.shape.last!
        let inverse = zip(variance.scalars, scale.scalars).map { $1 / ($0 + epsilon).squareRoot() }
        let (means, offsets) = (mean.scalars, offset.scalars)
        var result = Tensor.uninitialized(shape: x.shape)
        x.withUnsafeBufferPointer { x in
            result.withUnsafeMutableBufferPointer { y in
                for i in 0..<x.count {
                    let c = i % channels
                    y[i] = (x[i] - means[c]) * inverse[c] + offsets[c]
                }
            }
        }
        return result
    }

    /// With x̂ = (x − mean)/σ: ∂β = Σ dy, ∂γ = Σ dy·x̂, and ∂x = γ/σ · dy for fixed statistics,
    /// or γ/σ · (dy − mean(dy) − x̂ · mean(dy·x̂)) for batch statistics.
    public func batchNormalizationBackward(_ outputGradient: Tensor, input: Tensor, mean: Tensor, variance: Tensor,
                                           scale: Tensor, epsilon: Float, batchStatistics: Bool)
        -> (input: Tensor, scale: Tensor, offset: Tensor) {
        let channels = input.shape.last!, rows = input.scalarCount / channels
        let sigmas = variance.scalars.map { ($0 + epsilon).squareRoot() }
        let (means, gammas) = (mean.scalars, scale.scalars)
        var offsetGradient = [Double](repeating: 0, count: channels), scaleGradient = offsetGradient
        var inputGradient = Tensor.uninitialized(shape: input.shape)
        input.withUnsafeBufferPointer { x in
            outputGradient.withUnsafeBufferPointer { dy in
                for i in 0..<x.count {
                    let c = i % channels
                    offsetGradient[c] += Double(dy[i])
                    scaleGradient[c] += Double(dy[i] * (x[i] - means[c]) / sigmas[c])
                }
                inputGradient.withUnsafeMutableBufferPointer { dx in
                    for i in 0..<x.count {
                        let c = i % channels
                        var g = dy[i]
                        if batchStatistics {
                            let normalized = (x[i] - means[c]) / sigmas[c]
                            g -= Float((offsetGradient[c] + Double(normalized) * scaleGradient[c]) / Double(rows))
                        }
                        dx[i] = gammas[c] / sigmas[c] * g
                    }
                }
            }
        }
        return (inputGradient, Tensor(shape: [channels], scalars: scaleGradient.map(Float.init)),
                Tensor(shape: [channels], scalars: offsetGradient.map(Float.init)))
    }

    public func updateMovingAverage(_ average: inout Tensor, with value: Tensor, momentum: Float) {
        value.withUnsafeBufferPointer { value in
            average.withUnsafeMutableBufferPointer { average in
                for i in 0..<average.count { average[i] = average[i] * momentum + value[i] * (1 - momentum) }
            }
        }
    }
}
