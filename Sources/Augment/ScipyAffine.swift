import Foundation
import Imaging

/// scipy's `ndimage.affine_transform` with `order=1`, as Keras calls it: each output index
/// o (row, col) reads the input at `matrix · o + offset`, channel by channel.
///
/// Edge semantics follow scipy's `map_coordinate` (ni_interpolation.c): a coordinate outside
/// [0, n − 1] is first mapped by the mode — `nearest` clamps; `reflect` mirrors about the
/// pixel edge (`dcba|abcd`); `wrap` repeats with period n − 1 (scipy's "wrap", not
/// "grid-wrap"); `constant` makes the whole sample `cval` (no blending with it) — then the
/// two neighbours are blended linearly, indices clamped to the image, with scipy's own
/// order of operations in Double so that results match scipy's to the last bit.
enum ScipyAffine {
    static func transform(_ image: Image<Float>, matrix: [[Double]], offset: [Double],
                          mode: KerasImageDataGenerator.FillMode, cval: Float) -> Image<Float> {
        var result = Image<Float>(width: image.width, height: image.height, channels: image.channels)
        let height = image.height, width = image.width, channels = image.channels
        result.withUnsafeMutableSamples { output, outputStride in
            image.withUnsafeSamples { input, inputStride in
                for row in 0..<height {
                    for column in 0..<width {
                        // scipy's order of operations, in Double: offset first, then each axis.
                        let r = (offset[0] + Double(row) * matrix[0][0]) + Double(column) * matrix[0][1]
                        let c = (offset[1] + Double(row) * matrix[1][0]) + Double(column) * matrix[1][1]
                        let out = output + row * outputStride + column * channels
                        guard let mr = map(r, size: height, mode: mode), let mc = map(c, size: width, mode: mode) else {
                            for k in 0..<channels { out[k] = cval }
                            continue
                        }
                        let r0 = mr.rounded(.down), c0 = mc.rounded(.down)
                        // scipy's linear spline weights: w0 = 1 − t, w1 = 1 − w0.
                        let wr0 = 1 - (mr - r0), wc0 = 1 - (mc - c0)
                        let wr = (wr0, 1 - wr0), wc = (wc0, 1 - wc0)
                        let rows = (clamp(Int(r0), height), clamp(Int(r0) + 1, height))
                        let columns = (clamp(Int(c0), width), clamp(Int(c0) + 1, width))
                        for k in 0..<channels {
                            func tap(_ y: Int, _ x: Int, _ rowWeight: Double, _ columnWeight: Double) -> Double {
                                Double(input[y * inputStride + x * channels + k]) * rowWeight * columnWeight
                            }
                            var sum = tap(rows.0, columns.0, wr.0, wc.0)
                            sum += tap(rows.0, columns.1, wr.0, wc.1)
                            sum += tap(rows.1, columns.0, wr.1, wc.0)
                            sum += tap(rows.1, columns.1, wr.1, wc.1)
                            out[k] = Float(sum)
                        }
                    }
                }
            }
        }
        return result
    }

    @inline(__always)
    private static func clamp(_ index: Int, _ size: Int) -> Int { min(max(index, 0), size - 1) }

    /// scipy's `map_coordinate` for one axis; nil means "use cval" (constant mode).
    static func map(_ coordinate: Double, size: Int, mode: KerasImageDataGenerator.FillMode) -> Double? {
        let last = Double(size - 1)
        if coordinate >= 0 && coordinate <= last { return coordinate }
        if size <= 1 { return mode == .constant ? nil : 0 }
        var value = coordinate
        switch mode {
        case .constant:
            return nil
        case .nearest:
            return value < 0 ? 0 : last
        case .reflect:
            let period = Double(2 * size)
            if value < 0 {
                if value < -period { value += period * Double(Int(-value / period)) }
                return value < -Double(size) ? value + period : -value - 1
            }
            value -= period * Double(Int(value / period))
            return value >= Double(size) ? period - value - 1 : value
        case .wrap:
            let period = last
            if value < 0 { return value + period * Double(Int(-value / period) + 1) }
            return value - period * Double(Int(value / period))
        }
    }
}
