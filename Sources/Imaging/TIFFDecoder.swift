import CImageCodecs

enum TIFFDecoder: FormatDecoder {
    static func header(of bytes: UnsafeRawBufferPointer) throws -> ImageHeader {
        try withOpenedFile(bytes) { _, header, _ in header }
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, options: DecodeOptions) throws -> DecodedImage {
        try withOpenedFile(bytes) { handle, header, info in
            try options.checkPixelLimit(width: header.width, height: header.height)
            let corrupt = { (message: String) in ImageError.corrupt(.tiff, message) }
            func direct<C: PixelComponent>(_ type: C.Type) throws -> Image<C> {
                try readPixels(type, width: header.width, height: header.height, channels: Int(info.samples_per_pixel),
                               failure: corrupt) { inv_tiff_read_direct(handle, $0, $1, $2) }
            }
            let image: AnyImage
            if info.direct != 0 && info.bits_per_sample == 16 {
                image = .uint16(try direct(UInt16.self))
            } else if info.direct != 0 {
                let pixels = try direct(UInt8.self)
                // CMYK TIFFs store ink amounts (not inverted); Pillow's formula turns them into RGB.
                image = .uint8(info.photometric == 5 ? JPEGDecoder.cmykToRGB(pixels, inverted: false) : pixels)
            } else {
                image = .uint8(try readPixels(UInt8.self, width: header.width, height: header.height, channels: 4,
                                              failure: corrupt) { pixels, _, message in
                    inv_tiff_read_rgba(handle, pixels.assumingMemoryBound(to: UInt8.self), message)
                })
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
