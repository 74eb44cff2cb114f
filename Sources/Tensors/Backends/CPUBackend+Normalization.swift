/// Batch normalization over the last dimension, as Swift loops over `[rows, channels]`
/// (rows = every position of every sample). The inner loops run along the contiguous
/// channels (they vectorise); sums gather in Float over blocks of rows and in Double across
/// blocks, so long batches lose no precision.
extension CPUBackend {
    /// Rows summed in Float before their block's sum joins the Double total.
    private static let blockRows = 64

    /// Σ over rows of `term(row pointer, channel)` per channel, in blocked precision.
    @inline(__always)
    private func channelSums(rows: Int, channels: Int, _ term: (Int, Int) -> Float) -> [Double] {
        var totals = [Double](repeating: 0, count: channels)
        let block = UnsafeMutablePointer<Float>.allocate(capacity: channels)
        defer { block.deallocate() }
        var row = 0
        while row < rows {
            block.update(repeating: 0, count: channels)
            let end = min(row + Self.blockRows, rows)
            for r in row..<end {
                let base = r * channels
                for c in 0..<channels { block[c] += term(base + c, c) }
            }
            for c in 0..<channels { totals[c] += Double(block[c]) }
            row = end
        }
        return totals
    }

    public func batchMoments(_ x: Tensor) -> (mean: Tensor, variance: Tensor) {
        let channels = x.shape.last!, rows = x.scalarCount / channels
        return x.withUnsafeBufferPointer { buffer in
            let x = buffer.baseAddress!
            let means = channelSums(rows: rows, channels: channels) { i, _ in x[i] }.map { Float($0 / Double(rows)) }
            // Two passes: Σ(x − mean)² does not cancel catastrophically as Σx² − n·mean² would.
            let squares = means.withUnsafeBufferPointer { mean in
                channelSums(rows: rows, channels: channels) { i, c in
                    let d = x[i] - mean[c]
                    return d * d
                }
            }
            return (Tensor(shape: [channels], scalars: means),
                    Tensor(shape: [channels], scalars: squares.map { Float($0 / Double(rows)) }))
        }
    }

    public func batchNormalization(_ x: Tensor, mean: Tensor, variance: Tensor, scale: Tensor, offset: Tensor,
                                   epsilon: Float) -> Tensor {
        let channels = x.shape.last!, rows = x.scalarCount / channels
        let inverse = zip(variance.scalars, scale.scalars).map { $1 / ($0 + epsilon).squareRoot() }
        // y = x · inverse + shift, with shift = offset − mean · inverse.
        let shift = zip(zip(mean.scalars, offset.scalars), inverse).map { $0.1 - $0.0 * $1 }
        var result = Tensor.uninitialized(shape: x.shape)
        x.withUnsafeBufferPointer { x in
            result.withUnsafeMutableBufferPointer { y in
                inverse.withUnsafeBufferPointer { inverse in
                    shift.withUnsafeBufferPointer { shift in
                        for row in 0..<rows {
                            let input = x.baseAddress! + row * channels, output = y.baseAddress! + row * channels
                            for c in 0..<channels { output[c] = input[c] * inverse[c] + shift[c] }
                        }
                    }
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
        let inverseSigma = variance.scalars.map { 1 / ($0 + epsilon).squareRoot() }
        let (means, gammas) = (mean.scalars, scale.scalars)
        var inputGradient = Tensor.uninitialized(shape: input.shape)
        let (offsetGradient, scaleGradient) = input.withUnsafeBufferPointer { xBuffer in
            outputGradient.withUnsafeBufferPointer { dyBuffer in
                let (x, dy) = (xBuffer.baseAddress!, dyBuffer.baseAddress!)
                let offsetGradient = channelSums(rows: rows, channels: channels) { i, _ in dy[i] }
                let scaleGradient = means.withUnsafeBufferPointer { mean in
                    inverseSigma.withUnsafeBufferPointer { inverse in
                        channelSums(rows: rows, channels: channels) { i, c in dy[i] * (x[i] - mean[c]) * inverse[c] }
                    }
                }
                // dx = a·dy + b·x + d per channel (the batch-statistics terms folded in).
                var a = [Float](repeating: 0, count: channels), b = a, d = a
                for c in 0..<channels {
                    a[c] = gammas[c] * inverseSigma[c]
                    if batchStatistics {
                        let meanDy = Float(offsetGradient[c] / Double(rows))
                        let meanDyXhat = Float(scaleGradient[c] / Double(rows))
                        b[c] = -a[c] * meanDyXhat * inverseSigma[c]
                        d[c] = -a[c] * meanDy - b[c] * means[c]
                    }
                }
                inputGradient.withUnsafeMutableBufferPointer { dxBuffer in
                    a.withUnsafeBufferPointer { a in
                        b.withUnsafeBufferPointer { b in
                            d.withUnsafeBufferPointer { d in
                                for row in 0..<rows {
                                    let base = row * channels
                                    let (xr, gr, out) = (x + base, dy + base, dxBuffer.baseAddress! + base)
                                    for c in 0..<channels { out[c] = a[c] * gr[c] + b[c] * xr[c] + d[c] }
                                }
                            }
                        }
                    }
                }
                return (offsetGradient, scaleGradient)
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
