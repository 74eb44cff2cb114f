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

    public func apply(to image: Image<UInt8>) -> Image<UInt8> {
        guard image.width > 0, image.height > 0 else { return image }
        return image.remapped(sourcePositions(width: image.width, height: image.height), interpolation: interpolation,
                              border: border, fill: fill)
    }
}
