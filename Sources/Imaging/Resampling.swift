import Foundation

/// Resampling filters with Pillow's definitions (`Image.Resampling`). All but `nearest`
/// are convolutions whose support widens with the reduction factor, so downscaling is
/// antialiased. `box` is area averaging.
public enum ResamplingFilter: String, Sendable, CaseIterable, Codable {
    case nearest, box, bilinear, hamming, bicubic, lanczos

    /// Half-width of the filter at scale 1.
    var support: Double {
        switch self {
        case .nearest, .box: 0.5
        case .bilinear, .hamming: 1
        case .bicubic: 2
        case .lanczos: 3
        }
    }

    func weight(_ x: Double) -> Double {
        switch self {
        case .nearest, .box:
            return x > -0.5 && x <= 0.5 ? 1 : 0
        case .bilinear:
            let x = abs(x)
            return x < 1 ? 1 - x : 0
        case .hamming:
            let x = abs(x)
            if x == 0 { return 1 }
            if x >= 1 { return 0 }
            return sin(x * .pi) / (x * .pi) * (Double(Float(0.54)) + Double(Float(0.46)) * cos(x * .pi))  // Pillow's float constants
        case .bicubic:
            let a = -0.5, x = abs(x)
            if x < 1 { return ((a + 2) * x - (a + 3)) * x * x + 1 }
            if x < 2 { return (((x - 5) * x + 8) * x - 4) * a }
            return 0
        case .lanczos:
            guard x >= -3 && x < 3 else { return 0 }
            return sinc(x) * sinc(x / 3)
        }
    }

    private func sinc(_ x: Double) -> Double { x == 0 ? 1 : sin(x * .pi) / (x * .pi) }
}

/// A region of the source image in pixel coordinates (Pillow's `box`): the edges, which
/// may fall between pixels.
public struct SourceRegion: Hashable, Sendable {
    public var left: Double, top: Double, right: Double, bottom: Double

    public init(left: Double, top: Double, right: Double, bottom: Double) {
        self.left = left
        self.top = top
        self.right = right
        self.bottom = bottom
    }

    public init(_ rect: PixelRect) {
        self.init(left: Double(rect.x), top: Double(rect.y), right: Double(rect.x + rect.width),
                  bottom: Double(rect.y + rect.height))
    }
}

/// The filter taps of one axis: for each output position, the first input index and the
/// weights (Pillow's `precompute_coeffs`).
struct ResamplingKernel {
    let bounds: [(start: Int, count: Int)]
    let weights: [Double]  // bounds.count × taps
    let taps: Int

    init(inputSize: Int, from start: Double, to end: Double, outputSize: Int, filter: ResamplingFilter) {
        // Pillow passes the box as C floats and subtracts its edges in float.
        let start = Double(Float(start))
        let scale = Double(Float(end) - Float(start)) / Double(outputSize)
        let filterScale = max(scale, 1)
        let support = filter.support * filterScale
        taps = Int(support.rounded(.up)) * 2 + 1
        var bounds = [(start: Int, count: Int)]()
        var weights = [Double](repeating: 0, count: outputSize * taps)
        for output in 0..<outputSize {
            let center = start + (Double(output) + 0.5) * scale
            let first = max(0, Int(center - support + 0.5))
            let last = min(inputSize, Int(center + support + 0.5))
            let count = max(0, last - first)
            var total = 0.0
            let reciprocal = 1 / filterScale  // Pillow multiplies by the reciprocal; so must we, bit for bit
            for i in 0..<count {
                let w = filter.weight((Double(i + first) - center + 0.5) * reciprocal)
                weights[output * taps + i] = w
                total += w
            }
            if total != 0 { for i in 0..<count { weights[output * taps + i] /= total } }
            bounds.append((first, count))
        }
        self.bounds = bounds
        self.weights = weights
    }

    /// Weights in Pillow's 8-bit fixed point (22 fractional bits, rounded away from zero).
    var fixedPointWeights: [Int32] {
        weights.map { Int32($0 < 0 ? -0.5 + $0 * Double(1 << 22) : 0.5 + $0 * Double(1 << 22)) }
    }
}

