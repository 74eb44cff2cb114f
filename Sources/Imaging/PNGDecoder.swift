import CImageCodecs

enum PNGDecoder: FormatDecoder {
    static func header(of bytes: UnsafeRawBufferPointer) throws -> ImageHeader {
        try withOpenedFile(bytes) { _, header, _ in header }
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, options: DecodeOptions) throws -> DecodedImage {
        try withOpenedFile(bytes) { handle, header, depth in
            try options.checkPixelLimit(width: header.width, height: header.height)
            var message = CodecMessage()
            let strict: Int32 = options.rejectsRepairedData ? 1 : 0
            let image: AnyImage
            if depth == 16 {
                var pixels = Image<UInt16>(width: header.width, height: header.height, channels: header.channels)
                let status = pixels.withUnsafeMutableSamples { samples, stride in
                    inv_png_read(handle, samples, stride * 2, strict, &message.storage)
                }
                if status != 0 { throw classify(message.text) }
                image = .uint16(pixels)
            } else {
                var pixels = Image<UInt8>(width: header.width, height: header.height, channels: header.channels)
                let status = pixels.withUnsafeMutableSamples { samples, stride in
                    inv_png_read(handle, samples, stride, strict, &message.storage)
                }
                if status != 0 { throw classify(message.text) }
                image = .uint8(pixels)
            }
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
