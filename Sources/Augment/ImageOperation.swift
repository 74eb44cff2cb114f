import Imaging

/// A concrete, fully determined step on an image: what a transform decided to do with its
/// random draws. A list of operations replays an augmentation exactly.
public enum ImageOperation: Hashable, Sendable, Codable {
    /// Resample through an input → output affine map onto a canvas of `size`.
    case warp(AffineTransform, size: ImageSize, interpolation: Interpolation, border: BorderMode, fill: Double)
    /// Map every level through a table.
    case lookup(PixelLookup)
    /// Replace colour by Pillow's luma (L = (19595 R + 38470 G + 7471 B + 32768) >> 16),
    /// keeping the channel count.
    case gray
    /// Equalise each channel's histogram with PIL's `ImageOps.equalize` table.
    case equalize
    /// Fill rectangles with a level.
    case erase([PixelRect], fill: UInt8)
    /// Add Gaussian noise of standard deviation `sigma` levels, drawn per sample from `seed`.
    case noise(seed: UInt64, sigma: Double)

    /// Runs `operations` with fusion: consecutive warps compose into one affine map and one
    /// resampling (with the finest interpolation among them; their border settings must
    /// agree, otherwise they run separately — except flips and other pixel permutations,
    /// which read no border and fuse with anything), consecutive lookups into one table.
    ///
    /// What fusion changes: each pixel is interpolated once instead of once per warp, so the
    /// result is sharper than running the warps one after another; and content that a first
    /// warp would move off the canvas and a later one would bring back is kept instead of
    /// being replaced by the border. A warp that changes the canvas size (crop, resize, pad)
    /// ends a fused run, so content outside a crop never comes back. Lookups compose exactly.
    public static func execute(_ operations: [ImageOperation], on image: Image<UInt8>) -> Image<UInt8> {
        var result = image
        var index = 0
        while index < operations.count {
            switch operations[index] {
            case .warp(var transform, var size, var interpolation, var border, var fill):
                index += 1
                var canvas = (width: result.width, height: result.height)
                // A pixel permutation (flip) reads no border, so it fuses whatever the borders.
                var permutes = transform.permutesPixels(width: canvas.width, height: canvas.height, onto: size)
                // A crop, resize or pad defines a new canvas: what lies outside it is gone, so
                // later warps must not fuse through it and bring that content back.
                var closed = !permutes && (size.width != canvas.width || size.height != canvas.height)
                while index < operations.count,
                      case .warp(let next, let nextSize, let nextInterpolation, let nextBorder, let nextFill) = operations[index] {
                    canvas = (size.width, size.height)
                    let nextPermutes = next.permutesPixels(width: canvas.width, height: canvas.height, onto: nextSize)
                    guard !closed, permutes || nextPermutes || (nextBorder == border && nextFill == fill) else { break }
                    closed = !nextPermutes && (nextSize.width != canvas.width || nextSize.height != canvas.height)
                    if permutes && !nextPermutes { (border, fill) = (nextBorder, nextFill) }
                    transform = transform.followed(by: next)
                    size = nextSize
                    interpolation = permutes ? nextInterpolation : nextPermutes ? interpolation : finer(interpolation, nextInterpolation)
                    permutes = permutes && nextPermutes
                    index += 1
                }
                result = result.warped(by: transform, to: size, interpolation: interpolation, border: border, fill: fill)
            case .gray, .equalize, .erase, .noise:
                result = operations[index].applied(to: result)
                index += 1
            case .lookup(var table):
                index += 1
                while index < operations.count, case .lookup(let next) = operations[index] {
                    table = table.followed(by: next)
                    index += 1
                }
                result = table.apply(to: result)
            }
        }
        return result
    }

    private static func finer(_ a: Interpolation, _ b: Interpolation) -> Interpolation {
        let order: [Interpolation] = [.nearest, .bilinear, .bicubic]
        return order[max(order.firstIndex(of: a)!, order.firstIndex(of: b)!)]
    }
}

extension ImageOperation {
    /// The image-dependent operations, run one at a time.
    func applied(to image: Image<UInt8>) -> Image<UInt8> {
        switch self {
        case .gray: return PixelOperations.gray(image)
        case .equalize: return PixelOperations.equalize(image)
        case .erase(let rectangles, let fill): return PixelOperations.erase(image, rectangles, fill: fill)
        case .noise(let seed, let sigma): return PixelOperations.noise(image, seed: seed, sigma: sigma)
        case .warp, .lookup: return ImageOperation.execute([self], on: image)
        }
    }
}
