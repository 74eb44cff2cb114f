import Foundation
import CPixelKernels
import Imaging

extension Image where Component == UInt8 {
    /// Resamples the image through `transform` (input → output positions) onto a canvas of
    /// `size`: each output pixel reads the input at the inverse-mapped position.
    ///
    /// Flips, transposes and quarter turns copy pixels exactly; whole-pixel translations copy
    /// rows. Otherwise nearest rounds half up; bicubic (Keys, a = −0.75 as in OpenCV) blends in
    /// Float, rounding to the nearest level. Bilinear runs in one of two ways: a map that is
    /// axis-aligned (a scale and a translation per axis, either sign: resizes, resized crops,
    /// zooms) and an image of 1–8 channels go separably, as `cv2.resize` does — per output
    /// column two taps and 16-bit weights resolved once (border included), each needed source
    /// row interpolated horizontally once into a 16-bit row that consecutive output rows share,
    /// and each output row blended from two of those, all eight lanes at a time (within 0.02 of
    /// a level of the float64 blend, flat regions exact); any other map blends each pixel from
    /// its four neighbours in fixed point (1- and 3-channel images) or Float. Positions outside
    /// the input follow `border`; `fill` is the constant border's value.
    public func warped(by transform: AffineTransform, to size: ImageSize, interpolation: Interpolation = .bilinear,
                       border: BorderMode = .constant, fill: Double = 0) -> Image {
        warped(by: transform, to: size, interpolation: interpolation, border: border, fill: fill, mappingLevelsThrough: nil)
    }

    /// The warp followed by `lookup`: the per-pixel bilinear path maps each level as it stores
    /// it (no second pass over the output); the other paths run the lookup after.
    func warped(by transform: AffineTransform, to size: ImageSize, interpolation: Interpolation, border: BorderMode,
                fill: Double, mappingLevelsThrough lookup: PixelLookup?) -> Image {
        func mapped(_ image: Image) -> Image { lookup?.apply(to: image) ?? image }
        // A map that is singular, not finite, or absurdly large samples nothing usable: the
        // result is the fill (and positions stay far inside Int's range).
        guard let inverse = transform.inverse, width > 0, height > 0,
              [inverse.a, inverse.b, inverse.c, inverse.d, inverse.e, inverse.f].allSatisfy({ $0.isFinite && abs($0) < 1e9 })
        else {
            return mapped(Image(filledWith: fill.isFinite ? UInt8(clamping: fill) : 0, size: size, channels: channels))
        }
        if transform.permutesPixels(width: width, height: height, onto: size) {
            return mapped(permuted(by: inverse, to: size))
        }
        let level = fill.isFinite ? UInt8(clamping: fill) : 0
        // Whole-pixel translations (crops, pads): rows copied, no interpolation.
        if transform.a == 1 && transform.b == 0 && transform.d == 0 && transform.e == 1
            && transform.c == transform.c.rounded() && transform.f == transform.f.rounded() && abs(transform.c) < 1e9 && abs(transform.f) < 1e9 {
            return mapped(translated(by: (Int(transform.c), Int(transform.f)), to: size, border: border, fill: level))
        }
        // Scale and translation per axis (resizes, resized crops, zooms without rotation): two 1-D passes.
        if interpolation == .bilinear,
           let separable = SeparableBilinear(inverse: inverse, source: ImageSize(width: width, height: height),
                                             channels: channels, output: size, border: border, fill: level) {
            return mapped(Image(width: size.width, height: size.height, channels: channels) { output, outputStride in
                withUnsafeSamples { input, inputStride in
                    separable.run(from: input, stride: inputStride, to: output, outputStride: outputStride, size: size)
                }
            })
        }
        var sampler = Sampler(image: self, border: border, fill: level)
        let channels = self.channels
        if interpolation == .bilinear && (channels == 1 || channels == 3) {
            let levels = lookup?.sideBySide(channels: channels)
            return Image(width: size.width, height: size.height, channels: channels) { output, outputStride in
                withUnsafeSamples { input, inputStride in
                    withOptionalBuffer(levels) { levels in
                        sampler.levelMap = levels
                        sampler.bilinearRows(inverse, from: input, stride: inputStride, to: output, outputStride: outputStride,
                                             size: size)
                    }
                }
            }
        }
        return mapped(Image(width: size.width, height: size.height, channels: channels) { output, outputStride in
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
        })
    }

