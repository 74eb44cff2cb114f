import Foundation

/// Cross-entropy from probabilities, as Keras computes it.
extension CPUBackend {
    /// Per row, with s = Σp, q = p / s and c = clip(q, ε, 1 − ε): loss −Σ t·log c. The
    /// gradient goes back through the clip (zero where it bites, as `clip_by_value`'s) and
    /// the normalisation: ∂p_i = (u_i − Σ_j u_j q_j) / s with u_j = ∂loss/∂q_j.
    public func categoricalCrossentropy(probabilities: Tensor, targets: Tensor, epsilon: Float)
        -> (loss: Float, probabilitiesGradient: Tensor) {
        let batch = probabilities.shape[0], classes = probabilities.shape[1]
        var gradient = Tensor.uninitialized(shape: probabilities.shape)
        var total = 0.0
        var u = [Float](repeating: 0, count: classes)
        probabilities.withUnsafeBufferPointer { p in
            targets.withUnsafeBufferPointer { t in
                gradient.withUnsafeMutableBufferPointer { g in
                    for row in 0..<batch {
                        let start = row * classes
                        var sum: Float = 0
                        for i in start..<(start + classes) { sum += p[i] }
                        var dot: Float = 0
                        for j in 0..<classes {
                            let q = p[start + j] / sum
                            let clipped = min(max(q, epsilon), 1 - epsilon)
                            total -= Double(t[start + j] * logf(clipped))
                            u[j] = q >= epsilon && q <= 1 - epsilon ? -t[start + j] / clipped / Float(batch) : 0
                            dot += u[j] * q
                        }
                        for j in 0..<classes { g[start + j] = (u[j] - dot) / sum }
                    }
                }
            }
        }
        return (Float(total / Double(batch)), gradient)
    }
}
