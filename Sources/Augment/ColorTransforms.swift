import Foundation
import Imaging
import InvariantCore

/// albumentations' `RandomBrightnessContrast` (brightness by max): v·α + β·255 with
/// α = 1 + U(contrast) and β = U(brightness), clipped to 0…255 and truncated.
public struct BrightnessContrast: Augmentation {
    public var name: String { "brightness-contrast" }
    public var brightness: ClosedRange<Double>
    public var contrast: ClosedRange<Double>
    public var probability: Double

    public init(brightness: ClosedRange<Double> = -0.2...0.2, contrast: ClosedRange<Double> = -0.2...0.2,
                probability: Double = 0.5) {
        self.brightness = brightness
        self.contrast = contrast
        self.probability = probability
    }

    public func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        let alpha = 1 + random.nextDouble(in: contrast), beta = random.nextDouble(in: brightness)
        let table = PixelLookup { level in
            let value = Float(level) * Float(alpha) + Float(beta) * 255
            return value <= 0 ? 0 : value >= 255 ? 255 : UInt8(value)
        }
        return AppliedAugmentation(name: name, parameters: ["alpha": alpha, "beta": beta], operations: [.lookup(table)])
    }
}

/// Inverts every level at or above `threshold` (PIL's `ImageOps.solarize`).
public struct Solarize: Augmentation {
    public var name: String { "solarize" }
    public var threshold: Int
    public var probability: Double

    public init(threshold: Int = 128, probability: Double = 0.5) {
        self.threshold = threshold
        self.probability = probability
    }

    public func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        let threshold = self.threshold
        return AppliedAugmentation(name: name, parameters: ["threshold": Double(threshold)],
                                   operations: [.lookup(PixelLookup { $0 >= threshold ? UInt8(255 - $0) : UInt8($0) })])
    }
}

/// Keeps the top `bits` bits of every level (PIL's `ImageOps.posterize`).
public struct Posterize: Augmentation {
    public var name: String { "posterize" }
    public var bits: ClosedRange<Int>
    public var probability: Double

    public init(bits: ClosedRange<Int> = 4...8, probability: Double = 0.5) {
        precondition(bits.lowerBound >= 1 && bits.upperBound <= 8, "posterize keeps 1…8 bits")
        self.bits = bits
        self.probability = probability
    }

    public func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        let kept = bits.lowerBound + random.nextInt(below: bits.count)
        let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - kept))
        return AppliedAugmentation(name: name, parameters: ["bits": Double(kept)],
                                   operations: [.lookup(PixelLookup { UInt8($0) & mask })])
    }
}

/// Replaces every level v by 255 − v.
public struct Invert: Augmentation {
    public var name: String { "invert" }
    public var probability: Double

    public init(probability: Double = 0.5) { self.probability = probability }

    public func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        AppliedAugmentation(name: name, parameters: [:], operations: [.lookup(PixelLookup { UInt8(255 - $0) })])
    }
}

/// Adds an offset drawn independently per channel (albumentations' `RGBShift`), clipped.
public struct RGBShift: Augmentation {
    public var name: String { "rgb-shift" }
    public var offsets: ClosedRange<Double>
    public var channels: Int
    public var probability: Double

    public init(offsets: ClosedRange<Double> = -20...20, channels: Int = 3, probability: Double = 0.5) {
        self.offsets = offsets
        self.channels = channels
        self.probability = probability
    }

    public func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        let shifts = (0..<channels).map { _ in random.nextDouble(in: offsets) }
        let tables = shifts.map { shift in (0..<256).map { UInt8(clampingRounded: Float(Double($0) + shift)) } }
        var parameters: [String: Double] = [:]
        for (channel, shift) in shifts.enumerated() { parameters["channel\(channel)"] = shift }
        return AppliedAugmentation(name: name, parameters: parameters, operations: [.lookup(PixelLookup(tables: tables))])
    }
}