    /// An image of `size` with every sample at `level`.
    init(filledWith level: UInt8, size: ImageSize, channels: Int) {
        self.init(width: size.width, height: size.height, channels: channels) { pixels, _ in
            pixels.update(repeating: level, count: size.width * size.height * channels)
        }
    }
}

extension Image where Component == UInt8 {
    /// Resamples the image through a projective `transform` (input → output positions) onto a
    /// canvas of `size`, with the same sampling, rounding and border rules as the affine warp.
    /// An affine `transform` takes the affine path. Source positions come from the inverse
    /// homography, a row at a time (one division per pixel, branch-free so that it
    /// vectorises), turned into 32-bit fixed point by the add-a-magic-constant
    /// rounding (no checked Float → Int conversion). Output pixels whose position lies on or
    /// behind the horizon (w ≤ 0) read the border far outside the image.
    public func warped(by transform: ProjectiveTransform, to size: ImageSize, interpolation: Interpolation = .bilinear,
                       border: BorderMode = .constant, fill: Double = 0) -> Image {
        if let affine = transform.affine {
            return warped(by: affine, to: size, interpolation: interpolation, border: border, fill: fill)
        }
        let level = fill.isFinite ? UInt8(clamping: fill) : 0
        guard let inverse = transform.inverse, width > 0, height > 0, inverse.m.allSatisfy({ $0.isFinite }) else {
            return Image(filledWith: level, size: size, channels: channels)
        }
        let sampler = Sampler(image: self, border: border, fill: level)
        let channels = self.channels
        let h = inverse.m
        let columns = (0..<size.width).map(Double.init)
        /// Row `y`'s source positions in 32-bit fixed point: far positions clamped to ±2¹⁶ px,
        /// those at or beyond the horizon (w ≤ 0) at (−2¹⁶, −2¹⁶) — both read the border.
        /// Branch-free over the row, so the divisions and conversions vectorise.
        @inline(__always)
        func fixedPositions(row y: Int, x xs: UnsafeMutablePointer<Int64>, y ys: UnsafeMutablePointer<Int64>) {
            let row = Double(y)
            let (baseX, baseY, baseW) = (h[1] * row + h[2], h[4] * row + h[5], h[7] * row + h[8])
            let (stepX, stepY, stepW) = (h[0], h[3], h[6])
            columns.withUnsafeBufferPointer { columns in
                for x in 0..<columns.count {
                    let column = columns[x], w = baseW + stepW * column
                    let visible = w > 1e-12, r = 1 / (visible ? w : 1)
                    let sx = (baseX + stepX * column) * r, sy = (baseY + stepY * column) * r
                    xs[x] = fixedPoint32(visible ? clampedToFarBorder(sx) : -65536)
                    ys[x] = fixedPoint32(visible ? clampedToFarBorder(sy) : -65536)
                }
            }
        }
        return Image(width: size.width, height: size.height, channels: channels) { output, outputStride in
            withUnsafeSamples { input, inputStride in sampler.withLaneSource(of: input, stride: inputStride, interpolation: interpolation,
                                                                             outputPixels: size.width * size.height) { lanes in
                var pixel = [Float](repeating: 0, count: channels)
                let positions = PositionRow(count: size.width)
                defer { positions.deallocate() }
                for y in 0..<size.height {
                    fixedPositions(row: y, x: positions.x, y: positions.y)
                    let out = output + y * outputStride
                    if let lanes {
                        sampler.blendRow(positions, lanes: lanes, from: input, stride: inputStride, to: out)
                        continue
                    }
                    for x in 0..<size.width {
                        sampler.sample(x: Double(positions.x[x]) * 0x1p-32, y: Double(positions.y[x]) * 0x1p-32,
                                       interpolation: interpolation, lanes: nil, from: input, stride: inputStride,
                                       to: out + x * channels, scratch: &pixel)
                    }
                }
            } }
        }
    }
}

