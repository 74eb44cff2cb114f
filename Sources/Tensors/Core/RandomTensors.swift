import InvariantCore

/// Seeded initialisation uses the project's one counter-based generator, so a seed gives the
/// same tensor on every machine and in every run.
extension Tensor {
    /// Scalars drawn independently from a normal distribution, deterministically from `seed`.
    public static func randomNormal(
        shape: [Int], mean: Float = 0, standardDeviation: Float = 1, seed: UInt64
    ) -> Tensor {
        var generator = RandomKey(seed: seed).generator()
        var result = Tensor.uninitialized(shape: shape)
        result.withUnsafeMutableBufferPointer { scalars in
            for index in scalars.indices {
                scalars[index] = mean + standardDeviation * Float(generator.nextStandardNormal())
            }
        }
        return result
    }

    /// Scalars drawn independently and uniformly from `range`, deterministically from `seed`.
    public static func randomUniform(shape: [Int], in range: ClosedRange<Float> = 0...1, seed: UInt64) -> Tensor {
        var generator = RandomKey(seed: seed).generator()
        var result = Tensor.uninitialized(shape: shape)
        let low = Double(range.lowerBound), width = Double(range.upperBound - range.lowerBound)
        result.withUnsafeMutableBufferPointer { scalars in
            for index in scalars.indices {
                scalars[index] = Float(low + width * generator.nextUnit())
            }
        }
        return result
    }
}
