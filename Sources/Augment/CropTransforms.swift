import Foundation
import Imaging
import InvariantCore

// Crops, resizes and padding are affine maps with a new canvas size, so they fuse with the
// other geometric steps into a single resampling. Crops and pads at integer offsets read
// input pixels exactly.

/// A crop at `origin` of `size`, as a warp: content moves by −origin onto a `size` canvas.
func cropOperation(origin: (x: Int, y: Int), size: ImageSize) -> ImageOperation {
    .warp(.translation(x: Double(-origin.x), y: Double(-origin.y)), size: size, interpolation: .nearest,
          border: .constant, fill: 0)
}

/// Resizing `from` → `to` with OpenCV's pixel-centre mapping x_in = (x_out + 0.5)·s − 0.5
/// (no antialiasing; what albumentations' `Resize` does through `cv2.resize`).
func resizeOperation(from source: ImageSize, to target: ImageSize, origin: (x: Double, y: Double) = (0, 0),
                     region: (width: Double, height: Double)? = nil, interpolation: Interpolation) -> ImageOperation {
    let regionWidth = region?.width ?? Double(source.width), regionHeight = region?.height ?? Double(source.height)
    let sx = Double(target.width) / regionWidth, sy = Double(target.height) / regionHeight
    // x_out = (x_in − origin + 0.5)·sx − 0.5
    let map = AffineTransform(a: sx, b: 0, c: (0.5 - origin.x) * sx - 0.5, d: 0, e: sy, f: (0.5 - origin.y) * sy - 0.5)
    return .warp(map, size: target, interpolation: interpolation, border: .replicate, fill: 0)
}

/// Crops a `size` region at the centre (albumentations' `CenterCrop`; offsets rounded down).
public struct CenterCrop: Augmentation {
    public var name: String { "center-crop" }
    public var size: ImageSize
    public var probability: Double

    public init(size: ImageSize, probability: Double = 1) {
        self.size = size
        self.probability = probability
    }

    public func draw(for image: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        let origin = ((image.width - size.width) / 2, (image.height - size.height) / 2)
        return AppliedAugmentation(name: name, parameters: ["x": Double(origin.0), "y": Double(origin.1)],
                                   operations: [cropOperation(origin: origin, size: size)])
    }
}

/// Crops a `size` region at a uniformly drawn position. A crop larger than the image pads
/// with the constant border.
public struct RandomCrop: Augmentation {
    public var name: String { "random-crop" }
    public var size: ImageSize
    public var probability: Double

    public init(size: ImageSize, probability: Double = 1) {
        self.size = size
        self.probability = probability
    }

    public func draw(for image: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        let x = random.nextInt(below: max(1, image.width - size.width + 1))
        let y = random.nextInt(below: max(1, image.height - size.height + 1))
        return AppliedAugmentation(name: name, parameters: ["x": Double(x), "y": Double(y)],
                                   operations: [cropOperation(origin: (x, y), size: size)])
    }
}

/// Resizes to a fixed size.
public struct Resize: Augmentation {
    public var name: String { "resize" }
    public var size: ImageSize
    public var interpolation: Interpolation
    public var probability: Double

    public init(size: ImageSize, interpolation: Interpolation = .bilinear, probability: Double = 1) {
        self.size = size
        self.interpolation = interpolation
        self.probability = probability
    }

    public func draw(for image: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        AppliedAugmentation(name: name, parameters: [:],
                            operations: [resizeOperation(from: image, to: size, interpolation: interpolation)])
    }
}

/// `RandomResizedCrop` with torchvision's region draw — `scale` × the image area, aspect
/// ratio log-uniform in `ratio`, and after 10 failed draws the largest centred region within
/// the ratio bounds — resampled as albumentations does (OpenCV-style pixel centres, no
/// antialiasing; torchvision antialiases large reductions).
public struct RandomResizedCrop: Augmentation {
    public var name: String { "random-resized-crop" }
    public var size: ImageSize
    public var scale: ClosedRange<Double>
    public var ratio: ClosedRange<Double>
    public var interpolation: Interpolation
    public var probability: Double

    public init(size: ImageSize, scale: ClosedRange<Double> = 0.08...1, ratio: ClosedRange<Double> = (3.0 / 4)...(4.0 / 3),
                interpolation: Interpolation = .bilinear, probability: Double = 1) {
        self.size = size
        self.scale = scale
        self.ratio = ratio
        self.interpolation = interpolation
        self.probability = probability
    }

    public func draw(for image: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        let area = Double(image.width * image.height)
        let logRatio = log(ratio.lowerBound)...log(ratio.upperBound)
        var chosen: (x: Int, y: Int, width: Int, height: Int)?
        for _ in 0..<10 {
            let target = area * random.nextDouble(in: scale)
            let aspect = exp(random.nextDouble(in: logRatio))
            let width = Int((target * aspect).squareRoot().rounded()), height = Int((target / aspect).squareRoot().rounded())
            if width > 0 && height > 0 && width <= image.width && height <= image.height {
                chosen = (random.nextInt(below: image.width - width + 1), random.nextInt(below: image.height - height + 1),
                          width, height)
                break
            }
        }
        let region = chosen ?? {
            let aspect = Double(image.width) / Double(image.height)
            let width = aspect < ratio.lowerBound ? image.width : aspect > ratio.upperBound
                ? Int((Double(image.height) * ratio.upperBound).rounded()) : image.width
            let height = aspect < ratio.lowerBound ? Int((Double(image.width) / ratio.lowerBound).rounded()) : image.height
            return ((image.width - width) / 2, (image.height - height) / 2, width, height)
        }()
        let operation = resizeOperation(from: image, to: size, origin: (Double(region.x), Double(region.y)),
                                        region: (Double(region.width), Double(region.height)), interpolation: interpolation)
        return AppliedAugmentation(name: name, parameters: ["x": Double(region.x), "y": Double(region.y),
                                                            "width": Double(region.width), "height": Double(region.height)],
                                   operations: [operation])
    }
}

