import Imaging
import InvariantCore

/// Replaces colour by Pillow's luma, keeping the channel count (albumentations' `ToGray`
/// with three output channels; the weights are Pillow's, not OpenCV's).
public struct ToGray: Augmentation {
    public var name: String { "to-gray" }
    public var probability: Double

    public init(probability: Double = 0.5) { self.probability = probability }

    public func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        AppliedAugmentation(name: name, parameters: [:], operations: [.gray])
    }
}

/// Equalises each channel's histogram (PIL's `ImageOps.equalize`).
public struct Equalize: Augmentation {
    public var name: String { "equalize" }
    public var probability: Double

    public init(probability: Double = 0.5) { self.probability = probability }

    public func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        AppliedAugmentation(name: name, parameters: [:], operations: [.equalize])
    }
}

/// Fills `holes` rectangles with sides drawn from `sides` (fractions of the image side) at
/// uniform positions (albumentations' `CoarseDropout`, torchvision's `RandomErasing`).
public struct CoarseDropout: Augmentation {
    public var name: String { "dropout" }
    public var holes: ClosedRange<Int>
    public var sides: ClosedRange<Double>
    public var fill: UInt8
    public var probability: Double

    public init(holes: ClosedRange<Int> = 1...1, sides: ClosedRange<Double> = 0.1...0.2, fill: UInt8 = 0,
                probability: Double = 0.5) {
        self.holes = holes
        self.sides = sides
        self.fill = fill
        self.probability = probability
    }

    public func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        let count = holes.lowerBound + random.nextInt(below: holes.count)
        let rectangles = (0..<count).map { _ -> PixelRect in
            let width = max(1, Int((random.nextDouble(in: sides) * Double(size.width)).rounded()))
            let height = max(1, Int((random.nextDouble(in: sides) * Double(size.height)).rounded()))
            return PixelRect(x: random.nextInt(below: max(1, size.width - width + 1)),
                             y: random.nextInt(below: max(1, size.height - height + 1)), width: width, height: height)
        }
        return AppliedAugmentation(name: name, parameters: ["holes": Double(count)], operations: [.erase(rectangles, fill: fill)])
    }
}

/// Adds Gaussian noise with a standard deviation drawn from `sigmas` (in levels), per sample.
public struct GaussNoise: Augmentation {
    public var name: String { "noise" }
    public var sigmas: ClosedRange<Double>
    public var probability: Double

    public init(sigmas: ClosedRange<Double> = 5...20, probability: Double = 0.5) {
        self.sigmas = sigmas
        self.probability = probability
    }

    public func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        let sigma = random.nextDouble(in: sigmas)
        return AppliedAugmentation(name: name, parameters: ["sigma": sigma], operations: [.noise(seed: random.next(), sigma: sigma)])
    }
}
