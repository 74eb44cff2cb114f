/// PBM, PGM and PPM in their ASCII (P1–P3) and binary (P4–P6) forms.
///
/// Samples are scaled to the full range of the output depth as Pillow does: maxval ≤ 255
/// gives 8-bit samples round(v / maxval × 255); larger maxvals give 16-bit samples
/// round(v / maxval × 65535), rounding half to even.
/// In bitmaps 1 is black.
enum NetpbmDecoder: FormatDecoder {
    struct Layout {
        var kind: Int  // 1…6
        var width: Int
        var height: Int
        var maxValue: Int
        var dataOffset: Int
        var channels: Int { kind == 3 || kind == 6 ? 3 : 1 }
    }

    static func header(of bytes: UnsafeRawBufferPointer) throws -> ImageHeader {
        header(for: try layout(of: bytes))
    }

    private static func header(for layout: Layout) -> ImageHeader {
        ImageHeader(format: .netpbm, width: layout.width, height: layout.height, channels: layout.channels,
                    bitDepth: layout.maxValue > 255 ? 16 : layout.maxValue == 1 ? 1 : 8)
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, options: DecodeOptions) throws -> DecodedImage {
        let layout = try layout(of: bytes)
        try options.checkPixelLimit(width: layout.width, height: layout.height)
        try checkLength(bytes, layout)
        let count = layout.width * layout.height * layout.channels
        let maximum = layout.maxValue
        let sample = try sampleReader(bytes, layout)
        let image: AnyImage
        if maximum > 255 {
            var wide = Image<UInt16>(width: layout.width, height: layout.height, channels: layout.channels)
            try wide.withUnsafeMutableSamples { pixels, _ in
                for i in 0..<count { pixels[i] = UInt16(scale(try sample(i), maximum, to: 65535)) }
            }
            image = .uint16(wide)
        } else {
            let bitmap = layout.kind == 1 || layout.kind == 4
            var narrow = Image<UInt8>(width: layout.width, height: layout.height, channels: layout.channels)
            try narrow.withUnsafeMutableSamples { pixels, _ in
                for i in 0..<count {
                    let value = try sample(i)
                    pixels[i] = bitmap ? (value == 0 ? 255 : 0) : UInt8(scale(value, maximum, to: 255))
                }
            }
            image = .uint8(narrow)
        }
        return DecodedImage(image: image, header: header(for: layout), reduction: 1)
    }

    /// Refuses files too short for their header's size, before anything is allocated: binary
    /// rasters have an exact length; ASCII ones need at least one byte per bitmap sample and
    /// two (digit and separator) per other sample.
    static func checkLength(_ bytes: UnsafeRawBufferPointer, _ layout: Layout) throws {
        let samples = layout.width * layout.height * layout.channels
        let needed: Int = switch layout.kind {
        case 1: samples
        case 2, 3: 2 * samples - 1
        case 4: (layout.width + 7) / 8 * layout.height
        default: samples * (layout.maxValue > 255 ? 2 : 1)
        }
        let available = bytes.count - layout.dataOffset
        if available < needed {
            throw ImageError.truncated(.netpbm, "\(layout.width)×\(layout.height) raster needs \(layout.kind <= 3 ? "at least " : "")"
                + "\(needed) bytes, \(max(0, available)) present")
        }
    }

    /// Sample i of the raster (row-major, interleaved), read in order.
    private static func sampleReader(_ bytes: UnsafeRawBufferPointer, _ layout: Layout) throws -> (Int) throws -> Int {
        let base = layout.dataOffset
        switch layout.kind {
        case 1, 2, 3:
            var scanner = TokenScanner(bytes: bytes, position: base)
            return { _ in layout.kind == 1 ? try scanner.bit() : try scanner.integer(named: "sample") }
        case 4:
            let rowBytes = (layout.width + 7) / 8
            return { i in
                let (y, x) = i.quotientAndRemainder(dividingBy: layout.width)
                return Int(bytes[base + y * rowBytes + x / 8] >> (7 - x % 8)) & 1
            }
        default:
            return layout.maxValue > 255 ? { i in Int(bytes[base + 2 * i]) << 8 | Int(bytes[base + 2 * i + 1]) }
                : { i in Int(bytes[base + i]) }
        }
    }

    private static func scale(_ value: Int, _ maximum: Int, to range: Int) -> Int {
        // ASCII samples may exceed maxval; they are clamped to it.
        if maximum == range { return min(value, maximum) }
        return Int((Double(min(value, maximum)) / Double(maximum) * Double(range)).rounded(.toNearestOrEven))
    }

    static func layout(of bytes: UnsafeRawBufferPointer) throws -> Layout {
        guard bytes.count >= 3, bytes[0] == UInt8(ascii: "P"), let kind = Int(String(UnicodeScalar(bytes[1]))),
              (1...6).contains(kind) else {
            throw ImageError.corrupt(.netpbm, "missing P1–P6 magic number")
        }
        var scanner = TokenScanner(bytes: bytes, position: 2)
        let width = try scanner.integer(named: "width")
        let height = try scanner.integer(named: "height")
        let maxValue = kind == 1 || kind == 4 ? 1 : try scanner.integer(named: "maxval")
        guard width > 0, height > 0, width <= 1 << 24, height <= 1 << 24 else {
            throw ImageError.corrupt(.netpbm, "invalid size \(width)×\(height)")
        }
        guard (1...65535).contains(maxValue) else { throw ImageError.corrupt(.netpbm, "maxval \(maxValue) outside 1…65535") }
        // Binary rasters start after exactly one whitespace byte following the last header token.
        let dataOffset = kind >= 4 ? scanner.position + 1 : scanner.position
        return Layout(kind: kind, width: width, height: height, maxValue: maxValue, dataOffset: dataOffset)
    }

    /// Whitespace-separated ASCII integers with `#` comments.
    private struct TokenScanner {
        let bytes: UnsafeRawBufferPointer
        var position: Int

        mutating func skipSpaceAndComments() {
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "#") {
                    while position < bytes.count && bytes[position] != 0x0A && bytes[position] != 0x0D { position += 1 }
                } else if byte == 0x20 || (0x09...0x0D).contains(byte) {
                    position += 1
                } else {
                    return
                }
            }
        }

        mutating func integer(named name: String) throws -> Int {
            skipSpaceAndComments()
            var value = 0, digits = 0
            while position < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position]) {
                value = value * 10 + Int(bytes[position] - UInt8(ascii: "0"))
                digits += 1
                position += 1
                if digits > 9 { throw ImageError.corrupt(.netpbm, "\(name) has too many digits") }
            }
            if digits == 0 {
                throw position >= bytes.count ? ImageError.truncated(.netpbm, "file ends before \(name)")
                    : ImageError.corrupt(.netpbm, "expected a number for \(name)")
            }
            return value
        }

        /// P1 samples may be written without separators.
        mutating func bit() throws -> Int {
            skipSpaceAndComments()
            guard position < bytes.count else { throw ImageError.truncated(.netpbm, "file ends before the last pixel") }
            let byte = bytes[position]
            position += 1
            guard byte == UInt8(ascii: "0") || byte == UInt8(ascii: "1") else {
                throw ImageError.corrupt(.netpbm, "bitmap sample is not 0 or 1")
            }
            return Int(byte - UInt8(ascii: "0"))
        }
    }
}