extension Image {
    /// Resizes with Pillow's algorithm (`Image.resize(size, filter, box)`): separable
    /// convolution, horizontal pass first. For `uint8` images the arithmetic is Pillow's
    /// fixed point, so results are identical to Pillow's; other types accumulate in Double.
    public func resized(to size: ImageSize, filter: ResamplingFilter = .bilinear,
                        region: SourceRegion? = nil) -> Image {
        precondition(size.width > 0 && size.height > 0, "resize target must be positive, got \(size)")
        let region = region ?? SourceRegion(left: 0, top: 0, right: Double(width), bottom: Double(height))
        if filter == .nearest { return resizedNearest(to: size, region: region) }
        let horizontal = ResamplingKernel(inputSize: width, from: region.left, to: region.right,
                                          outputSize: size.width, filter: filter)
        let vertical = ResamplingKernel(inputSize: height, from: region.top, to: region.bottom,
                                        outputSize: size.height, filter: filter)
        let needsHorizontal = size.width != width || region.left != 0 || region.right != Double(size.width)
        let needsVertical = size.height != height || region.top != 0 || region.bottom != Double(size.height)
        // Pillow 13 runs the vertical pass first when it shrinks while the horizontal pass
        // enlarges; the uint8 intermediate makes the order visible in the result.
        let verticalFirst = needsHorizontal && needsVertical
            && region.right - region.left < Double(size.width) && region.bottom - region.top > Double(size.height)
        if verticalFirst {
            // Only the columns the horizontal pass reads go through the vertical pass.
            let first = horizontal.bounds.first!.start
            let last = horizontal.bounds.last!.start + horizontal.bounds.last!.count
            return cropped(to: PixelRect(x: first, y: 0, width: max(0, last - first), height: height))
                .resampledVertically(vertical, outputHeight: size.height, shift: 0)
                .resampledHorizontally(horizontal, outputWidth: size.width, shift: first)
        }
        // Only the rows the vertical pass reads go through the horizontal pass.
        let firstRow = vertical.bounds.first!.start
        let lastRow = vertical.bounds.last!.start + vertical.bounds.last!.count
        var result = self
        var rowShift = 0
        if needsHorizontal {
            result = cropped(to: PixelRect(x: 0, y: firstRow, width: width, height: max(0, lastRow - firstRow)))
                .resampledHorizontally(horizontal, outputWidth: size.width, shift: 0)
            rowShift = firstRow
        }
        if needsVertical {
            result = result.resampledVertically(vertical, outputHeight: size.height, shift: rowShift)
        }
        return result
    }

    /// Pillow's nearest neighbour: source index floor(start + (i + 0.5) × scale), accumulated
    /// in Double exactly as Pillow's `ImagingScaleAffine` does.
    private func resizedNearest(to size: ImageSize, region: SourceRegion) -> Image {
        func table(_ count: Int, _ start: Double, _ end: Double, _ limit: Int) -> [Int] {
            let step = Double(Float(end) - Float(start)) / Double(count)
            var position = Double(Float(start)) + step * 0.5
            var result = [Int](repeating: -1, count: count)
            for i in 0..<count {
                let index = position < 0 ? -1 : Int(position)
                if index >= 0 && index < limit { result[i] = index }
                position += step
            }
            return result
        }
        let columns = table(size.width, region.left, region.right, width)
        let rows = table(size.height, region.top, region.bottom, height)
        var result = Image(width: size.width, height: size.height, channels: channels)
        let channels = self.channels
        result.withUnsafeMutableSamples { output, outputStride in
            withUnsafeSamples { input, inputStride in
                for (y, sourceRow) in rows.enumerated() where sourceRow >= 0 {
                    for (x, sourceColumn) in columns.enumerated() where sourceColumn >= 0 {
                        let from = input + sourceRow * inputStride + sourceColumn * channels
                        let to = output + y * outputStride + x * channels
                        for c in 0..<channels { to[c] = from[c] }
                    }
                }
            }
        }
        return result
    }

