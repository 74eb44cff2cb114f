/// The EXIF orientation of an image: how the stored pixels must be flipped or rotated to
/// be displayed upright. Raw values follow the EXIF/TIFF tag 0x0112.
public enum Orientation: Int, Sendable, CaseIterable {
    case up = 1, mirrored = 2, upsideDown = 3, flipped = 4
    case transposed = 5, rotatedClockwise = 6, transverse = 7, rotatedCounterClockwise = 8

    /// Whether displaying the image swaps its width and height.
    public var swapsAxes: Bool { rawValue >= 5 }

    /// Reads the orientation tag from an EXIF TIFF structure; nil when absent or malformed.
    public init?(exif: UnsafeRawBufferPointer) {
        let bytes = exif
        guard bytes.count >= 8 else { return nil }
        let littleEndian: Bool
        switch (bytes[0], bytes[1]) {
        case (0x49, 0x49): littleEndian = true
        case (0x4D, 0x4D): littleEndian = false
        default: return nil
        }
        func u16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= bytes.count else { return nil }
            return littleEndian ? Int(bytes[at]) | Int(bytes[at + 1]) << 8 : Int(bytes[at]) << 8 | Int(bytes[at + 1])
        }
        func u32(_ at: Int) -> Int? {
            guard let high = u16(littleEndian ? at + 2 : at), let low = u16(littleEndian ? at : at + 2) else { return nil }
            return high << 16 | low
        }
        guard u16(2) == 42, let ifd = u32(4), let entries = u16(ifd) else { return nil }
        for entry in 0..<entries {
            let at = ifd + 2 + entry * 12
            guard let tag = u16(at) else { return nil }
            if tag == 0x0112 {
                guard let type = u16(at + 2), type == 3, let value = u16(at + 8) else { return nil }
                self.init(rawValue: value)
                return
            }
        }
        return nil
    }
}

extension Image {
    /// The image as it should be displayed given its EXIF orientation (Pillow's `exif_transpose`).
    public func applyingOrientation(_ orientation: Orientation) -> Image {
        if orientation == .up { return self }
        let outWidth = orientation.swapsAxes ? height : width
        let outHeight = orientation.swapsAxes ? width : height
        let (w, h) = (width, height)
        // For each output pixel (x, y), the stored pixel it shows.
        let source: (Int, Int) -> (Int, Int) = switch orientation {
        case .up: { ($0, $1) }
        case .mirrored: { (w - 1 - $0, $1) }
        case .upsideDown: { (w - 1 - $0, h - 1 - $1) }
        case .flipped: { ($0, h - 1 - $1) }
        case .transposed: { ($1, $0) }
        case .rotatedClockwise: { ($1, h - 1 - $0) }
        case .transverse: { (w - 1 - $1, h - 1 - $0) }
        case .rotatedCounterClockwise: { (w - 1 - $1, $0) }
        }
        var result = Image(width: outWidth, height: outHeight, channels: channels)
        let channels = self.channels
        result.withUnsafeMutableSamples { output, outputStride in
            withUnsafeSamples { input, inputStride in
                for y in 0..<outHeight {
                    for x in 0..<outWidth {
                        let (sx, sy) = source(x, y)
                        let from = input + sy * inputStride + sx * channels
                        let to = output + y * outputStride + x * channels
                        for c in 0..<channels { to[c] = from[c] }
                    }
                }
            }
        }
        return result
    }
}
