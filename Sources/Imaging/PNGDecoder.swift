import CImageCodecs

enum PNGDecoder: FormatDecoder {
    static func header(of bytes: UnsafeRawBufferPointer) throws -> ImageHeader {
        try withOpenedFile(bytes) { _, header, _ in header }
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, options: DecodeOptions) throws -> DecodedImage {
        try withOpenedFile(bytes) { handle, header, depth in
            try options.checkPixelLimit(width: header.width, height: header.height)
            let strict: Int32 = options.rejectsRepairedData ? 1 : 0
            func read<C: PixelComponent>(_ type: C.Type) throws -> Image<C> {
                try readPixels(type, width: header.width, height: header.height, channels: header.channels,
                               failure: classify) { inv_png_read(handle, $0, $1, strict, $2) }
            }
            let image: AnyImage = depth == 16 ? .uint16(try read(UInt16.self)) : .uint8(try read(UInt8.self))
            return DecodedImage(image: image, header: header, reduction: 1)
        }
    }

    private static func withOpenedFile<R>(
        _ bytes: UnsafeRawBufferPointer, _ body: (OpaquePointer, ImageHeader, Int) throws -> R
    ) throws -> R {
        var message = CodecMessage()
        var info = inv_png_header()
        guard let handle = inv_png_open(bytes.bytePointer, bytes.count, &info, &message.storage) else {
            throw classify(message.text)
        }
        defer { inv_png_close(handle) }
        var orientation = Orientation.up
        if let exif = info.exif {
            orientation = Orientation(exif: UnsafeRawBufferPointer(start: exif, count: info.exif_size)) ?? .up
        }
        let header = ImageHeader(format: .png, width: Int(info.width), height: Int(info.height),
                                 channels: Int(info.channels), bitDepth: Int(info.bit_depth), orientation: orientation)
        return try body(handle, header, Int(info.depth))
    }

    private static func classify(_ message: String) -> ImageError {
        message.contains("ends early") ? .truncated(.png, message) : .corrupt(.png, message)
    }
}
