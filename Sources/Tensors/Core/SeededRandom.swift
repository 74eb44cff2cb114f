import Foundation

/// A small deterministic generator (SplitMix64) for tensor initialization: the same seed
/// gives the same sequence on every machine and every run.
///
/// This is for weights and test data, not augmentation; the data pipeline has its own
/// counter-based generator (`InvariantCore.CounterRandom`).
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// Standard normal, by the Box–Muller transform (one draw per call; the pair's second
    /// value is discarded so that each scalar depends only on its position in the stream).
    public mutating func nextStandardNormal() -> Double {
        let u1 = 1 - nextUnitDouble()  // in (0, 1]: log is finite
        let u2 = nextUnitDouble()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
}

extension Tensor {
    /// Scalars drawn independently from a normal distribution, deterministically from `seed`.
    public static func randomNormal(
        shape: [Int], mean: Float = 0, standardDeviation: Float = 1, seed: UInt64
    ) -> Tensor {
        var generator = SeededRandom(seed: seed)
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
        var generator = SeededRandom(seed: seed)
        var result = Tensor.uninitialized(shape: shape)
        let low = Double(range.lowerBound), width = Double(range.upperBound - range.lowerBound)
        result.withUnsafeMutableBufferPointer { scalars in
            for index in scalars.indices {
                scalars[index] = Float(low + width * generator.nextUnitDouble())
            }
        }
        return result
    }
}
