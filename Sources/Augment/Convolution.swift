import Foundation
import Imaging

/// A small convolution kernel (odd sides, anchored at its centre), applied per channel with
/// OpenCV's default border (`BORDER_REFLECT_101`, `dcb|abcd|cba`) — what `cv2.filter2D` and
/// `cv2.GaussianBlur` do. A separable kernel keeps its two factors and runs as two passes.
public struct ConvolutionKernel: Hashable, Sendable, Codable {
    public var width: Int
    public var height: Int
    /// Row-major `height × width` weights (the outer product of the factors when separable).
    public var weights: [Double]
    /// The horizontal and vertical factors of a separable kernel.
    public var horizontal: [Double]?
    public var vertical: [Double]?

    public init(width: Int, height: Int, weights: [Double]) {
        precondition(width > 0 && height > 0 && width % 2 == 1 && height % 2 == 1 && weights.count == width * height,
                     "a kernel has odd sides and width × height weights")
        self.width = width
        self.height = height
        self.weights = weights
    }

    public init(horizontal: [Double], vertical: [Double]) {
        self.init(width: horizontal.count, height: vertical.count, weights: vertical.flatMap { v in horizontal.map { $0 * v } })
        self.horizontal = horizontal
        self.vertical = vertical
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let width = try container.decode(Int.self, forKey: .width), height = try container.decode(Int.self, forKey: .height)
        let weights = try container.decode([Double].self, forKey: .weights)
        let horizontal = try container.decodeIfPresent([Double].self, forKey: .horizontal)
        let vertical = try container.decodeIfPresent([Double].self, forKey: .vertical)
        guard width > 0, height > 0, width % 2 == 1, height % 2 == 1, width <= 255, height <= 255, weights.count == width * height,
              weights.allSatisfy({ $0.isFinite && abs($0) < 1000 }), (horizontal == nil) == (vertical == nil),
              horizontal.map({ $0.count == width }) ?? true, vertical.map({ $0.count == height }) ?? true else {
            throw DecodingError.dataCorruptedError(forKey: .weights, in: container,
                                                   debugDescription: "a kernel has odd sides up to 255 and width × height finite weights")
        }
        (self.width, self.height, self.weights, self.horizontal, self.vertical) = (width, height, weights, horizontal, vertical)
    }

    /// The normalised Gaussian of `size` taps (odd) and standard deviation `sigma`, as
    /// `cv2.getGaussianKernel` computes it for sigma > 0.
    public static func gaussian(size: Int, sigma: Double) -> [Double] {
        let radius = size / 2
        let values = (0..<size).map { exp(-Double(($0 - radius) * ($0 - radius)) / (2 * sigma * sigma)) }
        let total = values.reduce(0, +)
        return values.map { $0 / total }
    }

    /// OpenCV's automatic Gaussian size for 8-bit images: round(σ·3·2 + 1) made odd.
    public static func gaussianSize(sigma: Double) -> Int {
        max(1, Int((sigma * 6 + 1).rounded()) | 1)
    }

    /// Whether convolving changes nothing (a single tap of weight 1 at the centre).
    var isIdentity: Bool {
        weights.enumerated().allSatisfy { $0.offset == weights.count / 2 ? $0.element == 1 : $0.element == 0 }
    }

    /// Convolves every channel; levels rounded and clipped to 0…255.
    public func apply(to image: Image<UInt8>) -> Image<UInt8> {
        guard !isIdentity, image.width > 0, image.height > 0 else { return image }
        if let blur = FixedPointSeparableKernel(self) { return blur.apply(to: image) }
        if let ring = RingKernel(self) { return ring.apply(to: image) }
        return applyInFloat(to: image)
    }