    private func resampledHorizontally(_ kernel: ResamplingKernel, outputWidth: Int, shift: Int) -> Image {
        var result = Image(width: outputWidth, height: height, channels: channels)
        if Component.self == UInt8.self {
            let fixed = FixedPointKernel(kernel)
            (self as! Image<UInt8>).withUnsafeSamples { input, inputStride in
                result.withUnsafeMutableSamples { output, outputStride in
                    let output = UnsafeMutableRawPointer(output).assumingMemoryBound(to: UInt8.self)
                    fixed.resampleRows(input - shift * channels, inputStride: inputStride, output,
                                       outputStride: outputStride, rows: height, channels: channels)
                }
            }
        } else {
            withUnsafeSamples { input, inputStride in
                result.withUnsafeMutableSamples { output, outputStride in
                    for y in 0..<height {
                        convolveDouble(input + y * inputStride - shift * channels, step: channels, output + y * outputStride,
                                       outputStep: channels, count: outputWidth, kernel: kernel)
                    }
                }
            }
        }
        return result
    }

    private func resampledVertically(_ kernel: ResamplingKernel, outputHeight: Int, shift rowShift: Int) -> Image {
        var result = Image(width: width, height: outputHeight, channels: channels)
        let rowLength = width * channels
        if Component.self == UInt8.self {
            let fixed = FixedPointKernel(kernel)
            (self as! Image<UInt8>).withUnsafeSamples { input, inputStride in
                result.withUnsafeMutableSamples { output, outputStride in
                    let output = UnsafeMutableRawPointer(output).assumingMemoryBound(to: UInt8.self)
                    fixed.resampleColumns(input - rowShift * inputStride, inputStride: inputStride, output,
                                          outputStride: outputStride, rowLength: rowLength)
                }
            }
        } else {
            withUnsafeSamples { input, inputStride in
                result.withUnsafeMutableSamples { output, outputStride in
                    for (y, bound) in kernel.bounds.enumerated() {
                        let taps = kernel.weights[(y * kernel.taps)...]
                        for i in 0..<rowLength {
                            var sum = 0.0
                            for k in 0..<bound.count {
                                sum += input[(bound.start - rowShift + k) * inputStride + i].doubleValue * taps[taps.startIndex + k]
                            }
                            output[y * outputStride + i] = Component(clamping: sum)
                        }
                    }
                }
            }
        }
        return result
    }

    private func convolveDouble(_ input: UnsafePointer<Component>, step: Int, _ output: UnsafeMutablePointer<Component>,
                                outputStep: Int, count: Int, kernel: ResamplingKernel) {
        for x in 0..<count {
            let bound = kernel.bounds[x]
            for c in 0..<step {
                var sum = 0.0
                for k in 0..<bound.count {
                    sum += input[(bound.start + k) * step + c].doubleValue * kernel.weights[x * kernel.taps + k]
                }
                output[x * outputStep + c] = Component(clamping: sum)
            }
        }
    }
}

/// A resampling kernel in Pillow's 8-bit fixed point (22 fractional bits), laid out for
/// tight loops: per output position the first input index, the tap count and the weights.
struct FixedPointKernel {
    let starts: [Int]
    let counts: [Int]
    let weights: [Int32]
    let taps: Int

    init(_ kernel: ResamplingKernel) {
        starts = kernel.bounds.map(\.start)
        counts = kernel.bounds.map(\.count)
        weights = kernel.fixedPointWeights
        taps = kernel.taps
    }

