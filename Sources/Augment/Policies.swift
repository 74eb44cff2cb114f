import Foundation
import Imaging
import InvariantCore

/// The operations of torchvision's automatic augmentation policies, with torchvision's
/// geometry (nearest sampling, fill 0; shears about the top-left corner, rotations about the
/// centre, whole-pixel translations) and PIL's `ImageEnhance` / `ImageOps` for the levels.
public enum PolicyOperation: String, CaseIterable, Sendable {
    case identity = "Identity", shearX = "ShearX", shearY = "ShearY", translateX = "TranslateX", translateY = "TranslateY"
    case rotate = "Rotate", brightness = "Brightness", color = "Color", contrast = "Contrast", sharpness = "Sharpness"
    case posterize = "Posterize", solarize = "Solarize", autoContrast = "AutoContrast", equalize = "Equalize", invert = "Invert"

    /// Whether torchvision draws a random sign for the magnitude.
    public var signed: Bool {
        switch self {
        case .shearX, .shearY, .translateX, .translateY, .rotate, .brightness, .color, .contrast, .sharpness: true
        default: false
        }
    }

    /// The image operations for `magnitude` on an image of `size` (torchvision's `_apply_op`).
    public func operations(magnitude: Double, size: ImageSize) -> [ImageOperation] {
        func warp(_ map: AffineTransform) -> [ImageOperation] {
            [.warp(map, size: size, interpolation: .nearest, border: .constant, fill: 0)]
        }
        switch self {
        case .identity: return []
        // x_in = x_out + m·(y_out + ½) about the top-left corner (−½, −½) in pixel-centre coordinates.
        case .shearX: return warp(AffineTransform(a: 1, b: -magnitude, c: -0.5 * magnitude, d: 0, e: 1, f: 0))
        case .shearY: return warp(AffineTransform(a: 1, b: 0, c: 0, d: -magnitude, e: 1, f: -0.5 * magnitude))
        case .translateX: return warp(.translation(x: Double(Int(magnitude)), y: 0))
        case .translateY: return warp(.translation(x: 0, y: Double(Int(magnitude))))
        case .rotate: return warp(.rotation(degrees: magnitude, about: AffineTransform.center(of: (size.width, size.height))))
        case .brightness: return [.lookup(PixelLookup { Brightness.enhance(UInt8($0), by: 1 + magnitude) })]
        case .color: return [.enhance(.color, factor: 1 + magnitude)]
        case .contrast: return [.enhance(.contrast, factor: 1 + magnitude)]
        case .sharpness: return [.enhance(.sharpness, factor: 1 + magnitude)]
        case .posterize:
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - min(8, max(0, Int(magnitude)))))
            return [.lookup(PixelLookup { UInt8($0) & mask })]
        case .solarize: return [.lookup(PixelLookup { Double($0) >= magnitude ? UInt8(255 - $0) : UInt8($0) })]
        case .autoContrast: return [.autoContrast]
        case .equalize: return [.equalize]
        case .invert: return [.lookup(PixelLookup { UInt8(255 - $0) })]
        }
    }

    /// torchvision's magnitude bins: `linspace(0, top, bins)` for the continuous operations,
    /// 8 − round(k / ((bins − 1) / steps)) bits for posterize, `linspace(255, 0, bins)` for
    /// solarize; nil for the operations without a magnitude.
    public func magnitudes(bins: Int, size: ImageSize, wide: Bool) -> [Double]? {
        func linspace(_ from: Double, _ to: Double) -> [Double] {
            bins == 1 ? [from] : (0..<bins).map { from + (to - from) * Double($0) / Double(bins - 1) }
        }
        switch self {
        case .shearX, .shearY: return linspace(0, wide ? 0.99 : 0.3)
        case .translateX: return linspace(0, wide ? 32 : 150.0 / 331.0 * Double(size.width))
        case .translateY: return linspace(0, wide ? 32 : 150.0 / 331.0 * Double(size.height))
        case .rotate: return linspace(0, wide ? 135 : 30)
        case .brightness, .color, .contrast, .sharpness: return linspace(0, wide ? 0.99 : 0.9)
        case .posterize:
            let steps = wide ? 6.0 : 4.0
            return (0..<bins).map { 8 - (Double($0) / (Double(bins - 1) / steps)).rounded(.toNearestOrEven) }
        case .solarize: return linspace(255, 0)
        default: return nil
        }
    }

    /// The list RandAugment and TrivialAugmentWide choose from (torchvision's order).
    public static let randomChoices: [PolicyOperation] = [.identity, .shearX, .shearY, .translateX, .translateY, .rotate, .brightness,
                                                   .color, .contrast, .sharpness, .posterize, .solarize, .autoContrast, .equalize]
}

/// The parameters recorded for one policy operation.
private func record(_ parameters: inout [String: Double], _ position: Int, _ operation: PolicyOperation, _ magnitude: Double) {
    parameters["op\(position)"] = Double(PolicyOperation.allCases.firstIndex(of: operation)!)
    parameters["magnitude\(position)"] = magnitude
}

/// torchvision's `RandAugment`: `count` operations drawn uniformly (with replacement) from
/// the 14, each at bin `magnitude` of `bins`, with a random sign where the operation has one.
public struct RandAugment: Augmentation {
    public var name: String { "rand-augment" }
    public var count: Int
    public var magnitude: Int
    public var bins: Int
    public var probability: Double

