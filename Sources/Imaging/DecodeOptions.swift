/// The channel layout a decoded image is converted to.
///
/// Conversions follow Pillow's `Image.convert`, which is what Keras's `load_img` calls:
/// - `grayscale` from colour uses ITU-R 601-2 luma, L = (19595 R + 38470 G + 7471 B + 32768) >> 16;
/// - `rgb` from an image with alpha drops the alpha channel (no compositing onto a background);
/// - `rgba` from an image without alpha adds an opaque alpha channel;
/// - `original` keeps the file's own channels (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA);
///   CMYK files always come out as RGB.
public enum ColorMode: String, Sendable, CaseIterable, Codable {
    case rgb, grayscale, rgba, original

    /// Channels in the output, or nil for `original`.
    public var channelCount: Int? {
        switch self {
        case .rgb: 3
        case .grayscale: 1
        case .rgba: 4
        case .original: nil
        }
    }
}

/// How JPEG data is turned into pixels.
public enum JPEGDecoding: String, Sendable, CaseIterable {
    /// libjpeg's accurate integer IDCT and fancy upsampling: the same pixels as Pillow.
    case exact
    /// The fast integer IDCT and plain chroma upsampling: quicker, within a few levels.
    case fast
}

/// A width and a height in pixels.
public struct ImageSize: Hashable, Sendable, Codable, CustomStringConvertible {
    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = width
        self.height = height
    }

    /// width × height, saturating at `Int.max`.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        width = try container.decode(Int.self, forKey: .width)
        height = try container.decode(Int.self, forKey: .height)
        guard (0...(1 << 20)).contains(width), (0...(1 << 20)).contains(height) else {
            throw DecodingError.dataCorruptedError(forKey: .width, in: container,
                                                   debugDescription: "image size \(width)×\(height) outside 0…1048576")
        }
    }

    private enum CodingKeys: String, CodingKey { case width, height }

    public var pixelCount: Int {
        let (product, overflow) = width.multipliedReportingOverflow(by: height)
        return overflow ? .max : product
    }
    public var description: String { "\(width)×\(height)" }
}

/// Options for `ImageDecoder`.
public struct DecodeOptions: Sendable {
    /// Pillow's `Image.MAX_IMAGE_PIXELS` (1024 × 1024 × 1024 / 4 / 3). Pillow warns above it
    /// and refuses above twice it; Invariant refuses above it.
    public static let defaultPixelLimit = 89_478_485

    public var colorMode: ColorMode
    /// Keep 16-bit samples as `uint16` instead of scaling them to 8 bits.
    public var keepsSixteenBitDepth: Bool
    /// Apply the EXIF orientation tag (Keras's `load_img` does not; turn off for parity).
    public var appliesOrientation: Bool
    /// Images with more pixels than this are refused from their header, before any
    /// pixel memory is allocated. Nil means no limit.
    public var pixelLimit: Int?
    /// When set, JPEG files are decoded at the smallest DCT scale (1/2, 1/4 or 1/8) that stays
    /// at least this size — Pillow's `draft` rule — and the caller resizes exactly afterwards.
    public var targetSize: ImageSize?
    public var jpegDecoding: JPEGDecoding
    /// Refuse data that the codec had to repair (libjpeg's "corrupt JPEG data" warnings),
    /// instead of returning its best effort as Pillow does.
    public var rejectsRepairedData: Bool

    public init(colorMode: ColorMode = .rgb, keepsSixteenBitDepth: Bool = false, appliesOrientation: Bool = true,
                pixelLimit: Int? = DecodeOptions.defaultPixelLimit, targetSize: ImageSize? = nil,
                jpegDecoding: JPEGDecoding = .exact, rejectsRepairedData: Bool = false) {
        self.rejectsRepairedData = rejectsRepairedData
        self.colorMode = colorMode
        self.keepsSixteenBitDepth = keepsSixteenBitDepth
        self.appliesOrientation = appliesOrientation
        self.pixelLimit = pixelLimit
        self.targetSize = targetSize
        self.jpegDecoding = jpegDecoding
    }

    /// Even without a pixel limit, images are refused above 2³² pixels: no allocation
    /// could hold them, and refusing beats trapping.
    public static let absolutePixelLimit = 1 << 32

    func checkPixelLimit(width: Int, height: Int) throws {
        let limit = min(pixelLimit ?? DecodeOptions.absolutePixelLimit, DecodeOptions.absolutePixelLimit)
        if ImageSize(width: width, height: height).pixelCount > limit {
            throw ImageError.tooManyPixels(width: width, height: height, limit: limit)
        }
    }
}
