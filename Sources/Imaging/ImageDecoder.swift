import Foundation

/// Decodes image files of every supported format into `Image`s.
///
/// The format is detected from the bytes. Decoding then runs: header → pixel-limit check
/// (before any pixel memory is allocated) → format decode → 16-to-8-bit scaling (unless kept)
/// → colour-mode conversion → EXIF orientation.
public struct ImageDecoder: Sendable {
    public var options: DecodeOptions

    public init(options: DecodeOptions = DecodeOptions()) { self.options = options }

    /// Reads only the header: format, stored size, channels, bit depth and orientation.
    public static func header(of data: Data) throws -> ImageHeader {
        try data.withUnsafeBytes { bytes in try header(of: bytes) }
    }

    public static func header(of bytes: UnsafeRawBufferPointer) throws -> ImageHeader {
        try decoder(for: bytes).header(of: bytes)
    }

    /// Reads a file's header; errors name the file.
    public static func header(ofFileAt path: String) throws -> ImageHeader {
        let data = try readFile(path)
        do { return try header(of: data) } catch let error as ImageError {
            throw ImageFileError(path: path, reason: error)
        }
    }

    public func decode(_ data: Data) throws -> DecodedImage {
        try data.withUnsafeBytes { bytes in try decode(bytes) }
    }

    public func decode(_ bytes: UnsafeRawBufferPointer) throws -> DecodedImage {
        var decoded = try Self.decoder(for: bytes).decode(bytes, options: options)
        if !options.keepsSixteenBitDepth, case .uint16(let wide) = decoded.image {
            decoded.image = .uint8(wide.scaledToEightBits())
        }
        decoded.image = ColorConversion.convert(decoded.image, to: options.colorMode)
        if options.appliesOrientation && decoded.header.orientation != .up {
            decoded.image = decoded.image.applyingOrientation(decoded.header.orientation)
        }
        return decoded
    }

    /// Decodes a file; errors name the file.
    public func decode(fileAt path: String) throws -> DecodedImage {
        let data = try Self.readFile(path)
        do { return try decode(data) } catch let error as ImageError {
            throw ImageFileError(path: path, reason: error)
        }
    }

    /// The bytes of a file; errors name the file.
    public static func readFile(_ path: String) throws -> Data {
        do {
            // Read, not mapped: a file truncated while mapped would raise SIGBUS instead of an error.
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? error.localizedDescription
            throw ImageFileError(path: path, reason: .unreadable(reason))
        }
    }

    private static func decoder(for bytes: UnsafeRawBufferPointer) throws -> any FormatDecoder.Type {
        guard !bytes.isEmpty else { throw ImageError.empty }
        switch ImageFormat.detect(bytes) {
        case .jpeg: return JPEGDecoder.self
        case .png: return PNGDecoder.self
        case .webp: return WebPDecoder.self
        case .tiff: return TIFFDecoder.self
        case .gif: return GIFDecoder.self
        case .bmp: return BMPDecoder.self
        case .netpbm: return NetpbmDecoder.self
        case nil: throw ImageError.unknownFormat(leadingBytes: Array(bytes.prefix(8)))
        }
    }
}

extension AnyImage {
    /// The image as it should be displayed given its EXIF orientation.
    public func applyingOrientation(_ orientation: Orientation) -> AnyImage {
        switch self {
        case .uint8(let image): .uint8(image.applyingOrientation(orientation))
        case .uint16(let image): .uint16(image.applyingOrientation(orientation))
        case .float32(let image): .float32(image.applyingOrientation(orientation))
        }
    }
}
