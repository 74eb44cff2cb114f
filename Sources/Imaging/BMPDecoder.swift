/// Windows bitmaps: 1/4/8-bit palette (uncompressed, RLE4, RLE8), 16/24/32-bit direct colour
/// with default or bit-field masks, bottom-up or top-down. Every offset is checked against the
/// file size, so malformed files raise errors, never out-of-bounds reads.
enum BMPDecoder: FormatDecoder {
    struct Layout {
        var header: ImageHeader
        var bitsPerPixel: Int
        var compression: Int
        var topDown: Bool
        var dataOffset: Int
        var palette: [(UInt8, UInt8, UInt8)]
        var masks: [UInt32]  // red, green, blue, alpha (alpha 0 = none)

        /// Bytes per stored row, padded to 4.
        var rowBytes: Int { (header.width * bitsPerPixel + 31) / 32 * 4 }
    }

    static func header(of bytes: UnsafeRawBufferPointer) throws -> ImageHeader {
        try layout(of: bytes).header
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, options: DecodeOptions) throws -> DecodedImage {
        let layout = try layout(of: bytes)
        let header = layout.header
        try options.checkPixelLimit(width: header.width, height: header.height)
        var image = Image<UInt8>(width: header.width, height: header.height, channels: header.channels)
        switch layout.compression {
        case 1, 2: try decodeRunLength(bytes, layout, into: &image)
        default: try decodeRows(bytes, layout, into: &image)
        }
        return DecodedImage(image: .uint8(image), header: header, reduction: 1)
    }

    static func layout(of bytes: UnsafeRawBufferPointer) throws -> Layout {
        let reader = ByteReader(bytes, format: .bmp)
        guard bytes.count >= 26 else { throw ImageError.truncated(.bmp, "header ends at byte \(bytes.count)") }
        let dataOffset = Int(try reader.u32le(10))
        let infoSize = Int(try reader.u32le(14))
        var width: Int, height: Int, bitsPerPixel: Int, compression = 0, colorsUsed = 0
        let paletteEntrySize: Int
        if infoSize == 12 {
            width = Int(try reader.u16le(18))
            height = Int(try reader.u16le(20))
            bitsPerPixel = Int(try reader.u16le(24))
            paletteEntrySize = 3
        } else if infoSize >= 40 {
            width = Int(Int32(bitPattern: try reader.u32le(18)))
            height = Int(Int32(bitPattern: try reader.u32le(22)))
            bitsPerPixel = Int(try reader.u16le(28))
            compression = Int(try reader.u32le(30))
            colorsUsed = Int(try reader.u32le(46))
            paletteEntrySize = 4
        } else {
            throw ImageError.corrupt(.bmp, "unknown info header size \(infoSize)")
        }
        let topDown = height < 0
        height = abs(height)
        guard width > 0, height > 0, width <= 1 << 24, height <= 1 << 24 else {
            throw ImageError.corrupt(.bmp, "invalid size \(width)×\(height)")
        }
        guard [1, 4, 8, 16, 24, 32].contains(bitsPerPixel) else {
            throw ImageError.unsupported(.bmp, "\(bitsPerPixel) bits per pixel")
        }
        guard [0, 1, 2, 3, 6].contains(compression) else {
            throw ImageError.unsupported(.bmp, "compression type \(compression)")
        }
        if (compression == 1 && bitsPerPixel != 8) || (compression == 2 && bitsPerPixel != 4) {
            throw ImageError.corrupt(.bmp, "RLE compression with \(bitsPerPixel) bits per pixel")
        }
        var masks: [UInt32] = switch bitsPerPixel {
        case 16: [0x7C00, 0x03E0, 0x001F, 0]
        case 32: [0x00FF_0000, 0x0000_FF00, 0x0000_00FF, 0]
        default: [0x00FF_0000, 0x0000_FF00, 0x0000_00FF, 0]
        }
        var paletteStart = 14 + infoSize
        if compression == 3 || compression == 6 {
            guard bitsPerPixel == 16 || bitsPerPixel == 32 else {
                throw ImageError.corrupt(.bmp, "bit fields with \(bitsPerPixel) bits per pixel")
            }
            let maskStart = infoSize >= 52 ? 14 + 40 : 14 + infoSize
            let count = compression == 6 || infoSize >= 56 ? 4 : 3
            masks = try (0..<4).map { $0 < count ? try reader.u32le(maskStart + 4 * $0) : 0 }
            if infoSize == 40 { paletteStart += 4 * count }
        }
        var palette: [(UInt8, UInt8, UInt8)] = []
        if bitsPerPixel <= 8 {
            let count = colorsUsed > 0 ? min(colorsUsed, 1 << bitsPerPixel) : 1 << bitsPerPixel
            for i in 0..<count {
                let at = paletteStart + i * paletteEntrySize
                guard at + 3 <= bytes.count else { break }
                palette.append((bytes[at + 2], bytes[at + 1], bytes[at]))
            }
            guard !palette.isEmpty else { throw ImageError.corrupt(.bmp, "missing colour palette") }
        }
        guard dataOffset > 0, dataOffset <= bytes.count else {
            throw ImageError.truncated(.bmp, "pixel data offset \(dataOffset) beyond the file's \(bytes.count) bytes")
        }
        let channels: Int
        if bitsPerPixel <= 8 {
            channels = palette.allSatisfy { $0.0 == $0.1 && $0.1 == $0.2 } ? 1 : 3
        } else {
            channels = masks[3] != 0 ? 4 : 3
        }
        let header = ImageHeader(format: .bmp, width: width, height: height, channels: channels,
                                 bitDepth: min(bitsPerPixel, 8))
        return Layout(header: header, bitsPerPixel: bitsPerPixel, compression: compression, topDown: topDown,
                      dataOffset: dataOffset, palette: palette, masks: masks)
    }

