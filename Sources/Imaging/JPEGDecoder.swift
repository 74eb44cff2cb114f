import CImageCodecs
import CLibJPEG

enum JPEGDecoder: FormatDecoder {
    static func header(of bytes: UnsafeRawBufferPointer) throws -> ImageHeader {
        try withOpenedFile(bytes) { _, header in header }
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, options: DecodeOptions) throws -> DecodedImage {
        try withOpenedFile(bytes) { handle, header in
            try options.checkPixelLimit(width: header.width, height: header.height)
            let reduction = draftReduction(for: header, target: options.targetSize, oriented: options.appliesOrientation)
            var message = CodecMessage()
            var width: Int32 = 0, height: Int32 = 0, components: Int32 = 0
            if inv_jpeg_start(handle, Int32(8 / reduction), options.jpegDecoding == .fast ? 1 : 0,
                              &width, &height, &components, &message.storage) != 0 {
                throw classify(message.text)
            }
            // libjpeg writes every row or fails (and the image is dropped): no zero-filling.
            var image = try Image<UInt8>(width: Int(width), height: Int(height), channels: Int(components)) { pixels, stride in
                if inv_jpeg_read(handle, pixels, stride, &message.storage) != 0 { throw classify(message.text) }
            }
            if options.rejectsRepairedData, let warning = inv_jpeg_first_warning(handle) {
                throw ImageError.corrupt(.jpeg, String(cString: warning))
            }
            if components == 4 { image = cmykToRGB(image, inverted: true) }
            return DecodedImage(image: .uint8(image), header: header, reduction: reduction)
        }
    }

    /// Pillow's `draft` rule: the largest of 8, 4, 2, 1 not above min(W / w, H / h), so the
    /// reduced image stays at least the target size in both directions (measured as the
    /// image will be displayed: after orientation, when it is applied).
    static func draftReduction(for header: ImageHeader, target: ImageSize?, oriented: Bool) -> Int {
        guard let target, target.width > 0, target.height > 0 else { return 1 }
        let oriented = oriented ? header.orientedSize : ImageSize(width: header.width, height: header.height)
        let scale = min(oriented.width / target.width, oriented.height / target.height)
        return [8, 4, 2, 1].first { scale >= $0 } ?? 1
    }

    private static func withOpenedFile<R>(
        _ bytes: UnsafeRawBufferPointer, _ body: (OpaquePointer, ImageHeader) throws -> R
    ) throws -> R {
        var message = CodecMessage()
        var info = inv_jpeg_header()
        guard let handle = inv_jpeg_open(bytes.bytePointer, bytes.count, &info, &message.storage) else {
            throw classify(message.text)
        }
        defer { inv_jpeg_close(handle) }
        var orientation = Orientation.up
        if let exif = info.exif {
            orientation = Orientation(exif: UnsafeRawBufferPointer(start: exif, count: info.exif_size)) ?? .up
        }
        let channels = info.color_space == Int32(JCS_GRAYSCALE.rawValue) ? 1 : 3
        let header = ImageHeader(format: .jpeg, width: Int(info.width), height: Int(info.height),
                                 channels: channels, bitDepth: 8, orientation: orientation)
        return try body(handle, header)
    }

    private static func classify(_ message: String) -> ImageError {
        message.lowercased().contains("truncated") || message.contains("Premature end")
            ? .truncated(.jpeg, message) : .corrupt(.jpeg, message)
    }

    /// Pillow's CMYK → RGB (Convert.c `cmyk2rgb`): R = (255 − K) − C·(255 − K)/255 with
    /// Pillow's rounding division. JPEG stores the samples Adobe-inverted (how Photoshop and
    /// Pillow write them and how Pillow reads every CMYK JPEG, raw mode "CMYK;I"); TIFF does not.
    static func cmykToRGB(_ image: Image<UInt8>, inverted: Bool) -> Image<UInt8> {
        var result = Image<UInt8>(width: image.width, height: image.height, channels: 3)
        result.withUnsafeMutableSamples { output, outputStride in
            image.withUnsafeSamples { input, inputStride in
                for y in 0..<image.height {
                    let row = input + y * inputStride, out = output + y * outputStride
                    for x in 0..<image.width {
                        func ink(_ c: Int) -> Int { inverted ? 255 - Int(row[x * 4 + c]) : Int(row[x * 4 + c]) }
                        let nk = 255 - ink(3)
                        for c in 0..<3 {
                            let ink = ink(c)
                            let product = ink * nk + 128
                            out[x * 3 + c] = UInt8(clamping: nk - ((product >> 8) + product) >> 8)
                        }
                    }
                }
            }
        }
        return result
    }
}
