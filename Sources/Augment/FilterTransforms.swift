import Foundation
import Imaging
import InvariantCore

/// albumentations' `Sharpen` (kernel method): the 3×3 kernel (1 − α)·identity +
/// α·[[−1, −1, −1], [−1, 8 + λ, −1], [−1, −1, −1]] with α from `alphas` and λ from
/// `lightness`, as `cv2.filter2D` (reflect-101 border).
public struct Sharpen: Augmentation {
    public var name: String { "sharpen" }
    public var alphas: ClosedRange<Double>
    public var lightness: ClosedRange<Double>
    public var probability: Double

    public init(alphas: ClosedRange<Double> = 0.2...0.5, lightness: ClosedRange<Double> = 0.5...1, probability: Double = 0.5) {
        self.alphas = alphas
        self.lightness = lightness
        self.probability = probability
    }

    public static func kernel(alpha: Double, lightness: Double) -> ConvolutionKernel {
        ConvolutionKernel(width: 3, height: 3, weights: (0..<9).map { $0 == 4 ? (1 - alpha) + alpha * (8 + lightness) : -alpha })
    }

    public func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        let alpha = random.nextDouble(in: alphas), light = random.nextDouble(in: lightness)
        return AppliedAugmentation(name: name, parameters: ["alpha": alpha, "lightness": light],
                                   operations: alpha == 0 ? [] : [.convolve(Sharpen.kernel(alpha: alpha, lightness: light))])
    }
}

/// Gaussian blur with σ drawn from `sigmas` and OpenCV's kernel size for 8-bit images
/// (round(6σ + 1) made odd), separable, reflect-101 border (`cv2.GaussianBlur(img, (0, 0), σ)`).
public struct GaussianBlur: Augmentation {
    public var name: String { "blur" }
    public var sigmas: ClosedRange<Double>
    public var probability: Double

    public init(sigmas: ClosedRange<Double> = 0.5...3, probability: Double = 0.5) {
        self.sigmas = sigmas
        self.probability = probability
    }

    public static func kernel(sigma: Double) -> ConvolutionKernel {
        let taps = ConvolutionKernel.gaussian(size: ConvolutionKernel.gaussianSize(sigma: sigma), sigma: sigma)
        return ConvolutionKernel(horizontal: taps, vertical: taps)
    }

    public func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        let sigma = random.nextDouble(in: sigmas)
        let kernel = GaussianBlur.kernel(sigma: sigma)
        return AppliedAugmentation(name: name, parameters: ["sigma": sigma, "size": Double(kernel.width)],
                                   operations: sigma <= 0 || kernel.width == 1 ? [] : [.convolve(kernel)])
    }
}

/// Motion blur (after albumentations' `MotionBlur`): a line of odd length drawn from `sizes`,
/// at an angle drawn from `angles` degrees, through the kernel's centre — symmetric for
/// direction 0, only forward (backward) for +1 (−1), with the direction drawn from
/// `directions` — normalised to sum 1. The line is rasterised by sampling it densely and
/// marking the nearest cells (albumentations draws it with `cv2.line`; kernels may differ by a cell).
public struct MotionBlur: Augmentation {
    public var name: String { "motion-blur" }
    public var sizes: ClosedRange<Int>
    public var angles: ClosedRange<Double>
    public var directions: ClosedRange<Double>
    public var probability: Double

    public init(sizes: ClosedRange<Int> = 3...7, angles: ClosedRange<Double> = 0...360, directions: ClosedRange<Double> = -1...1,
                probability: Double = 0.5) {
        precondition(sizes.lowerBound >= 3 && sizes.upperBound <= 63, "motion blur sizes lie within 3…63")
        self.sizes = sizes
        self.angles = angles
        self.directions = directions
        self.probability = probability
    }

    public static func kernel(size: Int, degrees: Double, direction: Double) -> ConvolutionKernel {
        let radius = Double(size / 2), center = size / 2
        let angle = degrees * .pi / 180
        let from = -radius * min(1, 1 - direction), to = radius * min(1, 1 + direction)
        var weights = [Double](repeating: 0, count: size * size)
        let samples = 8 * size
        for k in 0...samples {
            let t = from + (to - from) * Double(k) / Double(samples)
            let x = center + Int((t * cos(angle)).rounded()), y = center + Int((t * sin(angle)).rounded())
            if (0..<size).contains(x) && (0..<size).contains(y) { weights[y * size + x] = 1 }
        }
        if !weights.contains(1) { weights[center * size + center] = 1 }
        let total = weights.reduce(0, +)
        return ConvolutionKernel(width: size, height: size, weights: weights.map { $0 / total })
    }

    public func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        let odd = stride(from: sizes.lowerBound | 1, through: sizes.upperBound, by: 2).map { $0 }
        let side = odd.isEmpty ? 3 : odd[random.nextInt(below: odd.count)]
        let degrees = random.nextDouble(in: angles), direction = random.nextDouble(in: directions)
        return AppliedAugmentation(name: name, parameters: ["size": Double(side), "angle": degrees, "direction": direction],
                                   operations: [.convolve(MotionBlur.kernel(size: side, degrees: degrees, direction: direction))])
    }
}

/// albumentations' `ImageCompression` (JPEG): a quality drawn uniformly from `qualities`
/// (whole numbers), then an encode and decode with libjpeg-turbo (4:2:0 chroma for colour).
public struct ImageCompression: Augmentation {
    public var name: String { "jpeg" }
    public var qualities: ClosedRange<Int>
    public var probability: Double

    public init(qualities: ClosedRange<Int> = 99...100, probability: Double = 0.5) {
        precondition(qualities.lowerBound >= 1 && qualities.upperBound <= 100, "JPEG quality lies within 1…100")
        self.qualities = qualities
        self.probability = probability
    }

    public func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        let quality = qualities.lowerBound + random.nextInt(below: qualities.count)
        return AppliedAugmentation(name: name, parameters: ["quality": Double(quality)], operations: [.jpeg(quality: quality)])
    }
}
