import CImageCodecs

/// First frame of a GIF, composed onto the logical screen as RGBA.
enum GIFDecoder: FormatDecoder {
    static func header(of bytes: UnsafeRawBufferPointer) throws -> ImageHeader {
        try withOpenedFile(bytes) { _, header in header }
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, options: DecodeOptions) throws -> DecodedImage {
        try withOpenedFile(bytes) { handle, header in
            try options.checkPixelLimit(width: header.width, height: header.height)
            var message = CodecMessage()
            var image = Image<UInt8>(width: header.width, height: header.height, channels: 4)
            let status = image.withUnsafeMutableSamples { pixels, _ in
                inv_gif_read_rgba(handle, pixels, UInt64(options.pixelLimit ?? DecodeOptions.absolutePixelLimit), &message.storage)
            }
            if status != 0 {
                throw message.text.contains("EOF") || message.text.contains("truncated")
                    ? ImageError.truncated(.gif, message.text) : ImageError.corrupt(.gif, message.text)
            }
            return DecodedImage(image: .uint8(image), header: header, reduction: 1)
        }
    }

    private static func withOpenedFile<R>(
        _ bytes: UnsafeRawBufferPointer, _ body: (OpaquePointer, ImageHeader) throws -> R
    ) throws -> R {
        var message = CodecMessage()
        var width: Int32 = 0, height: Int32 = 0
        guard let handle = inv_gif_open(bytes.bytePointer, bytes.count, &width, &height, &message.storage) else {
            throw ImageError.corrupt(.gif, message.text)
        }
        defer { inv_gif_close(handle) }
        guard width > 0, height > 0 else { throw ImageError.corrupt(.gif, "zero-sized logical screen") }
        return try body(handle, ImageHeader(format: .gif, width: Int(width), height: Int(height), channels: 4, bitDepth: 8))
    }
}
