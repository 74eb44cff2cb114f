import AugmentWideKernels
import Foundation
import Imaging
import InvariantCore

/// A dense displacement of every pixel, stored by what determines it (a seed and two numbers,
/// or a few grid steps) so that a record stays small and replays exactly.
public struct DisplacementField: Hashable, Sendable, Codable {
    public enum Kind: Hashable, Sendable, Codable {
        /// Simard-style elastic deformation: per-pixel standard normal noise from `seed` for
        /// x and y, smoothed by a Gaussian of `sigma` pixels in Float (OpenCV's float kernel
        /// size, round(8σ + 1) made odd, reflected borders), scaled by `alpha` pixels.
        case elastic(seed: UInt64, alpha: Double, sigma: Double)
        /// albumentations' `GridDistortion`: the image split into `xSteps.count` columns and
        /// `ySteps.count` rows of equal size; cell k is stretched by the factor `xSteps[k]`
        /// (`ySteps[k]`), and the stretched cells are scaled together to span the image.
        case grid(xSteps: [Double], ySteps: [Double])
    }

    public var kind: Kind
    public var interpolation: Interpolation
    public var border: BorderMode
    public var fill: Double

    public init(kind: Kind, interpolation: Interpolation = .bilinear, border: BorderMode = .reflect101, fill: Double = 0) {
        self.kind = kind
        self.interpolation = interpolation
        self.border = border
        self.fill = fill
    }

    /// The source position of every output pixel.
    func sourcePositions(width: Int, height: Int) -> SourcePositions {
        switch kind {
        case .elastic(let seed, let alpha, let sigma):
            var random = RandomKey(seed: seed).generator()
            var dx = [Double](repeating: 0, count: width * height), dy = dx
            for i in 0..<width * height { (dx[i], dy[i]) = random.nextStandardNormalPair() }
            if sigma > 0 {
                dx = DisplacementField.gaussianSmoothed(dx, width: width, height: height, sigma: sigma)
                dy = DisplacementField.gaussianSmoothed(dy, width: width, height: height, sigma: sigma)
            }
            var xs = [Double](repeating: 0, count: width * height), ys = xs
            for y in 0..<height {
                for x in 0..<width {
                    xs[y * width + x] = Double(x) + alpha * dx[y * width + x]
                    ys[y * width + x] = Double(y) + alpha * dy[y * width + x]
                }
            }
            return .dense(x: xs, y: ys)
        case .grid(let xSteps, let ySteps):
            return .separable(columns: DisplacementField.stretched(xSteps, length: width),
                              rows: DisplacementField.stretched(ySteps, length: height))
        }
    }

    /// Source coordinates along one axis: cells of `length / steps.count` pixels (the last takes
    /// the rest), each spanning `steps[k]` times its size, linearly inside; then scaled so the
    /// last pixel reads the last pixel.
    static func stretched(_ steps: [Double], length: Int) -> [Double] {
        guard length > 1, !steps.isEmpty else { return (0..<length).map(Double.init) }
        let cell = max(1, length / steps.count)
        var positions = [Double](repeating: 0, count: length)
        var start = 0, previous = 0.0
        for (k, step) in steps.enumerated() where start < length {
            let end = k == steps.count - 1 ? length : min(length, start + cell)
            let current = previous + Double(end - start) * step
            for i in start..<end {
                positions[i] = previous + (current - previous) * Double(i - start) / Double(end - start)
            }
            start = end
            previous = current
        }
        let last = positions[length - 1]
        guard last > 0 else { return (0..<length).map(Double.init) }
        return positions.map { $0 * Double(length - 1) / last }
    }

    /// The elastic field's smoothing: a separable Gaussian of standard deviation `sigma` with
    /// OpenCV's float kernel size (round(8σ + 1) made odd, at most twice the larger side plus
    /// one) and reflected (101) borders, accumulated in Float.
    public static func gaussianSmoothed(_ values: [Double], width: Int, height: Int, sigma: Double) -> [Double] {
        precondition(values.count == width * height && width > 0 && height > 0 && sigma > 0, "a width × height field and σ > 0")
        let size = min(2 * max(width, height) + 1, max(1, Int((sigma * 8 + 1).rounded()) | 1))
        let kernel = ConvolutionKernel.gaussian(size: size, sigma: sigma)
        let radius = kernel.count / 2
        // The kernel is symmetric: taps k and 2r − k share a weight, so their inputs are added first.
        let weights = kernel[...radius].map { Float($0) }
        let columns = (-radius..<(width + radius)).map { BorderMode.reflect101.resolve($0, size: width)! }
        let lines = (-radius..<(height + radius)).map { BorderMode.reflect101.resolve($0, size: height)! }
        var rows = [Float](repeating: 0, count: width * height), out = rows
        var padded = [Float](repeating: 0, count: width + 2 * radius)
        var taps = [UnsafePointer<Float>](repeating: UnsafePointer(bitPattern: 64)!, count: 2 * radius + 1)
        weights.withUnsafeBufferPointer { weights in
            rows.withUnsafeMutableBufferPointer { rows in
                padded.withUnsafeMutableBufferPointer { padded in
                    for y in 0..<height {
                        for x in 0..<padded.count { padded[x] = Float(values[y * width + columns[x]]) }
                        for k in taps.indices { taps[k] = UnsafePointer(padded.baseAddress! + k) }
                        smoothRow(taps, weights: weights, into: rows.baseAddress! + y * width, count: width)
                    }
                }
                out.withUnsafeMutableBufferPointer { out in
                    for y in 0..<height {
                        for k in taps.indices { taps[k] = UnsafePointer(rows.baseAddress! + lines[y + k] * width) }
                        smoothRow(taps, weights: weights, into: out.baseAddress! + y * width, count: width)
                    }
                }
            }
        }
        return out.map { Double($0) }
    }

    public func apply(to image: Image<UInt8>) -> Image<UInt8> {
        guard image.width > 0, image.height > 0 else { return image }
        return image.remapped(sourcePositions(width: image.width, height: image.height), interpolation: interpolation,
                              border: border, fill: fill)
    }
}

/// One row of the field's Gaussian (`symmetricTaps`): the x86-64-v4 build where the CPU runs
/// it, the portable one otherwise (the same float operations, the same result).
private func smoothRow(_ taps: [UnsafePointer<Float>], weights: UnsafeBufferPointer<Float>,
                       into out: UnsafeMutablePointer<Float>, count: Int) {
    taps.withUnsafeBufferPointer { taps in
        if KernelBuild.runsWide {
            wideSymmetricTaps(taps.baseAddress!, weights: weights.baseAddress!, radius: weights.count - 1, into: out, count: count)
        } else {
            symmetricTaps(taps.baseAddress!, weights: weights.baseAddress!, radius: weights.count - 1, into: out, count: count)
        }
    }
}