    /// Any kernel, in Float: the image padded once, then one multiply-add per tap along rows.
    private func applyInFloat(to image: Image<UInt8>) -> Image<UInt8> {
        let rx = width / 2, ry = height / 2, channels = image.channels
        let paddedWidth = image.width + 2 * rx, paddedHeight = image.height + 2 * ry
        let rowLength = image.width * channels, paddedRow = paddedWidth * channels
        // The image with its reflected border, once: the loops below then read no border.
        // Converted to Float once, so every tap below is a plain multiply-add.
        // Every element is written below: no zero-filling first.
        var padded = [Float](unsafeUninitializedCapacity: paddedRow * paddedHeight) { $1 = paddedRow * paddedHeight }
        image.withUnsafeSamples { input, stride in
            padded.withUnsafeMutableBufferPointer { buffer in
                let columns = (0..<paddedWidth).map { BorderMode.reflect101.resolve($0 - rx, size: image.width)! }
                for y in 0..<paddedHeight {
                    let source = input + BorderMode.reflect101.resolve(y - ry, size: image.height)! * stride
                    let target = buffer.baseAddress! + y * paddedRow
                    let inside = target + rx * channels
                    for i in 0..<rowLength { inside[i] = Float(source[i]) }
                    for x in 0..<rx {
                        for c in 0..<channels { target[x * channels + c] = Float(source[columns[x] * channels + c]) }
                    }
                    for x in (rx + image.width)..<paddedWidth {
                        for c in 0..<channels { target[x * channels + c] = Float(source[columns[x] * channels + c]) }
                    }
                }
            }
        }
        var result = Image<UInt8>(width: image.width, height: image.height, channels: channels)
        // Float accumulation: on baseline x86-64 (SSE2) float multiply-adds vectorise, 32-bit
        // integer multiplies do not; the sums stay exact to far below a level.
        var accumulator = [Float](repeating: 0, count: rowLength)
        if let horizontal, let vertical {
            let wx = horizontal.map { Float($0) }, wy = vertical.map { Float($0) }
            var rows = [Float](unsafeUninitializedCapacity: rowLength * paddedHeight) { $1 = rowLength * paddedHeight }
            let horizontalTaps = wx.indices.filter { wx[$0] != 0 }.map { (offset: $0 * channels, weight: wx[$0]) }
            let verticalTaps = wy.indices.filter { wy[$0] != 0 }.map { (offset: $0 * rowLength, weight: wy[$0]) }
            padded.withUnsafeBufferPointer { source in
                rows.withUnsafeMutableBufferPointer { rows in
                    horizontalTaps.withUnsafeBufferPointer { taps in
                        for y in 0..<paddedHeight {
                            convolveRow(source.baseAddress! + y * paddedRow, taps: taps, into: rows.baseAddress! + y * rowLength,
                                        count: rowLength)
                        }
                    }
                }
            }
            result.withUnsafeMutableSamples { output, outputStride in
                rows.withUnsafeBufferPointer { rows in
                    accumulator.withUnsafeMutableBufferPointer { sum in
                        verticalTaps.withUnsafeBufferPointer { taps in
                            for y in 0..<image.height {
                                convolveRow(rows.baseAddress! + y * rowLength, taps: taps, into: sum.baseAddress!, count: rowLength)
                                store(sum.baseAddress!, to: output + y * outputStride, count: rowLength)
                            }
                        }
                    }
                }
            }
            return result
        }
        // A general kernel: one accumulation per non-zero tap along whole rows.
        let taps = weights.enumerated().filter { $0.element != 0 }
            .map { (offset: ($0.offset / width) * paddedRow + ($0.offset % width) * channels, weight: Float($0.element)) }
        result.withUnsafeMutableSamples { output, outputStride in
            padded.withUnsafeBufferPointer { source in
                accumulator.withUnsafeMutableBufferPointer { sum in
                    taps.withUnsafeBufferPointer { taps in
                        for y in 0..<image.height {
                            convolveRow(source.baseAddress! + y * paddedRow, taps: taps, into: sum.baseAddress!, count: rowLength)
                            store(sum.baseAddress!, to: output + y * outputStride, count: rowLength)
                        }
                    }
                }
            }
        }
        return result
    }
}

/// out[i] = Σ weight·base[offset + i] over the taps. Eight outputs at a time keep their sums
/// in two SIMD4<Float> registers across all taps (Float lanes only: no element conversions),
/// so each output is stored once instead of once per tap; the tail runs scalar.
@inline(__always)
private func convolveRow(_ base: UnsafePointer<Float>, taps: UnsafeBufferPointer<(offset: Int, weight: Float)>,
                         into out: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    while i + 8 <= count {
        var low = SIMD4<Float>(repeating: 0), high = SIMD4<Float>(repeating: 0)
        for tap in taps {
            let from = UnsafeRawPointer(base + tap.offset + i)
            low += tap.weight * from.loadUnaligned(as: SIMD4<Float>.self)
            high += tap.weight * from.loadUnaligned(fromByteOffset: 16, as: SIMD4<Float>.self)
        }
        UnsafeMutableRawPointer(out + i).storeBytes(of: low, as: SIMD4<Float>.self)
        UnsafeMutableRawPointer(out + i).storeBytes(of: high, toByteOffset: 16, as: SIMD4<Float>.self)
        i += 8
    }
    while i < count {
        var sum: Float = 0
        for tap in taps { sum += tap.weight * base[tap.offset + i] }
        out[i] = sum
        i += 1
    }
}

/// Sums rounded to the nearest level (ties to even) and clamped, without a trapping
/// conversion: adding 1.5·2²³ leaves the integer in the float's low mantissa bits.
@inline(__always)
private func store(_ sum: UnsafeMutablePointer<Float>, to output: UnsafeMutablePointer<UInt8>, count: Int) {
    let magic: Float = 12_582_912
    for i in 0..<count {
        let value = min(max(sum[i], 0), 255) + magic
        output[i] = UInt8(truncatingIfNeeded: value.bitPattern)
    }
}
