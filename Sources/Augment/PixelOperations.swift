import Foundation
import Imaging
import InvariantCore

/// Pixel operations that depend on the image (histograms) or on more than one channel.
enum PixelOperations {
    static func gray(_ image: Image<UInt8>) -> Image<UInt8> {
        guard image.channels >= 3 else { return image }
        var result = image.compacted()
        let channels = image.channels
        result.withUnsafeMutableSamples { pixels, _ in
            for i in 0..<image.width * image.height {
                let p = pixels + i * channels
                let luma = (UInt32(p[0]) * 19595 + UInt32(p[1]) * 38470 + UInt32(p[2]) * 7471 + 0x8000) >> 16
                p[0] = UInt8(luma); p[1] = UInt8(luma); p[2] = UInt8(luma)
            }
        }
        return result
    }

    /// PIL's `ImageOps.equalize`: per channel, step = (total − count of the last used level) / 255
    /// and level i maps to (step/2 + Σ_{j<i} h[j]) / step; histograms with one used level, or
    /// a zero step, are left unchanged.
    static func equalize(_ image: Image<UInt8>) -> Image<UInt8> {
        let channels = image.channels
        var histograms = [[Int]](repeating: [Int](repeating: 0, count: 256), count: channels)
        image.withUnsafeSamples { pixels, stride in
            for y in 0..<image.height {
                for x in 0..<image.width * channels { histograms[x % channels][Int(pixels[y * stride + x])] += 1 }
            }
        }
        let tables = histograms.map { histogram -> [UInt8] in
            let used = histogram.filter { $0 > 0 }
            guard used.count > 1 else { return (0..<256).map { UInt8($0) } }
            let step = (used.reduce(0, +) - used.last!) / 255
            guard step > 0 else { return (0..<256).map { UInt8($0) } }
            var n = step / 2
            return (0..<256).map { level in
                defer { n += histogram[level] }
                return UInt8(min(255, n / step))
            }
        }
        return PixelLookup(tables: tables).apply(to: image)
    }

    static func erase(_ image: Image<UInt8>, _ rectangles: [PixelRect], fill: UInt8) -> Image<UInt8> {
        var result = image.compacted()
        let channels = image.channels, width = image.width, height = image.height
        result.withUnsafeMutableSamples { pixels, stride in
            for rect in rectangles {
                let x0 = max(0, rect.x), x1 = min(width, rect.x + rect.width)
                let y0 = max(0, rect.y), y1 = min(height, rect.y + rect.height)
                guard x1 > x0 else { continue }
                for y in y0..<max(y0, y1) {
                    (pixels + y * stride + x0 * channels).update(repeating: fill, count: (x1 - x0) * channels)
                }
            }
        }
        return result
    }

    /// Noise in reading order from one counter-based stream: the same seed, the same noise.
    static func noise(_ image: Image<UInt8>, seed: UInt64, sigma: Double) -> Image<UInt8> {
        guard sigma.isFinite && sigma > 0 else { return image }
        var random = RandomKey(seed: seed).generator()
        var result = image.compacted()
        let count = image.sampleCount
        result.withUnsafeMutableSamples { pixels, _ in
            for i in 0..<count {
                let value = Double(pixels[i]) + sigma * random.nextStandardNormal()
                pixels[i] = value <= 0 ? 0 : value >= 255 ? 255 : UInt8(value.rounded())
            }
        }
        return result
    }

    /// A JPEG round trip at `quality` through libjpeg-turbo (Imaging's encoder and decoder);
    /// images it cannot encode (channel counts other than 1 and 3) stay as they are.
    static func jpeg(_ image: Image<UInt8>, quality: Int) -> Image<UInt8> {
        guard image.channels == 1 || image.channels == 3, image.width > 0, image.height > 0,
              let data = try? ImageEncoder.jpeg(image, quality: min(100, max(1, quality))),
              let decoded = try? ImageDecoder(options: DecodeOptions(colorMode: .original)).decode(data).image.eightBit,
              decoded.width == image.width, decoded.height == image.height, decoded.channels == image.channels
        else { return image }
        return decoded
    }

    /// Keras's `apply_channel_shift` on levels: every channel + `offset`, clipped to the
    /// image's own [min, max], rounded half to even.
    static func channelShift(_ image: Image<UInt8>, offset: Double) -> Image<UInt8> {
        guard offset != 0, image.sampleCount > 0 else { return image }
        var low = 255, high = 0
        image.withUnsafeSamples { pixels, stride in
            for y in 0..<image.height {
                for i in 0..<image.width * image.channels {
                    let level = Int(pixels[y * stride + i])
                    low = min(low, level)
                    high = max(high, level)
                }
            }
        }
        let (lowest, highest) = (Double(low), Double(high))
        return PixelLookup { ColorOperations.clampedLevel(min(highest, max(lowest, Double($0) + offset))) }.apply(to: image)
    }

