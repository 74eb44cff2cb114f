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

/// albumentations' `HueSaturationValue` on uint8: shifts drawn from `hue` (OpenCV hue units,
/// 0…179 for the full turn), `saturation` and `value` (levels), applied in OpenCV's 8-bit HSV
/// (grey pixels keep saturation 0). A grey image only takes the value shift.
public struct HueSaturationValue: Augmentation {
    public var name: String { "hsv" }
    public var hue: ClosedRange<Double>
    public var saturation: ClosedRange<Double>
    public var value: ClosedRange<Double>
    public var probability: Double

    public init(hue: ClosedRange<Double> = -20...20, saturation: ClosedRange<Double> = -30...30,
                value: ClosedRange<Double> = -20...20, probability: Double = 0.5) {
        self.hue = hue
        self.saturation = saturation
        self.value = value
        self.probability = probability
    }

    public func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        let h = random.nextDouble(in: hue), s = random.nextDouble(in: saturation), v = random.nextDouble(in: value)
        let operations: [ImageOperation] = h == 0 && s == 0 && v == 0 ? [] : [.hsv(hue: h, saturation: s, value: v)]
        return AppliedAugmentation(name: name, parameters: ["hue": h, "saturation": s, "value": v], operations: operations)
    }
}

/// torchvision's `ColorJitter` factors with albumentations' uint8 arithmetic: brightness
/// multiplies levels (float32 table, clipped, truncated as albucore does), contrast blends with the mean of OpenCV's grey
/// image, saturation blends with the grey image (`cv2.addWeighted`), hue rotates OpenCV's
/// 8-bit hue by 180·h units; the four run in an order drawn per image, as both libraries do.
/// A factor of 1 (hue 0) is skipped.
public struct ColorJitter: Augmentation {
    public var name: String { "color-jitter" }
    public var brightness: ClosedRange<Double>
    public var contrast: ClosedRange<Double>
    public var saturation: ClosedRange<Double>
    public var hue: ClosedRange<Double>
    public var probability: Double

    public init(brightness: ClosedRange<Double> = 0.8...1.2, contrast: ClosedRange<Double> = 0.8...1.2,
                saturation: ClosedRange<Double> = 0.8...1.2, hue: ClosedRange<Double> = -0.5...0.5, probability: Double = 0.5) {
        precondition(brightness.lowerBound >= 0 && contrast.lowerBound >= 0 && saturation.lowerBound >= 0
                     && hue.lowerBound >= -0.5 && hue.upperBound <= 0.5, "jitter factors ≥ 0, hue within ±0.5")
        self.brightness = brightness
        self.contrast = contrast
        self.saturation = saturation
        self.hue = hue
        self.probability = probability
    }

    /// albucore's `multiply` table for uint8.
    public static func brightnessTable(factor: Double) -> PixelLookup {
        PixelLookup { ColorOperations.truncatedLevel($0, factor: factor) }
    }

    public func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        var order = [0, 1, 2, 3]
        order.deterministicShuffle(using: &random)
        let factors = [random.nextDouble(in: brightness), random.nextDouble(in: contrast), random.nextDouble(in: saturation),
                       random.nextDouble(in: hue)]
        var operations: [ImageOperation] = []
        for step in order {
            let factor = factors[step]
            switch step {
            case 0 where factor != 1:
                operations.append(.lookup(ColorJitter.brightnessTable(factor: factor)))
            case 1 where factor != 1: operations.append(.contrast(factor: factor))
            case 2 where factor != 1: operations.append(.saturation(factor: factor))
            case 3 where factor != 0: operations.append(.hsv(hue: 180 * factor, saturation: 0, value: 0))
            default: break
            }
        }
        var parameters = ["brightness": factors[0], "contrast": factors[1], "saturation": factors[2], "hue": factors[3]]
        for (position, step) in order.enumerated() { parameters["order\(position)"] = Double(step) }
        return AppliedAugmentation(name: name, parameters: parameters, operations: operations)
    }
}

/// Keras's `channel_shift_range`: one offset drawn from `offsets` added to every channel,
/// clipped to the image's own minimum and maximum level (a brightness offset, not a
/// per-channel shift; see `RGBShift` for that).
public struct ChannelShift: Augmentation {
    public var name: String { "channel-shift" }
    public var offsets: ClosedRange<Double>
    public var probability: Double

    public init(offsets: ClosedRange<Double>, probability: Double = 1) {
        self.offsets = offsets
        self.probability = probability
    }

    public func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        let offset = random.nextDouble(in: offsets)
        return AppliedAugmentation(name: name, parameters: ["offset": offset], operations: offset == 0 ? [] : [.channelShift(offset: offset)])
    }
}
