import Foundation

/// Softmax and the softmax cross-entropy loss, as Swift loops over the last dimension.
extension CPUBackend {
    public func softmax(_ logits: Tensor) -> Tensor {
        let classes = logits.shape.last ?? 1
        var output = Tensor.uninitialized(shape: logits.shape)
        logits.withUnsafeBufferPointer { logits in
            output.withUnsafeMutableBufferPointer { output in
                for start in stride(from: 0, to: logits.count, by: max(classes, 1)) {
                    softmaxRow(logits.baseAddress! + start, into: output.baseAddress! + start, count: classes)
                }
            }
        }
        return output
    }

    /// dx = y ⊙ (dy − Σ dy·y), row by row.
    public func softmaxBackward(_ outputGradient: Tensor, output: Tensor) -> Tensor {
        let classes = output.shape.last ?? 1
        var inputGradient = Tensor.uninitialized(shape: output.shape)
        output.withUnsafeBufferPointer { y in
            outputGradient.withUnsafeBufferPointer { dy in
                inputGradient.withUnsafeMutableBufferPointer { dx in
                    for start in stride(from: 0, to: y.count, by: max(classes, 1)) {
                        var dot: Float = 0
                        for i in start..<(start + classes) { dot += dy[i] * y[i] }
                        for i in start..<(start + classes) { dx[i] = y[i] * (dy[i] - dot) }
                    }
                }
            }
        }
        return inputGradient
    }

    public func logSoftmax(_ logits: Tensor) -> Tensor {
        let classes = logits.shape.last ?? 1
        var output = Tensor.uninitialized(shape: logits.shape)
        logits.withUnsafeBufferPointer { logits in
            output.withUnsafeMutableBufferPointer { output in
                for start in stride(from: 0, to: logits.count, by: max(classes, 1)) {
                    let z = logits.baseAddress! + start, y = output.baseAddress! + start
                    let logSumExp = softmaxRow(z, into: y, count: classes)
                    for i in 0..<classes { y[i] = z[i] - logSumExp }
                }
            }
        }
        return output
    }

    public func logSoftmaxBackward(_ outputGradient: Tensor, output: Tensor) -> Tensor {
        let classes = output.shape.last ?? 1
        var inputGradient = Tensor.uninitialized(shape: output.shape)
        output.withUnsafeBufferPointer { y in
            outputGradient.withUnsafeBufferPointer { dy in
                inputGradient.withUnsafeMutableBufferPointer { dx in
                    for start in stride(from: 0, to: y.count, by: max(classes, 1)) {
                        var sum: Float = 0
                        for i in start..<(start + classes) { sum += dy[i] }
                        for i in start..<(start + classes) { dx[i] = dy[i] - expf(y[i]) * sum }
                    }
                }
            }
        }
        return inputGradient
    }

    /// loss = mean over rows of logsumexp(z) − z[label], with the maximum subtracted before
    /// exponentiating so that no logit overflows; the gradient comes from the same pass.
    public func sparseSoftmaxCrossEntropy(logits: Tensor, labels: [Int]) -> (loss: Float, logitsGradient: Tensor) {
        let batch = logits.shape[0], classes = logits.shape[1]
        var gradient = Tensor.uninitialized(shape: logits.shape)
        var total = 0.0
        logits.withUnsafeBufferPointer { logits in
            gradient.withUnsafeMutableBufferPointer { gradient in
                for row in 0..<batch {
                    let z = logits.baseAddress! + row * classes, g = gradient.baseAddress! + row * classes
                    let logSumExp = softmaxRow(z, into: g, count: classes)
                    total += Double(logSumExp - z[labels[row]])
                    g[labels[row]] -= 1
                    for i in 0..<classes { g[i] /= Float(batch) }
                }
            }
        }
        return (Float(total / Double(batch)), gradient)
    }

    /// Writes softmax(z) and returns log Σ exp(z), both shifted by max(z) for stability.
    @discardableResult
    private func softmaxRow(_ z: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int) -> Float {
        var largest = -Float.infinity
        for i in 0..<count { largest = max(largest, z[i]) }
        var sum: Float = 0
        for i in 0..<count {
            y[i] = expf(z[i] - largest)
            sum += y[i]
        }
        for i in 0..<count { y[i] /= sum }
        return largest + logf(sum)
    }
}