extension Image where Component == UInt8 {
    /// Samples the image at the source position of every output pixel — `cv2.remap` — with
    /// the warps' sampling, rounding and border rules.
    func remapped(_ positions: SourcePositions, interpolation: Interpolation, border: BorderMode, fill: Double) -> Image {
        let sampler = Sampler(image: self, border: border, fill: fill.isFinite ? UInt8(clamping: fill) : 0)
        let channels = self.channels, width = self.width, height = self.height
        return Image(width: width, height: height, channels: channels) { output, outputStride in
            withUnsafeSamples { input, inputStride in sampler.withLaneSource(of: input, stride: inputStride, interpolation: interpolation,
                                                                             outputPixels: width * height) { lanes in
                var pixel = [Float](repeating: 0, count: channels)
                let positionRow = PositionRow(count: lanes == nil ? 0 : width)
                defer { positionRow.deallocate() }
                @inline(__always) func sampleRow(_ y: Int, _ position: (Int) -> (x: Double, y: Double)) {
                    let out = output + y * outputStride
                    if let lanes {
                        for x in 0..<width {
                            let (sx, sy) = position(x)
                            positionRow.x[x] = fixedPoint32(sx)
                            positionRow.y[x] = fixedPoint32(sy)
                        }
                        sampler.blendRow(positionRow, lanes: lanes, from: input, stride: inputStride, to: out)
                        return
                    }
                    for x in 0..<width {
                        let (sx, sy) = position(x)
                        sampler.sample(x: sx, y: sy, interpolation: interpolation, lanes: nil,
                                       from: input, stride: inputStride, to: out + x * channels, scratch: &pixel)
                    }
                }
                switch positions {
                case .dense(let xs, let ys):
                    precondition(xs.count == width * height && ys.count == width * height, "one source position per pixel")
                    for y in 0..<height {
                        sampleRow(y) { x in (clampedToFarBorder(xs[y * width + x]), clampedToFarBorder(ys[y * width + x])) }
                    }
                case .separable(let columns, let rows):
                    precondition(columns.count == width && rows.count == height, "one source column per column, one row per row")
                    let columns = columns.map(clampedToFarBorder)
                    for y in 0..<height {
                        let row = clampedToFarBorder(rows[y])
                        sampleRow(y) { x in (columns[x], row) }
                    }
                }
            } }
        }
    }
}

/// Where each output pixel of a remap reads the input.
enum SourcePositions {
    /// One position per output pixel, in reading order.
    case dense(x: [Double], y: [Double])
    /// Output (x, y) reads (columns[x], rows[y]): a grid distortion's stretched cells.
    case separable(columns: [Double], rows: [Double])
}

/// A source coordinate kept within ±2¹⁶ px (NaN at −2¹⁶): positions that far read the border
/// as any position outside does, and stay in `fixedPoint32`'s range.
@inline(__always)
func clampedToFarBorder(_ value: Double) -> Double {
    value > 65536 ? 65536 : value < -65536 ? -65536 : value.isNaN ? -65536 : value
}

/// `value` rounded to the nearest integer (ties to even) for |value| < 2⁵¹, by adding
/// 1.5·2⁵² so that the sum's mantissa holds the integer: no trapping conversion.
@inline(__always)
func roundedInteger(_ value: Double) -> Int64 {
    let magic = 6_755_399_441_055_744.0
    return Int64(bitPattern: (value + magic).bitPattern) &- Int64(bitPattern: magic.bitPattern)
}

/// `value` in fixed point with 32 fractional bits (|value| ≤ 2¹⁸).
@inline(__always)
func fixedPoint32(_ value: Double) -> Int64 { roundedInteger(value * 4_294_967_296) }

