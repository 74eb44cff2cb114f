import CImageCodecs

/// What a file's header says about its image, read without decoding pixels.
public struct ImageHeader: Hashable, Sendable {
    public var format: ImageFormat
    /// Stored size (before EXIF orientation).
    public var width: Int
    public var height: Int
    /// Channels the pixels decode to natively: 1 gray, 2 gray+alpha, 3 RGB, 4 RGBA.
    public var channels: Int
    /// Bits per sample in the file (1…16).
    public var bitDepth: Int
    public var orientation: Orientation

    public init(format: ImageFormat, width: Int, height: Int, channels: Int, bitDepth: Int,
                orientation: Orientation = .up) {
        self.format = format
        self.width = width
        self.height = height
        self.channels = channels
        self.bitDepth = bitDepth
        self.orientation = orientation
    }

    /// The size as displayed, after orientation.
    public var orientedSize: ImageSize {
        orientation.swapsAxes ? ImageSize(width: height, height: width) : ImageSize(width: width, height: height)
    }
}

/// A decoded image with the header it came from.
public struct DecodedImage: Sendable {
    public var image: AnyImage
    public var header: ImageHeader
    /// The DCT-domain reduction applied while decoding (1 = full size; 2, 4 or 8 for JPEG drafts).
    public var reduction: Int
}

/// One of the per-format decoders behind `ImageDecoder`.
protocol FormatDecoder {
    static func header(of bytes: UnsafeRawBufferPointer) throws -> ImageHeader
    /// Decodes to the file's native channels (1–4) and depth (8 or 16 bits), stored orientation.
    static func decode(_ bytes: UnsafeRawBufferPointer, options: DecodeOptions) throws -> DecodedImage
}

/// A message buffer for the C codec glue.
struct CodecMessage {
    var storage = [CChar](repeating: 0, count: Int(INV_MESSAGE_CAPACITY))

    var text: String {
        let bytes = storage.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        let text = String(decoding: bytes, as: UTF8.self)
        return text.isEmpty ? "unknown error" : text
    }
}

/// An image of `width × height × channels` filled by a codec call that takes the first
/// sample, the row stride in bytes and a message buffer, and returns 0 on success; any other
/// status becomes the error `failure` makes of the codec's message.
func readPixels<C: PixelComponent>(
    _ type: C.Type, width: Int, height: Int, channels: Int,
    failure: (String) -> ImageError,
    _ read: (UnsafeMutableRawPointer, Int, UnsafeMutablePointer<CChar>) -> Int32
) throws -> Image<C> {
    var image = Image<C>(width: width, height: height, channels: channels)
    var message = CodecMessage()
    let status = image.withUnsafeMutableSamples { samples, stride in
        message.storage.withUnsafeMutableBufferPointer { buffer in
            read(UnsafeMutableRawPointer(samples), stride * MemoryLayout<C>.stride, buffer.baseAddress!)
        }
    }
    if status != 0 { throw failure(message.text) }
    return image
}

extension UnsafeRawBufferPointer {
    var bytePointer: UnsafePointer<UInt8> { baseAddress!.assumingMemoryBound(to: UInt8.self) }
}
