import CImageCodecs

enum TIFFDecoder: FormatDecoder {
    static func header(of bytes: UnsafeRawBufferPointer) throws -> ImageHeader {
        try withOpenedFile(bytes) { _, header, _ in header }
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, options: DecodeOptions) throws -> DecodedImage {
        try withOpenedFile(bytes) { handle, header, info in
            try options.checkPixelLimit(width: header.width, height: header.height)
            var message = CodecMessage()
            let image: AnyImage
            if info.direct != 0 && info.bits_per_sample == 16 {
                var pixels = Image<UInt16>(width: header.width, height: header.height, channels: Int(info.samples_per_pixel))
                let status = pixels.withUnsafeMutableSamples { samples, stride in
                    inv_tiff_read_direct(handle, samples, stride * 2, &message.storage)
                }
                if status != 0 { throw ImageError.corrupt(.tiff, message.text) }
                image = .uint16(pixels)
            } else if info.direct != 0 {
                var pixels = Image<UInt8>(width: header.width, height: header.height, channels: Int(info.samples_per_pixel))
                let status = pixels.withUnsafeMutableSamples { samples, stride in
                    inv_tiff_read_direct(handle, samples, stride, &message.storage)
                }
                if status != 0 { throw ImageError.corrupt(.tiff, message.text) }
                // CMYK TIFFs store ink amounts (not inverted); Pillow's formula turns them into RGB.
                image = .uint8(info.photometric == 5 ? JPEGDecoder.cmykToRGB(pixels, inverted: false) : pixels)
            } else {
                var pixels = Image<UInt8>(width: header.width, height: header.height, channels: 4)
                let status = pixels.withUnsafeMutableSamples { samples, _ in
                    inv_tiff_read_rgba(handle, samples, &message.storage)
                }
                if status != 0 { throw ImageError.corrupt(.tiff, message.text) }
                image = .uint8(pixels)
            }
            return DecodedImage(image: image, header: header, reduction: 1)
        }
    }

    private static func withOpenedFile<R>(
        _ bytes: UnsafeRawBufferPointer, _ body: (OpaquePointer, ImageHeader, inv_tiff_header) throws -> R
    ) throws -> R {
        var message = CodecMessage()
        var info = inv_tiff_header()
        guard let handle = inv_tiff_open(bytes.bytePointer, bytes.count, &info, &message.storage) else {
            throw ImageError.corrupt(.tiff, message.text)
        }
        defer { inv_tiff_close(handle) }
        let cmyk = info.photometric == 5  // PHOTOMETRIC_SEPARATED
        let channels = info.direct != 0 && !cmyk ? Int(info.samples_per_pixel) : cmyk ? 3 : 4
        let header = ImageHeader(format: .tiff, width: Int(info.width), height: Int(info.height), channels: channels,
                                 bitDepth: Int(info.bits_per_sample),
                                 orientation: Orientation(rawValue: Int(info.orientation)) ?? .up)
        return try body(handle, header, info)
    }
}
