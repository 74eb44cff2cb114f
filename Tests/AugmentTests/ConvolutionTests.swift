import Augment
import Imaging
import Testing

/// The fast convolution paths (16-bit fixed point for symmetric separable kernels such as
/// every Gaussian; centre-plus-ring for 3×3 kernels such as Sharpen) against a float64
/// reference, on odd sizes, 1 and 3 channels, crop views (rows with a stride larger than
/// their width), images smaller than the kernel, and the largest Gaussian the blur draws.
@Suite struct ConvolutionTests {
    /// Textured samples with runs of 0 and 255, from a fixed linear congruential sequence.
    static func texture(width: Int, height: Int, channels: Int, seed: UInt64) -> Image<UInt8> {
        var state = seed
        let pixels = (0..<width * height * channels).map { i -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let noise = UInt8(truncatingIfNeeded: state >> 56)
            switch (i / 7) % 5 {
            case 0: return 255
            case 1: return 0
            default: return noise
            }
        }
        return Image(width: width, height: height, channels: channels, pixels: pixels)
    }

    static func reflect(_ i: Int, _ size: Int) -> Int {
        guard size > 1 else { return 0 }
        let period = 2 * size - 2
        let j = ((i % period) + period) % period
        return j < size ? j : period - j
    }

    /// The kernel applied in float64 (reflect-101 border), before rounding.
    static func reference(_ kernel: ConvolutionKernel, _ image: Image<UInt8>) -> [Double] {
        let rx = kernel.width / 2, ry = kernel.height / 2
        var result = [Double]()
        result.reserveCapacity(image.width * image.height * image.channels)
        for y in 0..<image.height {
            for x in 0..<image.width {
                for c in 0..<image.channels {
                    var sum = 0.0
                    for j in 0..<kernel.height {
                        for i in 0..<kernel.width {
                            let sample = image[reflect(x + i - rx, image.width), reflect(y + j - ry, image.height), c]
                            sum += kernel.weights[j * kernel.width + i] * Double(sample)
                        }
                    }
                    result.append(sum)
                }
            }
        }
        return result
    }

    /// The largest difference from the rounded reference, and how many samples differ even
    /// though the reference lies further than `margin` from a half level.
    static func compare(_ kernel: ConvolutionKernel, on image: Image<UInt8>, margin: Double) -> (max: Int, differing: Int) {
        var largest = 0, differing = 0
        for (level, exact) in zip(kernel.apply(to: image).pixels, reference(kernel, image)) {
            let clamped = min(max(exact, 0), 255)
            let difference = abs(Int(level) - Int(clamped.rounded(.toNearestOrEven)))
            largest = max(largest, difference)
            if difference != 0 && abs(abs(clamped - clamped.rounded(.down)) - 0.5) > margin { differing += 1 }
        }
        return (largest, differing)
    }

    static let sizes = [(1, 1), (2, 3), (5, 1), (1, 6), (9, 7), (17, 13), (23, 19), (41, 30)]

    static func images() -> [Image<UInt8>] {
        sizes.flatMap { size in
            [1, 3].flatMap { channels in
                let full = texture(width: size.0 + 5, height: size.1 + 3, channels: channels, seed: UInt64(size.0 * 100 + size.1))
                let crop = full.cropped(to: PixelRect(x: 3, y: 2, width: size.0, height: size.1))
                return [texture(width: size.0, height: size.1, channels: channels, seed: UInt64(size.0 + size.1)), crop]
            }
        }
    }

    @Test(arguments: [0.5, 0.8, 1.3, 2.2, 3.0])
    func gaussianBlurMatchesFloat64(sigma: Double) {
        let kernel = GaussianBlur.kernel(sigma: sigma)
        for image in Self.images() {
            // Fixed point sits within a few hundredths of a level: only values next to a half differ.
            let outcome = Self.compare(kernel, on: image, margin: 0.05)
            #expect(outcome.max <= 1 && outcome.differing == 0,
                    "σ \(sigma), \(image.width)×\(image.height)×\(image.channels): \(outcome)")
        }
    }

    /// A photo-sized image with the widest kernel the default blur draws (σ = 3, 19 taps):
    /// under 1 % of samples differ from the rounded float64 result, and the rounding is not
    /// lopsided (about as many one above as one below).
    @Test func largestGaussianRoundsEvenly() {
        let image = Self.texture(width: 97, height: 83, channels: 3, seed: 99)
        let kernel = GaussianBlur.kernel(sigma: 3)
        #expect(kernel.width == 19)
        let exact = Self.reference(kernel, image)
        let signed = zip(kernel.apply(to: image).pixels, exact).map { Int($0) - Int($1.rounded(.toNearestOrEven)) }
        #expect(signed.allSatisfy { abs($0) <= 1 })
        let above = signed.filter { $0 > 0 }.count, below = signed.filter { $0 < 0 }.count
        #expect(above + below < signed.count / 100 && max(above, below) <= 3 * min(above, below) + 10,
                "\(above) above, \(below) below of \(signed.count)")
    }

    /// A symmetric separable kernel that is not a Gaussian, and one that does not sum to 1
    /// (which takes the Float path), against the same kernels run as general 2-D ones.
    @Test func otherSeparableKernelsMatchFloat64() {
        let tent = ConvolutionKernel(horizontal: [0.25, 0.5, 0.25], vertical: [0.1, 0.2, 0.4, 0.2, 0.1])
        let gain = ConvolutionKernel(horizontal: [0.5, 1, 0.5], vertical: [0.25, 0.5, 0.25])
        for kernel in [tent, gain] {
            for image in Self.images() {
                let outcome = Self.compare(kernel, on: image, margin: 0.05)
                #expect(outcome.max <= 1 && outcome.differing == 0, "\(image.width)×\(image.height)×\(image.channels): \(outcome)")
            }
        }
    }

    /// Ring kernels of large gain (sums far outside 0…255, beyond Int16 for the last one).
    @Test func strongRingKernelsClamp() {
        for (centre, ring) in [(9.0, -1.0), (-3.0, 0.5), (150.0, -2.0)] {
            let kernel = ConvolutionKernel(width: 3, height: 3, weights: (0..<9).map { $0 == 4 ? centre : ring })
            for image in Self.images() {
                let outcome = Self.compare(kernel, on: image, margin: 1e-3)
                #expect(outcome.max <= 1 && outcome.differing == 0, "\(centre), \(ring): \(outcome)")
            }
        }
    }

    @Test(arguments: [(0.2, 0.5), (0.5, 1.0), (1.0, 0.7)])
    func sharpenMatchesFloat64(alpha: Double, lightness: Double) {
        let kernel = Sharpen.kernel(alpha: alpha, lightness: lightness)
        for image in Self.images() {
            // Float32 products: a level differs only within float noise of a half (sums of
            // multiples of α often land on one).
            let outcome = Self.compare(kernel, on: image, margin: 1e-3)
            #expect(outcome.max <= 1 && outcome.differing == 0,
                    "α \(alpha), \(image.width)×\(image.height)×\(image.channels): \(outcome)")
        }
    }
}