    /// The horizontal pass (Pillow's `ImagingResampleHorizontal_8bpc`) over `rows` rows.
    func resampleRows(_ input: UnsafePointer<UInt8>, inputStride: Int, _ output: UnsafeMutablePointer<UInt8>,
                      outputStride: Int, rows: Int, channels: Int) {
        starts.withUnsafeBufferPointer { starts in
            counts.withUnsafeBufferPointer { counts in
                weights.withUnsafeBufferPointer { weights in
                    let k = weights.baseAddress!
                    for y in 0..<rows {
                        let row = input + y * inputStride, out = output + y * outputStride
                        switch channels {
                        case 1: Self.row1(row, out, starts, counts, k, taps)
                        case 3: Self.row3(row, out, starts, counts, k, taps)
                        case 4: Self.row4(row, out, starts, counts, k, taps)
                        default: Self.rowN(row, out, starts, counts, k, taps, channels)
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func row1(_ row: UnsafePointer<UInt8>, _ out: UnsafeMutablePointer<UInt8>, _ starts: UnsafeBufferPointer<Int>,
                             _ counts: UnsafeBufferPointer<Int>, _ k: UnsafePointer<Int32>, _ taps: Int) {
        for x in 0..<starts.count {
            let source = row + starts[x], weights = k + x * taps
            var sum: Int32 = 1 << 21
            for t in 0..<counts[x] { sum &+= Int32(source[t]) &* weights[t] }
            out[x] = clip8(sum)
        }
    }

    /// RGB rows, with pointer walks and wrapping index arithmetic (no overflow checks in the
    /// hottest loop of resizing).
    @inline(__always)
    private static func row3(_ row: UnsafePointer<UInt8>, _ out: UnsafeMutablePointer<UInt8>, _ starts: UnsafeBufferPointer<Int>,
                             _ counts: UnsafeBufferPointer<Int>, _ k: UnsafePointer<Int32>, _ taps: Int) {
        guard var start = starts.baseAddress, var count = counts.baseAddress else { return }
        var output = out, kernel = k
        for _ in 0..<starts.count {
            var pixel = row + start.pointee &* 3, weight = kernel
            var r: Int32 = 1 << 21, g: Int32 = 1 << 21, b: Int32 = 1 << 21
            var remaining = count.pointee
            while remaining > 0 {
                let w = weight.pointee
                r &+= Int32(pixel[0]) &* w
                g &+= Int32(pixel[1]) &* w
                b &+= Int32(pixel[2]) &* w
                pixel += 3
                weight += 1
                remaining &-= 1
            }
            output[0] = clip8(r)
            output[1] = clip8(g)
            output[2] = clip8(b)
            output += 3
            kernel += taps
            start += 1
            count += 1
        }
    }

    @inline(__always)
    private static func row4(_ row: UnsafePointer<UInt8>, _ out: UnsafeMutablePointer<UInt8>, _ starts: UnsafeBufferPointer<Int>,
                             _ counts: UnsafeBufferPointer<Int>, _ k: UnsafePointer<Int32>, _ taps: Int) {
        for x in 0..<starts.count {
            let source = row + starts[x] * 4, weights = k + x * taps
            var sum = SIMD4<Int32>(repeating: 1 << 21)
            for t in 0..<counts[x] {
                let p = source + t * 4
                sum &+= SIMD4<Int32>(Int32(p[0]), Int32(p[1]), Int32(p[2]), Int32(p[3])) &* weights[t]
            }
            for c in 0..<4 { out[x * 4 + c] = clip8(sum[c]) }
        }
    }

    private static func rowN(_ row: UnsafePointer<UInt8>, _ out: UnsafeMutablePointer<UInt8>, _ starts: UnsafeBufferPointer<Int>,
                             _ counts: UnsafeBufferPointer<Int>, _ k: UnsafePointer<Int32>, _ taps: Int, _ channels: Int) {
        for x in 0..<starts.count {
            let source = row + starts[x] * channels, weights = k + x * taps
            for c in 0..<channels {
                var sum: Int32 = 1 << 21
                for t in 0..<counts[x] { sum &+= Int32(source[t * channels + c]) &* weights[t] }
                out[x * channels + c] = clip8(sum)
            }
        }
    }

    /// The vertical pass (Pillow's `ImagingResampleVertical_8bpc`): each output row is a
    /// weighted sum of input rows, accumulated a whole row at a time so the loop vectorises.
    func resampleColumns(_ input: UnsafePointer<UInt8>, inputStride: Int, _ output: UnsafeMutablePointer<UInt8>,
                         outputStride: Int, rowLength: Int) {
        let accumulator = UnsafeMutablePointer<Int32>.allocate(capacity: rowLength)
        defer { accumulator.deallocate() }
        weights.withUnsafeBufferPointer { weights in
            for y in 0..<starts.count {
                accumulator.update(repeating: 1 << 21, count: rowLength)
                let k = weights.baseAddress! + y * taps
                for t in 0..<counts[y] {
                    let row = input + (starts[y] + t) * inputStride, w = k[t]
                    for i in 0..<rowLength { accumulator[i] &+= Int32(row[i]) &* w }
                }
                let out = output + y * outputStride
                for i in 0..<rowLength { out[i] = clip8(accumulator[i]) }
            }
        }
    }
}

@inline(__always)
private func clip8(_ value: Int32) -> UInt8 {
    let shifted = value >> 22
    return shifted < 0 ? 0 : shifted > 255 ? 255 : UInt8(truncatingIfNeeded: shifted)
}
