import CImageCodecs
import Foundation

/// Encodes images to PNG (lossless, 8 or 16 bits, 1–4 channels) or JPEG (8-bit gray or RGB).
public enum ImageEncoder {
    public enum EncodingError: Error, CustomStringConvertible {
        case failed(String)
        public var description: String {
            switch self { case .failed(let reason): "cannot encode image: \(reason)" }
        }
    }

    /// PNG bytes; `compressionLevel` is zlib's 0…9.
    public static func png(_ image: Image<UInt8>, compressionLevel: Int = 6) throws -> Data {
        let compact = image.compacted()
        return try compact.withUnsafeSamples { pixels, stride in
            try collect { output, size, message in
                inv_png_encode(pixels, Int32(compact.width), Int32(compact.height), Int32(compact.channels), 8,
                               stride, Int32(compressionLevel), &output, &size, message)
            }
        }
    }

    public static func png(_ image: Image<UInt16>, compressionLevel: Int = 6) throws -> Data {
        let compact = image.compacted()
        return try compact.withUnsafeSamples { pixels, stride in
            try collect { output, size, message in
                inv_png_encode(pixels, Int32(compact.width), Int32(compact.height), Int32(compact.channels), 16,
                               stride * 2, Int32(compressionLevel), &output, &size, message)
            }
        }
    }

    /// JPEG bytes at `quality` 1…100 (libjpeg's scale); 1- or 3-channel images only.
    public static func jpeg(_ image: Image<UInt8>, quality: Int = 90) throws -> Data {
        let compact = image.compacted()
        return try compact.withUnsafeSamples { pixels, stride in
            try collect { output, size, message in
                inv_jpeg_encode(pixels, Int32(compact.width), Int32(compact.height), Int32(compact.channels), stride,
                                Int32(quality), &output, &size, message)
            }
        }
    }

    private static func collect(
        _ encode: (inout UnsafeMutablePointer<UInt8>?, inout Int, UnsafeMutablePointer<CChar>) -> Int32
    ) throws -> Data {
        var message = CodecMessage()
        var output: UnsafeMutablePointer<UInt8>?
        var size = 0
        let status = message.storage.withUnsafeMutableBufferPointer { encode(&output, &size, $0.baseAddress!) }
        guard status == 0, let output else { throw EncodingError.failed(message.text) }
        defer { inv_free(output) }
        return Data(bytes: output, count: size)
    }
}
