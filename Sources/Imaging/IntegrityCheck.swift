/// How thoroughly `ImageDecoder.validate` examines a file.
public enum ValidationDepth: String, Sendable, CaseIterable {
    /// Header plus the format's end marker or declared length: finds empty, unknown,
    /// corrupt-header, oversized and truncated files without decoding pixels (truncated
    /// TIFFs need `full`).
    case header
    /// A full decode that also refuses data the codec had to repair: finds damage inside
    /// the compressed data wherever the format can tell (JPEG's corrupt-data warnings, PNG
    /// and zlib checksums, truncated TIFF strips).
    case full
}

extension ImageDecoder {
    /// Checks that `bytes` hold a readable image within `pixelLimit`, returning its header.
    public static func validate(_ bytes: UnsafeRawBufferPointer, depth: ValidationDepth = .header,
                                pixelLimit: Int? = DecodeOptions.defaultPixelLimit) throws -> ImageHeader {
        let header = try header(of: bytes)
        try DecodeOptions(pixelLimit: pixelLimit).checkPixelLimit(width: header.width, height: header.height)
        try checkEnd(of: bytes, format: header.format, header: header)
        if depth == .full {
            _ = try ImageDecoder(options: DecodeOptions(colorMode: .original, keepsSixteenBitDepth: true,
                                                        appliesOrientation: false, pixelLimit: pixelLimit,
                                                        rejectsRepairedData: true)).decode(bytes)
        }
        return header
    }

    /// Looks for the end of the file where the format says it must be.
    static func checkEnd(of bytes: UnsafeRawBufferPointer, format: ImageFormat, header: ImageHeader) throws {
        let count = bytes.count
        /// Whether `marker` occurs within the last `window` bytes.
        func tailContains(_ marker: [UInt8], window: Int) -> Bool {
            let start = max(0, count - window)
            guard count - start >= marker.count else { return false }
            for i in stride(from: count - marker.count, through: start, by: -1)
            where bytes[i] == marker[0] && (1..<marker.count).allSatisfy({ bytes[i + $0] == marker[$0] }) {
                return true
            }
            return false
        }
        switch format {
        case .jpeg:
            // Trailing padding after EOI is common; a missing EOI near the end is truncation.
            if !tailContains([0xFF, 0xD9], window: 4096) {
                throw ImageError.truncated(.jpeg, "no end-of-image marker (file cut short?)")
            }
        case .png:
            if !tailContains(Array("IEND".utf8), window: 1024) {
                throw ImageError.truncated(.png, "no IEND chunk (file cut short?)")
            }
        case .gif:
            if !tailContains([0x3B], window: 64) {
                throw ImageError.truncated(.gif, "no trailer byte (file cut short?)")
            }
        case .webp:
            let declared = Int(bytes[4]) | Int(bytes[5]) << 8 | Int(bytes[6]) << 16 | Int(bytes[7]) << 24
            if declared + 8 > count {
                throw ImageError.truncated(.webp, "RIFF size says \(declared + 8) bytes, file has \(count)")
            }
        case .bmp:
            try BMPDecoder.checkLength(bytes, try BMPDecoder.layout(of: bytes))
        case .netpbm:
            try NetpbmDecoder.checkLength(bytes, try NetpbmDecoder.layout(of: bytes))
        case .tiff:
            break  // strips are scattered through the file: only a full decode can tell
        }
    }
}