extension Image where Component == UInt8 {
    /// A flip, transpose or quarter turn: every output pixel copies one input pixel, found by
    /// integer steps along the inverse map (no interpolation, no border).
    func permuted(by inverse: AffineTransform, to size: ImageSize) -> Image {
        let channels = self.channels
        // The inverse of a pixel permutation has integer coefficients (up to rounding noise).
        let (a, b, c) = (Int(inverse.a.rounded()), Int(inverse.b.rounded()), Int(inverse.c.rounded()))
        let (d, e, f) = (Int(inverse.d.rounded()), Int(inverse.e.rounded()), Int(inverse.f.rounded()))
        return Image(width: size.width, height: size.height, channels: channels) { output, outputStride in
            withUnsafeSamples { input, inputStride in
                let step = d * inputStride + a * channels  // input offset per output column
                // A mirrored row that is not RGB is first copied whole into a scratch row:
                // reading the input backwards while writing the output forwards made loads
                // falsely depend on recent stores (4K aliasing, see `reverseRGB`).
                let mirrored = step == -channels
                let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: mirrored && channels != 3 ? size.width * channels : 0)
                defer { scratch.deallocate() }
                for y in 0..<size.height {
                    var source = UnsafePointer(input + (e * y + f) * inputStride + (b * y + c) * channels)
                    if mirrored {
                        if channels == 3 {
                            reverseRGB(source - (size.width - 1) * channels, count: size.width, to: output + y * outputStride)
                            continue
                        }
                        scratch.update(from: source - (size.width - 1) * channels, count: size.width * channels)
                        source = UnsafePointer(scratch + (size.width - 1) * channels)
                    }
                    copyPixels(from: source, step: step, to: output + y * outputStride, count: size.width, channels: channels)
                }
            }
        }
    }

    /// An integer translation: rows are copied whole where they overlap the input, and only
    /// the uncovered pixels go through the border mode.
    func translated(by offset: (x: Int, y: Int), to size: ImageSize, border: BorderMode, fill: UInt8) -> Image {
        // A crop that stays inside the image is a view: no copy; the image's copy-on-write
        // keeps both sides' values apart.
        let origin = (x: -offset.x, y: -offset.y)
        if origin.x >= 0, origin.y >= 0, origin.x + size.width <= width, origin.y + size.height <= height {
            return cropped(to: PixelRect(x: origin.x, y: origin.y, width: size.width, height: size.height))
        }
        let channels = self.channels, width = self.width, height = self.height
        let firstInside = min(size.width, max(0, offset.x)), lastInside = min(size.width, max(0, width + offset.x))
        let rowLength = size.width * channels
        // The columns left and right of the copied span, resolved through the border once for
        // all rows (nil for the constant border: those columns take the fill).
        let marginColumns = (Array(0..<firstInside) + Array(lastInside..<size.width)).compactMap { x in
            border.resolve(x - offset.x, size: width).map { (offset: x * channels, source: $0 * channels) }
        }
        return Image(width: size.width, height: size.height, channels: channels) { output, outputStride in
            withUnsafeSamples { input, inputStride in
                // Output rows made from each input row so far: a border row that repeats an
                // input row copies the finished output row.
                var madeFrom = [Int](repeating: -1, count: height)
                for y in 0..<size.height {
                    let out = output + y * outputStride
                    guard let row = border.resolve(y - offset.y, size: height) else {
                        out.update(repeating: fill, count: rowLength)
                        continue
                    }
                    if madeFrom[row] >= 0 {
                        out.update(from: output + madeFrom[row] * outputStride, count: rowLength)
                        continue
                    }
                    madeFrom[row] = y
                    let source = input + row * inputStride
                    if lastInside > firstInside {
                        (out + firstInside * channels).update(from: source + (firstInside - offset.x) * channels,
                                                              count: (lastInside - firstInside) * channels)
                    }
                    if case .constant = border {
                        out.update(repeating: fill, count: firstInside * channels)
                        (out + lastInside * channels).update(repeating: fill, count: (size.width - lastInside) * channels)
                        continue
                    }
                    if channels == 3 {
                        for (x, column) in marginColumns {
                            out[x] = source[column]
                            out[x + 1] = source[column + 1]
                            out[x + 2] = source[column + 2]
                        }
                    } else {
                        for (x, column) in marginColumns {
                            for k in 0..<channels { out[x + k] = source[column + k] }
                        }
                    }
                }
            }
        }
    }
}

/// Copies `count` pixels, stepping `step` samples through the source: whole rows at once when
/// the source is contiguous, fixed-size pixel copies otherwise.
@inline(__always)
private func copyPixels(from source: UnsafePointer<UInt8>, step: Int, to output: UnsafeMutablePointer<UInt8>, count: Int,
                        channels: Int) {
    if step == channels {
        output.update(from: source, count: count * channels)
        return
    }
    var from = source, to = output
    switch channels {
    case 1:
        for _ in 0..<count { to.pointee = from.pointee; to += 1; from += step }
    case 3:
        for _ in 0..<count {
            to[0] = from[0]; to[1] = from[1]; to[2] = from[2]
            to += 3
            from += step
        }
    default:
        for _ in 0..<count {
            for k in 0..<channels { to[k] = from[k] }
            to += channels
            from += step
        }
    }
}