    /// PIL's `ImagingBlend(degenerate, image, factor)` on one level: `(UINT8)(d + f·(v − d))`,
    /// clipped to 0…255 (truncation, in C float).
    @inline(__always)
    static func blend(_ degenerate: Int32, _ level: UInt8, factor: Float) -> UInt8 {
        let value = Float(degenerate) + factor * Float(Int32(level) - degenerate)
        return value <= 0 ? 0 : value >= 255 ? 255 : UInt8(value)
    }

    /// PIL's `ImageEnhance`: Color blends with the image's luma (`convert("L")`, 3+ channels
    /// only), Contrast with the mean luma int(mean + 0.5), Sharpness with the image smoothed
    /// by PIL's SMOOTH kernel [[1, 1, 1], [1, 5, 1], [1, 1, 1]] / 13 (edge pixels kept, rounded).
    static func enhance(_ image: Image<UInt8>, _ kind: Enhancement, factor: Double) -> Image<UInt8> {
        guard factor != 1, image.sampleCount > 0 else { return image }
        let f = Float(factor), channels = image.channels
        switch kind {
        case .contrast:
            var total = 0
            image.withUnsafeSamples { pixels, stride in
                for y in 0..<image.height {
                    for x in 0..<image.width {
                        let p = pixels + y * stride + x * channels
                        total += channels >= 3 ? Int(luma(p)) : Int(p[0])
                    }
                }
            }
            let mean = Int32((Double(total) / Double(image.width * image.height) + 0.5).rounded(.down))
            return PixelLookup { blend(mean, UInt8($0), factor: f) }.apply(to: image)
        case .color:
            guard channels >= 3 else { return image }
            var result = image.compacted()
            let count = image.width * image.height
            result.withUnsafeMutableSamples { pixels, _ in
                for i in 0..<count {
                    let p = pixels + i * channels
                    let l = Int32(luma(p))
                    p[0] = blend(l, p[0], factor: f); p[1] = blend(l, p[1], factor: f); p[2] = blend(l, p[2], factor: f)
                }
            }
            return result
        case .sharpness:
            let smooth = ConvolutionKernel(width: 3, height: 3, weights: [1, 1, 1, 1, 5, 1, 1, 1, 1].map { $0 / 13 }).apply(to: image)
            var result = image.compacted()
            let width = image.width, height = image.height
            result.withUnsafeMutableSamples { pixels, stride in
                smooth.withUnsafeSamples { degenerate, smoothStride in
                    for y in 1..<max(1, height - 1) {
                        for i in channels..<max(channels, (width - 1) * channels) {
                            pixels[y * stride + i] = blend(Int32(degenerate[y * smoothStride + i]), pixels[y * stride + i], factor: f)
                        }
                    }
                }
            }
            return result
        }
    }

    /// Pillow's luma (L = (19595 R + 38470 G + 7471 B + 2¹⁵) >> 16).
    @inline(__always)
    static func luma(_ p: UnsafePointer<UInt8>) -> UInt32 {
        (UInt32(p[0]) * 19595 + UInt32(p[1]) * 38470 + UInt32(p[2]) * 7471 + 0x8000) >> 16
    }

    @inline(__always)
    static func luma(_ p: UnsafeMutablePointer<UInt8>) -> UInt32 { luma(UnsafePointer(p)) }

    /// PIL's `ImageOps.autocontrast(cutoff=0)`: per channel, levels lo…hi map to
    /// int(v·255/(hi − lo) − lo·255/(hi − lo)) clipped; a channel with one level is kept.
    static func autoContrast(_ image: Image<UInt8>) -> Image<UInt8> {
        let channels = image.channels
        var low = [Int](repeating: 255, count: channels), high = [Int](repeating: 0, count: channels)
        image.withUnsafeSamples { pixels, stride in
            for y in 0..<image.height {
                for x in 0..<image.width * channels {
                    let level = Int(pixels[y * stride + x]), c = x % channels
                    if level < low[c] { low[c] = level }
                    if level > high[c] { high[c] = level }
                }
            }
        }
        let tables = (0..<channels).map { c -> [UInt8] in
            guard high[c] > low[c] else { return (0..<256).map { UInt8($0) } }
            let scale = 255 / Double(high[c] - low[c]), offset = -Double(low[c]) * scale
            return (0..<256).map { level in
                let value = Double(level) * scale + offset
                return value <= 0 ? 0 : value >= 255 ? 255 : UInt8(value)
            }
        }
        return PixelLookup(tables: tables).apply(to: image)
    }
}

/// The `ImageEnhance` operations that blend with an image-dependent degenerate image.
public enum Enhancement: String, Hashable, Sendable, Codable {
    case color, contrast, sharpness
}
