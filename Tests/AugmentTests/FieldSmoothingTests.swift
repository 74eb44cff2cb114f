import Augment
import Foundation
import Testing

/// The elastic field's Gaussian smoothing (products with the kernel folded onto each axis, Float)
/// against a plain float64 convolution with OpenCV's reflect-101 border.
@Suite struct FieldSmoothingTests {
    /// `dcb|abcd|cba`, reflected as often as needed.
    static func reflect101(_ index: Int, size: Int) -> Int {
        guard size > 1 else { return 0 }
        let period = 2 * size - 2
        let folded = ((index % period) + period) % period
        return folded < size ? folded : period - folded
    }

    static func reference(_ values: [Double], width: Int, height: Int, sigma: Double) -> [Double] {
        let size = min(2 * max(width, height) + 1, max(1, Int((sigma * 8 + 1).rounded()) | 1))
        let kernel = ConvolutionKernel.gaussian(size: size, sigma: sigma), radius = size / 2
        var rows = [Double](repeating: 0, count: values.count), out = rows
        for y in 0..<height {
            for x in 0..<width {
                rows[y * width + x] = (0..<size).reduce(0) { $0 + kernel[$1] * values[y * width + reflect101(x + $1 - radius, size: width)] }
            }
        }
        for y in 0..<height {
            for x in 0..<width {
                out[y * width + x] = (0..<size).reduce(0) { $0 + kernel[$1] * rows[reflect101(y + $1 - radius, size: height) * width + x] }
            }
        }
        return out
    }

    /// Widths below, at and above the 32-output block; σ 10 on 37 px clips the kernel to 75 taps.
    @Test(arguments: [(37, 23, 2.0), (64, 9, 5.0), (37, 40, 10.0), (5, 3, 1.0)])
    func matchesFloat64Convolution(width: Int, height: Int, sigma: Double) {
        let values = (0..<width * height).map { sin(Double($0) * 0.7) * 3 + Double($0 % 5) }
        let smoothed = DisplacementField.gaussianSmoothed(values, width: width, height: height, sigma: sigma)
        let expected = Self.reference(values, width: width, height: height, sigma: sigma)
        let worst = zip(smoothed, expected).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-4, "largest difference \(worst)")
    }
}