/// Writes the `count` RGB pixels of `row` in reverse order to `output`: sixteen pixels per
/// three byte shuffles where the CPU has SSSE3 (`invariant_reverse_rgb`), otherwise eight
/// pixels (24 bytes) at a time as three 64-bit loads, shifts and masks that reverse the pixel
/// order inside the block, and three 64-bit stores; the rest pixel by pixel.
///
/// Both read the row forwards and write the output backwards. The other way round, loads
/// falsely depended on recent stores to the same address bits (4K aliasing) at some widths
/// (224: 4× slower per pixel).
private func reverseRGB(_ row: UnsafePointer<UInt8>, count: Int, to output: UnsafeMutablePointer<UInt8>) {
    if invariant_reverse_rgb(row, count, output) { return }
    let pixel: UInt64 = 0xFF_FFFF
    var source = UnsafeRawPointer(row), target = UnsafeMutableRawPointer(output + 3 * count)
    let blocks = source + 24 * (count / 8)
    while source < blocks {
        // The 8 source pixels at `source`, in order P0…P7; written as P7…P0.
        target -= 24
        let a = source.loadUnaligned(as: UInt64.self)
        let b = source.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        let c = source.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
        let p0 = a & pixel, p1 = (a &>> 24) & pixel, p2 = (a &>> 48) | (b & 0xFF) &<< 16
        let p3 = (b &>> 8) & pixel, p4 = (b &>> 32) & pixel, p5 = (b &>> 56) | (c & 0xFFFF) &<< 8
        let p6 = (c &>> 16) & pixel, p7 = c &>> 40
        target.storeBytes(of: p7 | p6 &<< 24 | p5 &<< 48, as: UInt64.self)
        target.storeBytes(of: p5 &>> 16 | p4 &<< 8 | p3 &<< 32 | p2 &<< 56, toByteOffset: 8, as: UInt64.self)
        target.storeBytes(of: p2 &>> 8 | p1 &<< 16 | p0 &<< 40, toByteOffset: 16, as: UInt64.self)
        source += 24
    }
    while target > UnsafeMutableRawPointer(output) {
        target -= 3
        target.copyMemory(from: source, byteCount: 3)
        source += 3
    }
}

/// Reads input pixels with border handling.
private struct Sampler {
    let width: Int, height: Int, channels: Int
    let border: BorderMode
    let fill: UInt8
    /// Tables (256 levels per channel, side by side) that `LaneBlend`'s levels go through as
    /// they are stored: a lookup fused into the warp. Nil: levels stored as they are.
    var levelMap: UnsafePointer<UInt8>?
    /// Whether `blendRow` blends in C: RGB, with `KernelBuild.blendsWide`.
    let blendsInC: Bool

    init(image: Image<UInt8>, border: BorderMode, fill: UInt8) {
        width = image.width
        height = image.height
        channels = image.channels
        self.border = border
        self.fill = fill
        blendsInC = channels == 3 && KernelBuild.blendsWide
    }

    /// The address of pixel (x, y) after border resolution, or nil for the constant fill.
    @inline(__always)
    func address(x: Int, y: Int, in input: UnsafePointer<UInt8>, stride: Int) -> UnsafePointer<UInt8>? {
        guard let column = border.resolve(x, size: width), let row = border.resolve(y, size: height) else { return nil }
        return input + row * stride + column * channels
    }

