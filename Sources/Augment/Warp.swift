import Foundation
import Imaging

extension Image where Component == UInt8 {
    /// Resamples the image through `transform` (input → output positions) onto a canvas of
    /// `size`: each output pixel reads the input at the inverse-mapped position.
    ///
    /// Nearest rounds half up; bilinear and bicubic (Keys, a = −0.75 as in OpenCV) blend in
    /// floating point and round to the nearest level. Positions outside the input follow
    /// `border`; `fill` is the constant border's value.
    public func warped(by transform: AffineTransform, to size: ImageSize, interpolation: Interpolation = .bilinear,
                       border: BorderMode = .constant, fill: Double = 0) -> Image {
        var result = Image(width: size.width, height: size.height, channels: channels)
        // A map that is singular, not finite, or absurdly large samples nothing usable: the
        // result is the fill (and positions stay far inside Int's range).
        guard let inverse = transform.inverse, width > 0, height > 0,
              [inverse.a, inverse.b, inverse.c, inverse.d, inverse.e, inverse.f].allSatisfy({ $0.isFinite && abs($0) < 1e9 })
        else {
            let level = fill.isFinite ? UInt8(clamping: fill) : 0
            let count = result.sampleCount
            result.withUnsafeMutableSamples { pixels, _ in pixels.update(repeating: level, count: count) }
            return result
        }
        let sampler = Sampler(image: self, border: border, fill: fill.isFinite ? UInt8(clamping: fill) : 0)
        let channels = self.channels
        if interpolation == .bilinear && (channels == 1 || channels == 3) {
            result.withUnsafeMutableSamples { output, outputStride in
                withUnsafeSamples { input, inputStride in
                    sampler.bilinearRows(inverse, from: input, stride: inputStride, to: output, outputStride: outputStride,
                                         size: size)
                }
            }
            return result
        }
        result.withUnsafeMutableSamples { output, outputStride in
            withUnsafeSamples { input, inputStride in
                var pixel = [Float](repeating: 0, count: channels)
                for y in 0..<size.height {
                    let row = output + y * outputStride
                    for x in 0..<size.width {
                        let (sx, sy) = inverse.apply(x: Double(x), y: Double(y))
                        let out = row + x * channels
                        switch interpolation {
                        case .nearest:
                            sampler.copy(x: Int((sx + 0.5).rounded(.down)), y: Int((sy + 0.5).rounded(.down)),
                                         from: input, stride: inputStride, to: out)
                        case .bilinear:
                            sampler.bilinear(x: sx, y: sy, from: input, stride: inputStride, into: &pixel)
                            for c in 0..<channels { out[c] = UInt8(clampingRounded: pixel[c]) }
                        case .bicubic:
                            sampler.bicubic(x: sx, y: sy, from: input, stride: inputStride, into: &pixel)
                            for c in 0..<channels { out[c] = UInt8(clampingRounded: pixel[c]) }
                        }
                    }
                }
            }
        }
        return result
    }
}

/// Reads input pixels with border handling.
private struct Sampler {
    let width: Int, height: Int, channels: Int
    let border: BorderMode
    let fill: UInt8

    init(image: Image<UInt8>, border: BorderMode, fill: UInt8) {
        width = image.width
        height = image.height
        channels = image.channels
        self.border = border
        self.fill = fill
    }

    /// The address of pixel (x, y) after border resolution, or nil for the constant fill.
    @inline(__always)
    func address(x: Int, y: Int, in input: UnsafePointer<UInt8>, stride: Int) -> UnsafePointer<UInt8>? {
        guard let column = border.resolve(x, size: width), let row = border.resolve(y, size: height) else { return nil }
        return input + row * stride + column * channels
    }

    @inline(__always)
    func copy(x: Int, y: Int, from input: UnsafePointer<UInt8>, stride: Int, to output: UnsafeMutablePointer<UInt8>) {
        if let source = address(x: x, y: y, in: input, stride: stride) {
            for c in 0..<channels { output[c] = source[c] }
        } else {
            for c in 0..<channels { output[c] = fill }
        }
    }

