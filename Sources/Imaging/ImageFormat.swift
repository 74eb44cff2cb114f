/// The container formats Invariant decodes, detected from a file's first bytes — never from
/// its name.
public enum ImageFormat: String, Sendable, CaseIterable, Codable {
    case jpeg, png, webp, tiff, gif, bmp, netpbm

    /// Detects the format from the leading bytes, or returns nil when no signature matches.
    public static func detect<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> ImageFormat? {
        let head = Array(bytes.prefix(16))
        func starts(_ signature: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + signature.count && Array(head[offset..<offset + signature.count]) == signature
        }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .webp }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return .tiff }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .gif }
        if starts(Array("BM".utf8)) && head.count >= 14 { return .bmp }
        if head.count >= 3, head[0] == UInt8(ascii: "P"), (UInt8(ascii: "1")...UInt8(ascii: "6")).contains(head[1]),
           [0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "#")].contains(head[2]) {
            return .netpbm
        }
        return nil
    }
}

/// Why an image could not be read. The description names what was expected.
public enum ImageError: Error, Equatable, Sendable, CustomStringConvertible {
    case empty
    case unknownFormat(leadingBytes: [UInt8])
    case truncated(ImageFormat, String)
    case corrupt(ImageFormat, String)
    case unsupported(ImageFormat, String)
    case tooManyPixels(width: Int, height: Int, limit: Int)
    case unreadable(String)

    public var description: String {
        switch self {
        case .empty:
            return "empty file (0 bytes)"
        case .unknownFormat(let bytes):
            let hex = bytes.prefix(8).map { String(format: "%02x", $0) }.joined(separator: " ")
            return "unknown image format (leading bytes \(hex); expected JPEG, PNG, WebP, TIFF, GIF, BMP or PPM/PGM/PBM)"
        case .truncated(let format, let detail):
            return "truncated \(format.displayName) file: \(detail)"
        case .corrupt(let format, let detail):
            return "corrupt \(format.displayName) file: \(detail)"
        case .unsupported(let format, let detail):
            return "unsupported \(format.displayName) variant: \(detail)"
        case .tooManyPixels(let width, let height, let limit):
            let pixels = ImageSize(width: width, height: height).pixelCount
            return "image is \(width)×\(height) = \(pixels == .max ? "more than \(Int.max)" : "\(pixels)") pixels, over the limit of \(limit) "
                + "(a possible decompression bomb; raise the pixel limit to allow it)"
        case .unreadable(let detail):
            return "cannot read file: \(detail)"
        }
    }
}

/// An error about a particular file: the path, then the reason.
public struct ImageFileError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: ImageError

    public init(path: String, reason: ImageError) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}

extension ImageFormat {
    public var displayName: String {
        switch self {
        case .jpeg: "JPEG"
        case .png: "PNG"
        case .webp: "WebP"
        case .tiff: "TIFF"
        case .gif: "GIF"
        case .bmp: "BMP"
        case .netpbm: "Netpbm"
        }
    }
}
