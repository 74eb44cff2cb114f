import CImageCodecs

enum WebPDecoder: FormatDecoder {
    static func header(of bytes: UnsafeRawBufferPointer) throws -> ImageHeader {
        var message = CodecMessage()
        var width: Int32 = 0, height: Int32 = 0, hasAlpha: Int32 = 0, animated: Int32 = 0
        if inv_webp_header(bytes.bytePointer, bytes.count, &width, &height, &hasAlpha, &animated, &message.storage) != 0 {
            throw message.text.contains("truncated") ? ImageError.truncated(.webp, message.text)
                : ImageError.corrupt(.webp, message.text)
        }
        if animated != 0 { throw ImageError.unsupported(.webp, "animated WebP") }
        return ImageHeader(format: .webp, width: Int(width), height: Int(height),
                           channels: hasAlpha != 0 ? 4 : 3, bitDepth: 8)
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, options: DecodeOptions) throws -> DecodedImage {
        let header = try header(of: bytes)
        try options.checkPixelLimit(width: header.width, height: header.height)
        var message = CodecMessage()
        var image = Image<UInt8>(width: header.width, height: header.height, channels: header.channels)
        let capacity = header.width * header.height * header.channels
        let status = image.withUnsafeMutableSamples { pixels, stride in
            inv_webp_decode(bytes.bytePointer, bytes.count, Int32(header.channels), pixels, stride, capacity,
                            &message.storage)
        }
        if status != 0 { throw ImageError.corrupt(.webp, message.text) }
        return DecodedImage(image: .uint8(image), header: header, reduction: 1)
    }
}