    @inline(__always)
    func bilinear(x: Double, y: Double, from input: UnsafePointer<UInt8>, stride: Int, into pixel: inout [Float]) {
        let x0 = Int(x.rounded(.down)), y0 = Int(y.rounded(.down))
        let fx = Float(x - Double(x0)), fy = Float(y - Double(y0))
        if x0 >= 0 && y0 >= 0 && x0 + 1 < width && y0 + 1 < height {
            let base = input + y0 * stride + x0 * channels
            for c in 0..<channels {
                let top = Float(base[c]) * (1 - fx) + Float(base[c + channels]) * fx
                let bottom = Float(base[stride + c]) * (1 - fx) + Float(base[stride + c + channels]) * fx
                pixel[c] = top * (1 - fy) + bottom * fy
            }
            return
        }
        for c in 0..<channels { pixel[c] = 0 }
        let weights = SIMD4<Float>((1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy)
        for corner in 0..<4 where weights[corner] != 0 {
            let source = address(x: x0 + corner % 2, y: y0 + corner / 2, in: input, stride: stride)
            for c in 0..<channels { pixel[c] += weights[corner] * Float(source?[c] ?? fill) }
        }
    }

    @inline(__always)
    func bicubic(x: Double, y: Double, from input: UnsafePointer<UInt8>, stride: Int, into pixel: inout [Float]) {
        let x0 = Int(x.rounded(.down)), y0 = Int(y.rounded(.down))
        let wx = Sampler.cubicWeights(Float(x - Double(x0))), wy = Sampler.cubicWeights(Float(y - Double(y0)))
        for c in 0..<channels { pixel[c] = 0 }
        for j in 0..<4 {
            for i in 0..<4 {
                let weight = wx[i] * wy[j]
                let source = address(x: x0 - 1 + i, y: y0 - 1 + j, in: input, stride: stride)
                for c in 0..<channels { pixel[c] += weight * Float(source?[c] ?? fill) }
            }
        }
    }

    /// The bilinear warp of whole rows for 1- and 3-channel images: positions advance by
    /// the inverse map's column step, and pixels whose four neighbours lie inside the image
    /// (nearly all of them) blend without border resolution.
    func bilinearRows(_ inverse: AffineTransform, from input: UnsafePointer<UInt8>, stride: Int,
                      to output: UnsafeMutablePointer<UInt8>, outputStride: Int, size: ImageSize) {
        let stepX = inverse.a, stepY = inverse.d
        let lastX = Double(width - 1), lastY = Double(height - 1)
        for y in 0..<size.height {
            let rowX = inverse.b * Double(y) + inverse.c, rowY = inverse.e * Double(y) + inverse.f
            var out = output + y * outputStride
            for x in 0..<size.width {
                // Positions in Double (as the generic path), only the fractions in Float.
                let sx = rowX + stepX * Double(x), sy = rowY + stepY * Double(x)
                if sx >= 0 && sy >= 0 && sx < lastX && sy < lastY {
                    // Inside: truncation is floor, and all four neighbours exist.
                    let x0 = Int(sx), y0 = Int(sy)
                    let fx = Float(sx - Double(x0)), fy = Float(sy - Double(y0))
                    let w00 = (1 - fx) * (1 - fy), w01 = fx * (1 - fy), w10 = (1 - fx) * fy, w11 = fx * fy
                    let p = input + y0 &* stride + x0 &* channels
                    let q = p + stride
                    if channels == 3 {
                        out[0] = UInt8(clampingRounded: Float(p[0]) * w00 + Float(p[3]) * w01 + Float(q[0]) * w10 + Float(q[3]) * w11)
                        out[1] = UInt8(clampingRounded: Float(p[1]) * w00 + Float(p[4]) * w01 + Float(q[1]) * w10 + Float(q[4]) * w11)
                        out[2] = UInt8(clampingRounded: Float(p[2]) * w00 + Float(p[5]) * w01 + Float(q[2]) * w10 + Float(q[5]) * w11)
                    } else {
                        out[0] = UInt8(clampingRounded: Float(p[0]) * w00 + Float(p[1]) * w01 + Float(q[0]) * w10 + Float(q[1]) * w11)
                    }
                } else {
                    // Near or past the edge: resolve the four neighbours through the border mode.
                    let fx0 = sx.rounded(.down), fy0 = sy.rounded(.down)
                    let fx = Float(sx - fx0), fy = Float(sy - fy0)
                    let x0 = Int(fx0), y0 = Int(fy0)
                    let left = border.resolve(x0, size: width), right = border.resolve(x0 + 1, size: width)
                    let top = border.resolve(y0, size: height), bottom = border.resolve(y0 + 1, size: height)
                    let fillLevel = Float(fill)
                    @inline(__always) func level(_ column: Int?, _ row: Int?, _ c: Int) -> Float {
                        guard let column, let row else { return fillLevel }
                        return Float(input[row &* stride &+ column &* channels &+ c])
                    }
                    for c in 0..<channels {
                        let upper = level(left, top, c) * (1 - fx) + level(right, top, c) * fx
                        let lower = level(left, bottom, c) * (1 - fx) + level(right, bottom, c) * fx
                        out[c] = UInt8(clampingRounded: upper * (1 - fy) + lower * fy)
                    }
                }
                out += channels
            }
        }
    }

    /// Keys' cubic convolution weights for offsets −1, 0, 1, 2 with OpenCV's a = −0.75.
    static func cubicWeights(_ t: Float) -> SIMD4<Float> {
        let a: Float = -0.75
        func near(_ d: Float) -> Float { ((a + 2) * d - (a + 3)) * d * d + 1 }
        func far(_ d: Float) -> Float { ((a * d - 5 * a) * d + 8 * a) * d - 4 * a }
        return SIMD4(far(t + 1), near(t), near(1 - t), far(2 - t))
    }
}

extension UInt8 {
    /// The nearest level to `value`, clamped to 0…255.
    @inline(__always)
    init(clampingRounded value: Float) {
        self = value <= 0 ? 0 : value >= 255 ? 255 : UInt8(value + 0.5)
    }
}
