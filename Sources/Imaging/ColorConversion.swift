/// Channel-layout conversions with Pillow's formulas (see `ColorMode`).
///
/// Inputs are 1 (gray), 2 (gray + alpha), 3 (RGB) or 4 (RGBA) channels.
enum ColorConversion {
    static func convert(_ image: AnyImage, to mode: ColorMode) -> AnyImage {
        switch image {
        case .uint8(let image): .uint8(convert(image, to: mode, opaque: UInt8.max))
        case .uint16(let image): .uint16(convert(image, to: mode, opaque: UInt16.max))
        case .float32(let image): .float32(convert(image, to: mode, opaque: 255))
        }
    }

    static func convert<C: PixelComponent>(_ image: Image<C>, to mode: ColorMode, opaque: C) -> Image<C> {
        guard let target = mode.channelCount, target != image.channels else { return image }
        let source = image.channels
        var result = Image<C>(width: image.width, height: image.height, channels: target)
        result.withUnsafeMutableSamples { output, outputStride in
            image.withUnsafeSamples { input, inputStride in
                for y in 0..<image.height {
                    let row = input + y * inputStride, out = output + y * outputStride
                    for x in 0..<image.width {
                        let pixel = row + x * source, destination = out + x * target
                        let hasColor = source >= 3
                        let alpha = source == 2 ? pixel[1] : source == 4 ? pixel[3] : opaque
                        switch target {
                        case 1:
                            destination[0] = hasColor ? luma(pixel[0], pixel[1], pixel[2]) : pixel[0]
                        case 3, 4:
                            for c in 0..<3 { destination[c] = hasColor ? pixel[c] : pixel[0] }
                            if target == 4 { destination[3] = alpha }
                        default:
                            fatalError("unsupported target channel count \(target)")
                        }
                    }
                }
            }
        }
        return result
    }

    /// Pillow's `L24` luma in 16.16 fixed point; the same weights serve 16-bit and float samples.
    @inline(__always)
    static func luma<C: PixelComponent>(_ r: C, _ g: C, _ b: C) -> C {
        switch C.pixelType {
        case .uint8, .uint16:
            let r = UInt64(r.doubleValue), g = UInt64(g.doubleValue), b = UInt64(b.doubleValue)
            return C(clamping: Double((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16))
        case .float32:
            return C(clamping: (r.doubleValue * 19595 + g.doubleValue * 38470 + b.doubleValue * 7471) / 65536)
        }
    }
}
