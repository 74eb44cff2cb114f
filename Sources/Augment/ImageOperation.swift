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
    /// Resample through an input → output projective map (a homography) onto a canvas of `size`.
    case perspective(ProjectiveTransform, size: ImageSize, interpolation: Interpolation, border: BorderMode, fill: Double)
    /// albumentations' `shift_hsv` on OpenCV's 8-bit HSV (hue in 0…179): hue + `hue` modulo
    /// 180 (truncated), saturation + `saturation` (grey pixels stay grey) and value + `value`
    /// as albucore's `add_constant` (rounded up-shifts, truncated down-shifts, clipped); on
    /// a 1-channel image only the value shift applies.
    case hsv(hue: Double, saturation: Double, value: Double)
    /// torchvision's contrast as albumentations computes it on uint8: v·f + m·(1 − f) with m
    /// the mean of OpenCV's grey image, through a table (float32, clipped, truncated).
    case contrast(factor: Double)
    /// torchvision's saturation as albumentations computes it on uint8: `cv2.addWeighted` of
    /// the image (weight f) and its OpenCV grey (weight 1 − f), rounded and clipped.
    case saturation(factor: Double)
    /// Convolve with a small kernel, borders reflected about the edge pixel (OpenCV's default
    /// `BORDER_REFLECT_101`), accumulated in Float along whole rows, rounded once.
    case convolve(ConvolutionKernel)
    /// Encode as JPEG at `quality` with libjpeg-turbo and decode again.
    case jpeg(quality: Int)
    /// Keras's `apply_channel_shift`: add one offset to every channel, clipped to the image's
    /// own minimum and maximum level, rounded.
    case channelShift(offset: Double)
    /// Resample through a dense displacement field (elastic transform, grid distortion).
    case distort(DisplacementField)
    /// PIL's `ImageEnhance` (Color, Contrast, Sharpness): a blend of the image with its
    /// degenerate version, `(UINT8)(d + f·(v − d))` clipped, as `ImagingBlend` computes it.
    case enhance(Enhancement, factor: Double)
    /// PIL's `ImageOps.autocontrast` (no cutoff): each channel stretched from its [min, max] to 0…255.
    case autoContrast

    /// Runs `operations` with fusion: consecutive warps (affine or projective) compose into one
    /// map — affine while every step is, a homography once one is — and one
    /// resampling (with the finest interpolation among them; their border settings must
    /// agree, otherwise they run separately — except flips and other pixel permutations,
    /// which read no border and fuse with anything), consecutive lookups into one table.
    ///
    /// What fusion changes: each pixel is interpolated once instead of once per warp, so the
    /// result is sharper than running the warps one after another; and content that a first
    /// warp would move off the canvas and a later one would bring back is kept instead of
    /// being replaced by the border. A warp that changes the canvas size (crop, resize, pad)
    /// ends a fused run, so content outside a crop never comes back. Lookups compose exactly;
    /// runs of lookups, contrast, saturation and HSV shifts take fewer passes over the image,
    /// with exactly the result of running them one by one (`ColorOperations.colourChain`).
    public static func execute(_ operations: [ImageOperation], on image: Image<UInt8>) -> Image<UInt8> {
        var result = image
        var index = 0
        while index < operations.count {
            switch operations[index] {
            case .warp, .perspective:
                var (map, size, interpolation, border, fill) = operations[index].geometry!
                index += 1
                var canvas = (width: result.width, height: result.height)
                // A pixel permutation (flip) reads no border, so it fuses whatever the borders.
                var permutes = map.permutesPixels(width: canvas.width, height: canvas.height, onto: size)
                // A crop, resize or pad defines a new canvas: what lies outside it is gone, so
                // later warps must not fuse through it and bring that content back.
                var closed = !permutes && (size.width != canvas.width || size.height != canvas.height)
                while index < operations.count, let (next, nextSize, nextInterpolation, nextBorder, nextFill) = operations[index].geometry {
                    canvas = (size.width, size.height)
                    let nextPermutes = next.permutesPixels(width: canvas.width, height: canvas.height, onto: nextSize)
                    guard !closed, permutes || nextPermutes || (nextBorder == border && nextFill == fill) else { break }
                    closed = !nextPermutes && (nextSize.width != canvas.width || nextSize.height != canvas.height)
                    if permutes && !nextPermutes { (border, fill) = (nextBorder, nextFill) }
                    map = map.followed(by: next)
                    size = nextSize
                    interpolation = permutes ? nextInterpolation : nextPermutes ? interpolation : finer(interpolation, nextInterpolation)
                    permutes = permutes && nextPermutes
                    index += 1
                }
                switch map {
                case .affine(let transform):
                    // Lookups right after the warp map each level as the warp stores it.
                    var lookup: PixelLookup?
                    while index < operations.count, case .lookup(let next) = operations[index] {
                        lookup = lookup.map { $0.followed(by: next) } ?? next
                        index += 1
                    }
                    result = result.warped(by: transform, to: size, interpolation: interpolation, border: border, fill: fill,
                                           mappingLevelsThrough: lookup)
                case .projective(let transform):
                    result = result.warped(by: transform, to: size, interpolation: interpolation, border: border, fill: fill)
                }
            case .gray, .equalize, .erase, .noise, .convolve, .jpeg, .channelShift, .distort, .enhance, .autoContrast:
                result = operations[index].applied(to: result)
                index += 1
            case .lookup, .contrast, .saturation, .hsv:
                let start = index
                while index < operations.count, operations[index].isColourStep { index += 1 }
                result = ColorOperations.colourChain(operations[start..<index], on: result)
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
        case .hsv(let hue, let saturation, let value): return ColorOperations.shiftHSV(image, hue: hue, saturation: saturation, value: value)
        case .contrast(let factor): return ColorOperations.contrast(image, factor: factor)
        case .saturation(let factor): return ColorOperations.saturation(image, factor: factor)
        case .convolve(let kernel): return kernel.apply(to: image)
        case .jpeg(let quality): return PixelOperations.jpeg(image, quality: quality)
        case .channelShift(let offset): return PixelOperations.channelShift(image, offset: offset)
        case .distort(let field): return field.apply(to: image)
        case .enhance(let kind, let factor): return PixelOperations.enhance(image, kind, factor: factor)
        case .autoContrast: return PixelOperations.autoContrast(image)
        case .warp, .lookup, .perspective: return ImageOperation.execute([self], on: image)
        }
    }
}

extension ImageOperation {
    /// Whether this is a per-pixel colour step `ColorOperations.colourChain` runs.
    var isColourStep: Bool {
        switch self {
        case .lookup, .contrast, .saturation, .hsv: true
        default: false
        }
    }

    /// A geometric operation's map and resampling settings; nil for the others.
    var geometry: (map: GeometricMap, size: ImageSize, interpolation: Interpolation, border: BorderMode, fill: Double)? {
        switch self {
        case .warp(let transform, let size, let interpolation, let border, let fill):
            return (.affine(transform), size, interpolation, border, fill)
        case .perspective(let transform, let size, let interpolation, let border, let fill):
            return (transform.affine.map { .affine($0) } ?? .projective(transform), size, interpolation, border, fill)
        default:
            return nil
        }
    }
}

extension GeometricMap {
    func permutesPixels(width: Int, height: Int, onto size: ImageSize) -> Bool {
        if case .affine(let transform) = self { return transform.permutesPixels(width: width, height: height, onto: size) }
        return false
    }
}