    public init(count: Int = 2, magnitude: Int = 9, bins: Int = 31, probability: Double = 1) {
        precondition(count >= 0 && bins >= 1 && (0..<bins).contains(magnitude), "RandAugment: count ≥ 0, magnitude in 0..<bins")
        self.count = count
        self.magnitude = magnitude
        self.bins = bins
        self.probability = probability
    }

    public func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        var operations: [ImageOperation] = [], parameters: [String: Double] = [:]
        for position in 0..<count {
            let operation = PolicyOperation.randomChoices[random.nextInt(below: PolicyOperation.randomChoices.count)]
            var value = operation.magnitudes(bins: bins, size: size, wide: false)?[magnitude] ?? 0
            if operation.signed && random.nextInt(below: 2) == 1 { value = -value }
            record(&parameters, position, operation, value)
            operations += operation.operations(magnitude: value, size: size)
        }
        return AppliedAugmentation(name: name, parameters: parameters, operations: operations)
    }
}

/// torchvision's `TrivialAugmentWide`: one operation drawn uniformly from the 14, at a bin
/// drawn uniformly from `bins` (the wide ranges), with a random sign where it has one.
public struct TrivialAugmentWide: Augmentation {
    public var name: String { "trivial-augment" }
    public var bins: Int
    public var probability: Double

    public init(bins: Int = 31, probability: Double = 1) {
        precondition(bins >= 1, "TrivialAugmentWide needs at least one bin")
        self.bins = bins
        self.probability = probability
    }

    public func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        let operation = PolicyOperation.randomChoices[random.nextInt(below: PolicyOperation.randomChoices.count)]
        let bin = random.nextInt(below: bins)
        var value = operation.magnitudes(bins: bins, size: size, wide: true)?[bin] ?? 0
        if operation.signed && random.nextInt(below: 2) == 1 { value = -value }
        var parameters = ["bin": Double(bin)]
        record(&parameters, 0, operation, value)
        return AppliedAugmentation(name: name, parameters: parameters, operations: operation.operations(magnitude: value, size: size))
    }
}

/// torchvision's `AutoAugment` with the ImageNet policy: one of its 25 sub-policies drawn
/// uniformly; each of its two operations fires with its probability, at its magnitude bin of
/// 10, negated with probability ½ where it has a sign.
public struct AutoAugment: Augmentation {
    public var name: String { "auto-augment" }
    public var probability: Double

    public init(probability: Double = 1) { self.probability = probability }

    /// (operation, probability, magnitude bin) pairs of torchvision's `AutoAugmentPolicy.IMAGENET`.
    public static let imageNetPolicy: [[(PolicyOperation, Double, Int?)]] = [
        [(.posterize, 0.4, 8), (.rotate, 0.6, 9)], [(.solarize, 0.6, 5), (.autoContrast, 0.6, nil)],
        [(.equalize, 0.8, nil), (.equalize, 0.6, nil)], [(.posterize, 0.6, 7), (.posterize, 0.6, 6)],
        [(.equalize, 0.4, nil), (.solarize, 0.2, 4)], [(.equalize, 0.4, nil), (.rotate, 0.8, 8)],
        [(.solarize, 0.6, 3), (.equalize, 0.6, nil)], [(.posterize, 0.8, 5), (.equalize, 1.0, nil)],
        [(.rotate, 0.2, 3), (.solarize, 0.6, 8)], [(.equalize, 0.6, nil), (.posterize, 0.4, 6)],
        [(.rotate, 0.8, 8), (.color, 0.4, 0)], [(.rotate, 0.4, 9), (.equalize, 0.6, nil)],
        [(.equalize, 0.0, nil), (.equalize, 0.8, nil)], [(.invert, 0.6, nil), (.equalize, 1.0, nil)],
        [(.color, 0.6, 4), (.contrast, 1.0, 8)], [(.rotate, 0.8, 8), (.color, 1.0, 2)],
        [(.color, 0.8, 8), (.solarize, 0.8, 7)], [(.sharpness, 0.4, 7), (.invert, 0.6, nil)],
        [(.shearX, 0.6, 5), (.equalize, 1.0, nil)], [(.color, 0.4, 0), (.equalize, 0.6, nil)],
        [(.equalize, 0.4, nil), (.solarize, 0.2, 4)], [(.solarize, 0.6, 5), (.autoContrast, 0.6, nil)],
        [(.invert, 0.6, nil), (.equalize, 1.0, nil)], [(.color, 0.6, 4), (.contrast, 1.0, 8)],
        [(.equalize, 0.8, nil), (.equalize, 0.6, nil)],
    ]

    public func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        let policy = random.nextInt(below: AutoAugment.imageNetPolicy.count)
        let chances = [random.nextUnit(), random.nextUnit()], signs = [random.nextInt(below: 2), random.nextInt(below: 2)]
        var operations: [ImageOperation] = [], parameters = ["policy": Double(policy)]
        for (position, (operation, chance, bin)) in AutoAugment.imageNetPolicy[policy].enumerated() where chances[position] <= chance {
            var value = bin.flatMap { operation.magnitudes(bins: 10, size: size, wide: false)?[$0] } ?? 0
            if operation.signed && signs[position] == 0 { value = -value }
            record(&parameters, position, operation, value)
            operations += operation.operations(magnitude: value, size: size)
        }
        return AppliedAugmentation(name: name, parameters: parameters, operations: operations)
    }
}
