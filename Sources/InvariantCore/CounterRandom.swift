import Foundation

/// Counter-based randomness: every draw is a pure function of a key and a counter.
///
/// Keys are derived from a seed and a path of integers — for augmentation
/// `(seed, epoch, sample index, transform position)`, for shuffling `(seed, epoch)` — so
/// the same sample gets the same random numbers whatever thread or batch position it is
/// processed in. The generator is Philox4x32-10 (Salmon et al., "Parallel random numbers:
/// as easy as 1, 2, 3", SC 2011), the counter-based generator used by JAX and cuRAND.
public struct RandomKey: Hashable, Sendable, CustomStringConvertible {
    public let value: UInt64

    public init(seed: UInt64) { value = RandomKey.mix(seed &+ 0x9E37_79B9_7F4A_7C15) }

    private init(rawValue: UInt64) { value = rawValue }

    /// A key for a sub-stream: `key.derived(epoch, index)` differs for every path.
    public func derived(_ path: Int...) -> RandomKey { derived(path) }

    public func derived(_ path: [Int]) -> RandomKey {
        var state = value
        for component in path {
            state = RandomKey.mix(state ^ RandomKey.mix(UInt64(bitPattern: Int64(component)) &+ 0xD1B5_4A32_D192_ED03))
        }
        return RandomKey(rawValue: state)
    }

    /// A generator that starts at counter zero of this key's stream.
    public func generator() -> CounterRandom { CounterRandom(key: self) }

    public var description: String { "RandomKey(0x\(String(value, radix: 16)))" }

    /// SplitMix64's finaliser: a bijective 64-bit mixer with full avalanche.
    static func mix(_ input: UInt64) -> UInt64 {
        var z = input
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Philox4x32-10 over a 64-bit key; yields 128 bits per counter step.
public struct CounterRandom: RandomNumberGenerator, Sendable {
    public let key: RandomKey
    public private(set) var counter: UInt64 = 0
    private var buffer: (UInt64, UInt64) = (0, 0)
    private var buffered = 0

    public init(key: RandomKey, counter: UInt64 = 0) {
        self.key = key
        self.counter = counter
    }

    public mutating func next() -> UInt64 {
        if buffered == 0 {
            buffer = CounterRandom.philox(counter: counter, key: key.value)
            counter &+= 1
            buffered = 2
        }
        buffered -= 1
        return buffered == 1 ? buffer.0 : buffer.1
    }

    /// A uniform integer in `0..<bound` (Lemire's multiply-shift with rejection; no modulo bias).
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold { product = next().multipliedFullWidth(by: range) }
        }
        return Int(product.high)
    }

    /// A uniform double in `[0, 1)` with 53 random bits.
    public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A standard normal draw by the Box–Muller transform (one per call: the pair's second
    /// value is discarded, so each draw depends only on its position in the stream).
    public mutating func nextStandardNormal() -> Double {
        let u1 = 1 - nextUnit()  // in (0, 1]: the logarithm is finite
        let u2 = nextUnit()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }

    /// Two independent standard normal draws from one Box–Muller pair (cosine and sine of
    /// the same angle): half the uniform draws and logarithms of two `nextStandardNormal()`.
    public mutating func nextStandardNormalPair() -> (Double, Double) {
        let u1 = 1 - nextUnit()
        let u2 = nextUnit()
        let radius = (-2 * log(u1)).squareRoot(), angle = 2 * .pi * u2
        return (radius * cos(angle), radius * sin(angle))
    }

    /// A uniform double in `range` (`lowerBound` inclusive).
    public mutating func nextDouble(in range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * nextUnit()
    }

    static func philox(counter: UInt64, key: UInt64) -> (UInt64, UInt64) {
        let block = philox4x32(SIMD4(UInt32(truncatingIfNeeded: counter), UInt32(truncatingIfNeeded: counter >> 32), 0, 0),
                               key: SIMD2(UInt32(truncatingIfNeeded: key), UInt32(truncatingIfNeeded: key >> 32)))
        return (UInt64(block[0]) | UInt64(block[1]) << 32, UInt64(block[2]) | UInt64(block[3]) << 32)
    }

    /// The Philox4x32-10 block function (Random123's `philox4x32`), checked against its
    /// published known-answer vectors in the tests.
    public static func philox4x32(_ counter: SIMD4<UInt32>, key: SIMD2<UInt32>) -> SIMD4<UInt32> {
        var (c0, c1, c2, c3) = (counter[0], counter[1], counter[2], counter[3])
        var (k0, k1) = (key[0], key[1])
        for _ in 0..<10 {
            let p0 = UInt64(0xD251_1F53) &* UInt64(c0)
            let p1 = UInt64(0xCD9E_8D57) &* UInt64(c2)
            (c0, c1, c2, c3) = (UInt32(truncatingIfNeeded: p1 >> 32) ^ c1 ^ k0, UInt32(truncatingIfNeeded: p1),
                                UInt32(truncatingIfNeeded: p0 >> 32) ^ c3 ^ k1, UInt32(truncatingIfNeeded: p0))
            k0 &+= 0x9E37_79B9
            k1 &+= 0xBB67_AE85
        }
        return SIMD4(c0, c1, c2, c3)
    }
}

extension Array {
    /// Fisher–Yates shuffle driven by a counter-based generator: the order is a pure
    /// function of the generator's key. (Named apart from the standard library's
    /// `shuffle(using:)`, whose algorithm is unspecified.)
    public mutating func deterministicShuffle(using generator: inout CounterRandom) {
        guard count > 1 else { return }
        for i in stride(from: count - 1, to: 0, by: -1) {
            let j = generator.nextInt(below: i + 1)
            if i != j { swapAt(i, j) }
        }
    }
}

/// Stream identifiers that keep the random draws of different purposes apart.
public enum RandomDomain {
    public static let shuffle = 1
    public static let split = 2
    public static let augmentation = 3
    /// A model's initial weights: one stream per weight.
    public static let initialization = 4
    /// Dropout masks: one stream per (training step, layer).
    public static let dropout = 5
    /// Batch mixing (MixUp, CutMix): one stream per (epoch, batch).
    public static let mixing = 6
}

extension RandomKey {
    /// The augmentation stream of one sample in one epoch: a pure function of the three,
    /// shared by the loader and `invariant augment`.
    public static func augmentation(seed: UInt64, epoch: Int, sampleIndex: Int) -> RandomKey {
        RandomKey(seed: seed).derived(RandomDomain.augmentation, epoch, sampleIndex)
    }
}