/// Pads to at least `size`, centring the image (albumentations' `PadIfNeeded`, letterbox).
public struct PadIfNeeded: Augmentation {
    public var name: String { "pad" }
    public var size: ImageSize
    public var border: BorderMode
    public var fill: Double
    public var probability: Double

    public init(size: ImageSize, border: BorderMode = .reflect101, fill: Double = 0, probability: Double = 1) {
        self.size = size
        self.border = border
        self.fill = fill
        self.probability = probability
    }

    public func draw(for image: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        let target = ImageSize(width: max(size.width, image.width), height: max(size.height, image.height))
        let left = (target.width - image.width) / 2, top = (target.height - image.height) / 2
        return AppliedAugmentation(name: name, parameters: ["left": Double(left), "top": Double(top)], operations: [
            .warp(.translation(x: Double(left), y: Double(top)), size: target, interpolation: .nearest, border: border, fill: fill),
        ])
    }
}

/// Mirrors across the main diagonal: (x, y) → (y, x).
public struct Transpose: Augmentation {
    public var name: String { "transpose" }
    public var probability: Double

    public init(probability: Double = 0.5) { self.probability = probability }

    public func draw(for image: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        AppliedAugmentation(name: name, parameters: [:], operations: [
            .warp(AffineTransform(a: 0, b: 1, c: 0, d: 1, e: 0, f: 0), size: ImageSize(width: image.height, height: image.width),
                  interpolation: .nearest, border: .replicate, fill: 0),
        ])
    }
}

/// Turns by a uniformly drawn multiple of 90° (counter-clockwise).
public struct RandomRotate90: Augmentation {
    public var name: String { "rotate90" }
    public var probability: Double

    public init(probability: Double = 0.5) { self.probability = probability }

    public func draw(for image: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        let turns = random.nextInt(below: 4)
        let w = Double(image.width - 1), h = Double(image.height - 1)
        let (map, size): (AffineTransform, ImageSize) = switch turns {
        case 1: (AffineTransform(a: 0, b: 1, c: 0, d: -1, e: 0, f: w), ImageSize(width: image.height, height: image.width))
        case 2: (AffineTransform(a: -1, b: 0, c: w, d: 0, e: -1, f: h), image)
        case 3: (AffineTransform(a: 0, b: -1, c: h, d: 1, e: 0, f: 0), ImageSize(width: image.height, height: image.width))
        default: (.identity, image)
        }
        return AppliedAugmentation(name: name, parameters: ["turns": Double(turns)],
                                   operations: [.warp(map, size: size, interpolation: .nearest, border: .replicate, fill: 0)])
    }
}

/// Resizes so that the longer side is `maxSize`, keeping the aspect ratio (albumentations'
/// `LongestMaxSize`; the other side rounded, at least 1), as a warp with OpenCV's pixel centres.
public struct LongestMaxSize: Augmentation {
    public var name: String { "longest-max-size" }
    public var maxSize: Int
    public var interpolation: Interpolation
    public var probability: Double

    public init(maxSize: Int, interpolation: Interpolation = .bilinear, probability: Double = 1) {
        precondition(maxSize > 0, "the longest side must be positive")
        self.maxSize = maxSize
        self.interpolation = interpolation
        self.probability = probability
    }

    public func draw(for image: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        let scale = Double(maxSize) / Double(max(1, max(image.width, image.height)))
        let target = scaledSize(image, by: scale)
        return AppliedAugmentation(name: name, parameters: ["scale": scale],
                                   operations: [resizeOperation(from: image, to: target, interpolation: interpolation)])
    }
}

/// Resizes so that the shorter side is `maxSize`, keeping the aspect ratio (albumentations'
/// `SmallestMaxSize`, torchvision's `Resize(int)`).
public struct SmallestMaxSize: Augmentation {
    public var name: String { "smallest-max-size" }
    public var maxSize: Int
    public var interpolation: Interpolation
    public var probability: Double

    public init(maxSize: Int, interpolation: Interpolation = .bilinear, probability: Double = 1) {
        precondition(maxSize > 0, "the smallest side must be positive")
        self.maxSize = maxSize
        self.interpolation = interpolation
        self.probability = probability
    }

    public func draw(for image: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        let scale = Double(maxSize) / Double(max(1, min(image.width, image.height)))
        let target = scaledSize(image, by: scale)
        return AppliedAugmentation(name: name, parameters: ["scale": scale],
                                   operations: [resizeOperation(from: image, to: target, interpolation: interpolation)])
    }
}

/// Both sides times `scale`, rounded half up, at least 1 and at most 16 384.
func scaledSize(_ size: ImageSize, by scale: Double) -> ImageSize {
    func side(_ n: Int) -> Int { min(16384, max(1, Int((Double(n) * scale + 0.5).rounded(.down)))) }
    return ImageSize(width: side(size.width), height: side(size.height))
}