    /// The pixel at the (clamped, finite) source position (x, y) under `interpolation`,
    /// written to `output`: `LaneBlend`'s bilinear when given `lanes`, nearest rounding half
    /// up as the affine path does. `scratch` holds `channels` floats.
    @inline(__always)
    func sample(x: Double, y: Double, interpolation: Interpolation, lanes: LaneSource?, from input: UnsafePointer<UInt8>,
                stride: Int, to output: UnsafeMutablePointer<UInt8>, scratch: inout [Float]) {
        if let lanes {
            fixedBilinear(x: fixedPoint32(x), y: fixedPoint32(y), lanes: lanes, from: input, stride: stride, to: output)
            return
        }
        switch interpolation {
        case .nearest:
            let half: Int64 = 1 << 31
            copy(x: Int(truncatingIfNeeded: (fixedPoint32(x) &+ half) >> 32),
                 y: Int(truncatingIfNeeded: (fixedPoint32(y) &+ half) >> 32), from: input, stride: stride, to: output)
        case .bilinear:
            bilinear(x: x, y: y, from: input, stride: stride, into: &scratch)
            for c in 0..<channels { output[c] = UInt8(clampingRounded: scratch[c]) }
        case .bicubic:
            bicubic(x: x, y: y, from: input, stride: stride, into: &scratch)
            for c in 0..<channels { output[c] = UInt8(clampingRounded: scratch[c]) }
        }
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

    /// The bilinear warp of whole rows for 1- and 3-channel images, in fixed point: positions
    /// carry 32 fractional bits and advance by integer steps (no float → integer conversion
    /// per pixel, which dominated the float version), and `LaneBlend` weights all channels of
    /// a neighbour with one multiply. Pixels whose four neighbours are not all inside take
    /// the border path, which blends the same way.
    func bilinearRows(_ inverse: AffineTransform, from input: UnsafePointer<UInt8>, stride: Int,
                      to output: UnsafeMutablePointer<UInt8>, outputStride: Int, size: ImageSize) {
        let one = Double(1 << 32)
        let stepX = Int64((inverse.a * one).rounded()), stepY = Int64((inverse.d * one).rounded())
        withLaneSource(of: input, stride: stride, interpolation: .bilinear, outputPixels: size.width * size.height) { lanes in
            let positions = PositionRow(count: size.width)
            defer { positions.deallocate() }
            for y in 0..<size.height {
                let rowX = inverse.b * Double(y) + inverse.c, rowY = inverse.e * Double(y) + inverse.f
                let endX = rowX + inverse.a * Double(size.width), endY = rowY + inverse.d * Double(size.width)
                if max(abs(rowX), abs(rowY), abs(endX), abs(endY)) < 0x1p30 {
                    var fixedX = Int64((rowX * one).rounded()), fixedY = Int64((rowY * one).rounded())
                    for x in 0..<size.width {
                        positions.x[x] = fixedX
                        positions.y[x] = fixedY
                        fixedX &+= stepX
                        fixedY &+= stepY
                    }
                } else {
                    // A row that reaches this far outside (a huge map) is clamped per pixel,
                    // as projective rows are: its positions would not fit 32.32 fixed point.
                    for x in 0..<size.width {
                        positions.x[x] = fixedPoint32(clampedToFarBorder(rowX + inverse.a * Double(x)))
                        positions.y[x] = fixedPoint32(clampedToFarBorder(rowY + inverse.d * Double(x)))
                    }
                }
                blendRow(positions, lanes: lanes!, from: input, stride: stride, to: output + y * outputStride)
            }
        }
    }

    /// Calls `body` with where `LaneBlend` reads pixels — nil when the sampling is not
    /// `LaneBlend`'s (not bilinear, or not 1 or 3 channels). When the output has at least a
    /// quarter as many pixels as the input, every input pixel's lanes are packed once (one word
    /// per pixel, rows without gaps): an output pixel then loads its four neighbours' lanes
    /// instead of packing twelve bytes (a third of an RGB warp's per-pixel work). A much
    /// smaller output (a fused rotate and downscale of a large photo) packs only the pixels
    /// it reads, as it reads them.
    func withLaneSource<R>(of input: UnsafePointer<UInt8>, stride: Int, interpolation: Interpolation, outputPixels: Int,
                           _ body: (LaneSource?) -> R) -> R {
        guard interpolation == .bilinear, channels == 1 || channels == 3 else { return body(nil) }
        // The C blend reads the image's bytes itself.
        guard !blendsInC else { return body(.bytes) }
        let (width, height, channels) = (self.width, self.height, self.channels)
        guard outputPixels >= width * height / 4 else { return body(.bytes) }
        let packed = [UInt64](unsafeUninitializedCapacity: width * height) { lanes, count in
            for y in 0..<height {
                let row = input + y * stride
                for x in 0..<width { lanes[y * width + x] = LaneBlend.lanes(row + x * channels, channels) }
            }
            count = width * height
        }
        return packed.withUnsafeBufferPointer { body(.packed($0.baseAddress!)) }
    }

    /// The bilinear pixels (1 or 3 channels) at a row's positions, stored side by side from
    /// `out`: 16 at a time in C where `blendsInC` (the same arithmetic as `LaneBlend`), those
    /// inside by `invariant_blend_rgb`, those with a neighbour outside by
    /// `invariant_blend_rgb_border`, and any it leaves (more than an image's length outside)
    /// by `edgePixel`; one by one with `fixedBilinear` otherwise.
    /// Called once per row: not inlined, which would leave its callers too large for the
    /// optimiser to vectorise their position loops.
    @inline(never)
    func blendRow(_ positions: PositionRow, lanes: LaneSource, from input: UnsafePointer<UInt8>, stride: Int,
                  to out: UnsafeMutablePointer<UInt8>) {
        let (xs, ys) = (positions.x, positions.y)
        if blendsInC {
            var outside = invariant_blend_rgb(input, width, height, stride, xs, ys, positions.count, levelMap, out, positions.outside)
            if outside >= 0 {
                outside = invariant_blend_rgb_border(input, width, height, stride, xs, ys, positions.outside, outside,
                                                     border.code, fill, levelMap, out)
                for i in 0..<outside {
                    let x = Int(positions.outside[i])
                    edgePixel(x: xs[x], y: ys[x], from: input, stride: stride, to: out + 3 * x)
                }
                return
            }
        }
        for x in 0..<positions.count {
            fixedBilinear(x: xs[x], y: ys[x], lanes: lanes, from: input, stride: stride, to: out + x &* channels)
        }
    }

    /// One bilinear pixel (1 or 3 channels only) at a fixed-point position: `LaneBlend` of its
    /// four neighbours when they are inside, through the border otherwise.
    @inline(__always)
    func fixedBilinear(x fixedX: Int64, y fixedY: Int64, lanes: LaneSource, from input: UnsafePointer<UInt8>,
                       stride: Int, to out: UnsafeMutablePointer<UInt8>) {
        let x0 = fixedX >> 32, y0 = fixedY >> 32  // arithmetic shift: floor
        guard x0 >= 0 && y0 >= 0 && x0 < Int64(width - 1) && y0 < Int64(height - 1) else {
            edgePixel(x: fixedX, y: fixedY, from: input, stride: stride, to: out)
            return
        }
        let blend = LaneBlend(x: fixedX, y: fixedY)
        switch lanes {
        case .packed(let lanes):
            let top = lanes + (Int(truncatingIfNeeded: y0) &* width &+ Int(truncatingIfNeeded: x0)), bottom = top + width
            blend.store(top[0], top[1], bottom[0], bottom[1], to: out, channels: channels, map: levelMap)
        case .bytes:
            let top = input + (Int(truncatingIfNeeded: y0) &* stride &+ Int(truncatingIfNeeded: x0) &* channels)
            let bottom = top + stride
            blend.store(LaneBlend.lanes(top, channels), LaneBlend.lanes(top + channels, channels),
                        LaneBlend.lanes(bottom, channels), LaneBlend.lanes(bottom + channels, channels), to: out, channels: channels,
                        map: levelMap)
        }
    }

    /// One bilinear pixel near or past the edge, from the same fixed-point position: the four
    /// neighbours resolved through the border mode (the fill for `constant`), then the same
    /// blend as inside.
    @inline(__always)
    func edgePixel(x fixedX: Int64, y fixedY: Int64, from input: UnsafePointer<UInt8>, stride: Int,
                   to out: UnsafeMutablePointer<UInt8>) {
        let x0 = Int(truncatingIfNeeded: fixedX >> 32), y0 = Int(truncatingIfNeeded: fixedY >> 32)
        let left = border.resolve(x0, size: width), right = border.resolve(x0 &+ 1, size: width)
        let top = border.resolve(y0, size: height), bottom = border.resolve(y0 &+ 1, size: height)
        let channels = self.channels, filled = LaneBlend.lanes(repeating: fill, channels)
        @inline(__always) func lanes(_ column: Int?, _ row: Int?) -> UInt64 {
            guard let column, let row else { return filled }
            return LaneBlend.lanes(input + (row &* stride &+ column &* channels), channels)
        }
        LaneBlend(x: fixedX, y: fixedY).store(lanes(left, top), lanes(right, top), lanes(left, bottom), lanes(right, bottom),
                                              to: out, channels: channels, map: levelMap)
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

/// The bilinear blend of one 8-bit pixel of 1 or 3 channels with one multiply per neighbour:
/// the channels sit in 21-bit lanes of a UInt64 and the four 2-D weights are 12-bit integers
/// summing to 4096, so no lane overflows (255 · 4096 + 2048 < 2²¹) and a flat area stays
/// exactly flat. Weights and the position's fraction are exact to 2⁻¹²: a level is within
/// 0.2 of the float64 blend before rounding, so within one after it (the golden tests hold
/// it to that). Against 64-bit products per channel, 4 multiplies instead of 12.
struct LaneBlend {
    let w00: UInt64, w01: UInt64, w10: UInt64, w11: UInt64

    /// The weights of the four neighbours of a position with 32 fractional bits.
    @inline(__always)
    init(x fixedX: Int64, y fixedY: Int64) {
        let fx = UInt64(truncatingIfNeeded: (fixedX >> 20) & 0xFFF), fy = UInt64(truncatingIfNeeded: (fixedY >> 20) & 0xFFF)
        let gy = 4096 &- fy
        // Each row's pair sums to that row's weight (gy, fy), so all four are non-negative
        // and sum to 4096 whatever the rounding.
        w01 = (fx &* gy &+ 2048) >> 12
        w00 = gy &- w01
        w11 = (fx &* fy &+ 2048) >> 12
        w10 = fy &- w11
    }

    /// A pixel's channels in lanes 0, 1, 2 (bits 0, 21, 42).
    @inline(__always)
    static func lanes(_ pixel: UnsafePointer<UInt8>, _ channels: Int) -> UInt64 {
        channels == 3 ? UInt64(pixel[0]) | UInt64(pixel[1]) << 21 | UInt64(pixel[2]) << 42 : UInt64(pixel[0])
    }

    @inline(__always)
    static func lanes(repeating level: UInt8, _ channels: Int) -> UInt64 {
        channels == 3 ? UInt64(level) &* (1 | 1 << 21 | 1 << 42) : UInt64(level)
    }

    /// Writes the blend of the top-left, top-right, bottom-left and bottom-right neighbours,
    /// rounded to the nearest level — through `map` (256 levels per channel) when given.
    @inline(__always)
    func store(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64, to out: UnsafeMutablePointer<UInt8>, channels: Int,
               map: UnsafePointer<UInt8>? = nil) {
        let half: UInt64 = 2048 | 2048 << 21 | 2048 << 42
        let sum = a &* w00 &+ b &* w01 &+ c &* w10 &+ d &* w11 &+ half
        let levels = (Int(truncatingIfNeeded: (sum &>> 12) & 0xFF), Int(truncatingIfNeeded: (sum &>> 33) & 0xFF),
                      Int(truncatingIfNeeded: (sum &>> 54) & 0xFF))
        if let map {
            out[0] = map[levels.0]
            if channels == 3 {
                out[1] = map[256 &+ levels.1]
                out[2] = map[512 &+ levels.2]
            }
        } else {
            out[0] = UInt8(truncatingIfNeeded: levels.0)
            if channels == 3 {
                out[1] = UInt8(truncatingIfNeeded: levels.1)
                out[2] = UInt8(truncatingIfNeeded: levels.2)
            }
        }
    }
}

/// Where `LaneBlend` reads a pixel's lanes: words packed once per image, or the image's bytes,
/// packed as they are read.
enum LaneSource {
    case packed(UnsafePointer<UInt64>)
    case bytes
}

/// One output row's source positions in fixed point (32 fractional bits), and room for the
/// indices `invariant_blend_rgb` leaves to the border path. Its owner deallocates it.
struct PositionRow {
    let count: Int
    let x: UnsafeMutablePointer<Int64>, y: UnsafeMutablePointer<Int64>
    let outside: UnsafeMutablePointer<Int32>

    init(count: Int) {
        self.count = count
        x = .allocate(capacity: count)
        y = .allocate(capacity: count)
        outside = .allocate(capacity: count + 16)
    }

    func deallocate() {
        x.deallocate()
        y.deallocate()
        outside.deallocate()
    }
}