    private static func decodeRows(_ bytes: UnsafeRawBufferPointer, _ layout: Layout, into image: inout Image<UInt8>) throws {
        let width = image.width, height = image.height, channels = image.channels, bits = layout.bitsPerPixel
        let rowBytes = layout.rowBytes
        try checkLength(bytes, layout)
        let channelsOf = layout.masks.map(MaskChannel.init)
        image.withUnsafeMutableSamples { output, stride in
            for row in 0..<height {
                let y = layout.topDown ? row : height - 1 - row
                let start = layout.dataOffset + row * rowBytes
                let out = output + y * stride
                for x in 0..<width {
                    let pixel = out + x * channels
                    switch bits {
                    case 1, 4, 8:
                        let bitOffset = x * bits
                        let byte = Int(bytes[start + bitOffset / 8])
                        let index = (byte >> (8 - bits - bitOffset % 8)) & ((1 << bits) - 1)
                        let color = index < layout.palette.count ? layout.palette[index] : (0, 0, 0)
                        if channels == 1 { pixel[0] = color.0 } else { (pixel[0], pixel[1], pixel[2]) = color }
                    case 24:
                        let at = start + x * 3
                        (pixel[0], pixel[1], pixel[2]) = (bytes[at + 2], bytes[at + 1], bytes[at])
                    default:
                        let at = start + x * bits / 8
                        let value = bits == 16 ? UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8
                            : UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
                        for c in 0..<channels { pixel[c] = channelsOf[c].extract(value) }
                    }
                }
            }
        }
    }

    /// Uncompressed pixel data must fit in the file; run-length data is checked as it is read.
    static func checkLength(_ bytes: UnsafeRawBufferPointer, _ layout: Layout) throws {
        guard layout.compression != 1 && layout.compression != 2 else { return }
        let needed = layout.rowBytes * layout.header.height
        if layout.dataOffset + needed > bytes.count {
            throw ImageError.truncated(.bmp, "pixel data needs \(needed) bytes, \(bytes.count - layout.dataOffset) present")
        }
    }

    /// RLE8 / RLE4: runs and absolute runs, with end-of-line, end-of-bitmap and delta escapes.
    private static func decodeRunLength(_ bytes: UnsafeRawBufferPointer, _ layout: Layout, into image: inout Image<UInt8>) throws {
        let width = image.width, height = image.height, channels = image.channels
        let nibbles = layout.compression == 2
        var indices = [UInt8](repeating: 0, count: width * height)
        var x = 0, row = 0, at = layout.dataOffset
        func put(_ index: UInt8) {
            if x < width && row < height { indices[row * width + x] = index }
            x += 1
        }
        func next() throws -> Int {
            guard at < bytes.count else { throw ImageError.truncated(.bmp, "run-length data ends early") }
            defer { at += 1 }
            return Int(bytes[at])
        }
        decoding: while row < height {
            let count = try next(), value = try next()
            if count > 0 {
                for i in 0..<count { put(nibbles ? UInt8(i % 2 == 0 ? value >> 4 : value & 15) : UInt8(value)) }
                continue
            }
            switch value {
            case 0: x = 0; row += 1
            case 1: break decoding
            case 2: x += try next(); row += try next()
            default:
                var pending = 0
                for i in 0..<value {
                    if nibbles {
                        if i % 2 == 0 { pending = try next() }
                        put(UInt8(i % 2 == 0 ? pending >> 4 : pending & 15))
                    } else {
                        put(UInt8(try next()))
                    }
                }
                let used = nibbles ? (value + 1) / 2 : value
                if used % 2 == 1 { at += 1 }  // absolute runs are padded to 16 bits
            }
        }
        image.withUnsafeMutableSamples { output, stride in
            for row in 0..<height {
                let y = layout.topDown ? row : height - 1 - row
                for x in 0..<width {
                    let index = Int(indices[row * width + x])
                    let color = index < layout.palette.count ? layout.palette[index] : (0, 0, 0)
                    let pixel = output + y * stride + x * channels
                    if channels == 1 { pixel[0] = color.0 } else { (pixel[0], pixel[1], pixel[2]) = color }
                }
            }
        }
    }

    /// One channel of a bit-field pixel, scaled to 8 bits.
    private struct MaskChannel {
        let mask: UInt32
        let shift: UInt32
        let maximum: UInt32

        init(_ mask: UInt32) {
            self.mask = mask
            shift = mask == 0 ? 0 : UInt32(mask.trailingZeroBitCount)
            maximum = mask == 0 ? 0 : mask >> shift
        }

        func extract(_ value: UInt32) -> UInt8 {
            guard maximum > 0 else { return 255 }
            let raw = (value & mask) >> shift
            return maximum == 255 ? UInt8(raw) : UInt8(UInt64(raw) * 255 / UInt64(maximum))  // truncated, as Pillow unpacks 5/6-bit fields
        }
    }
}

/// Bounds-checked little/big-endian reads for the hand-written decoders.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    let format: ImageFormat

    init(_ bytes: UnsafeRawBufferPointer, format: ImageFormat) {
        self.bytes = bytes
        self.format = format
    }

    func u16le(_ at: Int) throws -> UInt16 {
        guard at >= 0, at + 2 <= bytes.count else { throw ImageError.truncated(format, "header ends at byte \(bytes.count)") }
        return UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    func u32le(_ at: Int) throws -> UInt32 {
        UInt32(try u16le(at)) | UInt32(try u16le(at + 2)) << 16
    }
}
