import Foundation
import Imaging
import InvariantCore

/// Mirrors left and right.
public struct HorizontalFlip: Augmentation {
    public var name: String { "hflip" }
    public var probability: Double

    public init(probability: Double = 0.5) { self.probability = probability }

    public func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        let flip = AffineTransform(a: -1, b: 0, c: Double(size.width - 1), d: 0, e: 1, f: 0)
        return AppliedAugmentation(name: name, parameters: [:],
                                   operations: [.warp(flip, size: size, interpolation: .nearest, border: .replicate, fill: 0)])
    }
}

/// Mirrors top and bottom.
public struct VerticalFlip: Augmentation {
    public var name: String { "vflip" }
    public var probability: Double

    public init(probability: Double = 0.5) { self.probability = probability }

    public func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        let flip = AffineTransform(a: 1, b: 0, c: 0, d: 0, e: -1, f: Double(size.height - 1))
        return AppliedAugmentation(name: name, parameters: [:],
                                   operations: [.warp(flip, size: size, interpolation: .nearest, border: .replicate, fill: 0)])
    }
}

/// Rotates about the centre by an angle drawn uniformly from `degrees` (positive turns
/// content counter-clockwise).
public struct Rotate: Augmentation {
    public var name: String { "rotate" }
    public var degrees: ClosedRange<Double>
    public var geometry: GeometryOptions
    public var probability: Double

    public init(degrees: ClosedRange<Double>, geometry: GeometryOptions = GeometryOptions(), probability: Double = 1) {
        self.degrees = degrees
        self.geometry = geometry
        self.probability = probability
    }

    public func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        let angle = random.nextDouble(in: degrees)
        let center = AffineTransform.center(of: (size.width, size.height))
        return AppliedAugmentation(name: name, parameters: ["degrees": angle],
                                   operations: [geometry.warp(.rotation(degrees: angle, about: center), size: size)])
    }
}

/// Scales about the centre by a factor drawn from `factors` (above 1 enlarges content);
/// with `keepsAspectRatio` off, x and y factors are drawn independently.
public struct Zoom: Augmentation {
    public var name: String { "zoom" }
    public var factors: ClosedRange<Double>
    public var keepsAspectRatio: Bool
    public var geometry: GeometryOptions
    public var probability: Double

    public init(factors: ClosedRange<Double>, keepsAspectRatio: Bool = true, geometry: GeometryOptions = GeometryOptions(),
                probability: Double = 1) {
        self.factors = factors
        self.keepsAspectRatio = keepsAspectRatio
        self.geometry = geometry
        self.probability = probability
    }

    public func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        let x = random.nextDouble(in: factors)
        let y = keepsAspectRatio ? x : random.nextDouble(in: factors)
        let center = AffineTransform.center(of: (size.width, size.height))
        return AppliedAugmentation(name: name, parameters: ["x": x, "y": y],
                                   operations: [geometry.warp(.scaling(x: x, y: y, about: center), size: size)])
    }
}

/// Moves content by fractions of the image size drawn independently per axis from
/// `fractions` (positive moves right and down).
public struct Shift: Augmentation {
    public var name: String { "shift" }
    public var fractions: ClosedRange<Double>
    public var geometry: GeometryOptions
    public var probability: Double

    public init(fractions: ClosedRange<Double>, geometry: GeometryOptions = GeometryOptions(), probability: Double = 1) {
        self.fractions = fractions
        self.geometry = geometry
        self.probability = probability
    }

    public func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        let dx = random.nextDouble(in: fractions) * Double(size.width)
        let dy = random.nextDouble(in: fractions) * Double(size.height)
        return AppliedAugmentation(name: name, parameters: ["x": dx, "y": dy],
                                   operations: [geometry.warp(.translation(x: dx, y: dy), size: size)])
    }
}

/// Shears about the centre by angles drawn independently per axis from `degrees`.
public struct Shear: Augmentation {
    public var name: String { "shear" }
    public var degrees: ClosedRange<Double>
    public var geometry: GeometryOptions
    public var probability: Double

    public init(degrees: ClosedRange<Double>, geometry: GeometryOptions = GeometryOptions(), probability: Double = 1) {
        self.degrees = degrees
        self.geometry = geometry
        self.probability = probability
    }

    public func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        let x = random.nextDouble(in: degrees), y = random.nextDouble(in: degrees)
        let center = AffineTransform.center(of: (size.width, size.height))
        return AppliedAugmentation(name: name, parameters: ["x": x, "y": y],
                                   operations: [geometry.warp(.shear(x: x, y: y, about: center), size: size)])
    }
}

/// Multiplies every level by a factor drawn from `factors`, like PIL's
/// `ImageEnhance.Brightness` (blend with black in float, truncated, clipped at 255).
public struct Brightness: Augmentation {
    public var name: String { "brightness" }
    public var factors: ClosedRange<Double>
    public var probability: Double

    public init(factors: ClosedRange<Double>, probability: Double = 1) {
        self.factors = factors
        self.probability = probability
    }

    public func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        let factor = random.nextDouble(in: factors)
        let table = PixelLookup { Brightness.enhance(UInt8($0), by: factor) }
        return AppliedAugmentation(name: name, parameters: ["factor": factor], operations: [.lookup(table)])
    }
}

extension Brightness {
    /// PIL's `ImageEnhance.Brightness` on one level: a blend with black in Float32,
    /// `(int)(0 + alpha·(level − 0))` as `ImagingBlend` computes it, clipped to 0…255.
    static func enhance(_ level: UInt8, by factor: Double) -> UInt8 {
        let value = Float(factor) * Float(level)
        return value >= 255 ? 255 : value <= 0 ? 0 : UInt8(value)
    }
}

/// Adds an offset drawn from `offsets` (in levels) to every channel, clipped to 0…255 —
/// Keras 3's `RandomBrightness` with `value_range=(0, 255)`.
public struct BrightnessShift: Augmentation {
    public var name: String { "brightness-shift" }
    public var offsets: ClosedRange<Double>
    public var probability: Double

    public init(offsets: ClosedRange<Double>, probability: Double = 1) {
        self.offsets = offsets
        self.probability = probability
    }

    public func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        let offset = random.nextDouble(in: offsets)
        let table = PixelLookup { UInt8(clampingRounded: Float(Double($0) + offset)) }
        return AppliedAugmentation(name: name, parameters: ["offset": offset], operations: [.lookup(table)])
    }
}

/// Raises normalised levels to a power drawn from `gammas`: 255·(v/255)^γ.
public struct Gamma: Augmentation {
    public var name: String { "gamma" }
    public var gammas: ClosedRange<Double>
    public var probability: Double

    public init(gammas: ClosedRange<Double>, probability: Double = 1) {
        self.gammas = gammas
        self.probability = probability
    }

    public func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        let gamma = random.nextDouble(in: gammas)
        let table = PixelLookup { UInt8(clampingRounded: Float(255 * pow(Double($0) / 255, gamma))) }
        return AppliedAugmentation(name: name, parameters: ["gamma": gamma], operations: [.lookup(table)])
    }
}
