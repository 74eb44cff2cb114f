import Augment
import Foundation
import Imaging
import TestSupport
import InvariantCore
import Testing

/// Fixtures from `Tools/make_augment_fixtures.py`: OpenCV 5.1 `warpAffine` and a float64
/// numpy reference of the same sampling ("exact"), and PIL's brightness enhancer.
enum AugmentFixtures {
    static let folder = FixtureFolder("augment")

    static func data(_ relative: String) -> Data { folder.data(relative) }

    static func image(_ relative: String) -> Image<UInt8> {
        try! ImageDecoder(options: DecodeOptions(colorMode: .original)).decode(data(relative)).image.eightBit
    }

    struct Manifest: Decodable {
        let warp: [WarpCase]
        let brightness: [BrightnessCase]
        let colour: [ColourCase]
    }

    /// albumentations / OpenCV colour and filter operations on the RGB source.
    struct ColourCase: Decodable, Sendable, CustomStringConvertible {
        let op: String
        let input: String
        let expected: String
        let hue: Double?
        let saturation: Double?
        let value: Double?
        let factor: Double?
        let sigma: Double?
        let alpha: Double?
        let lightness: Double?
        let weights: [Double]?
        /// For `gaussian`: OpenCV's uint8 result (the expected file is the float64 blur).
        let opencv: String?
        var description: String { "\(op) \(factor ?? sigma ?? alpha ?? hue ?? 0) \(expected)" }

        /// The Invariant operation that stands for this case.
        var operation: ImageOperation {
            switch op {
            case "hsv": .hsv(hue: hue!, saturation: saturation!, value: value!)
            case "brightness": .lookup(ColorJitter.brightnessTable(factor: factor!))
            case "contrast": .contrast(factor: factor!)
            case "saturation": .saturation(factor: factor!)
            case "hue": .hsv(hue: 180 * factor!, saturation: 0, value: 0)
            case "gaussian": .convolve(GaussianBlur.kernel(sigma: sigma!))
            case "sharpen": .convolve(Sharpen.kernel(alpha: alpha!, lightness: lightness!))
            default: .convolve(ConvolutionKernel(width: 5, height: 5, weights: weights!))
            }
        }
    }

    struct WarpCase: Decodable, Sendable, CustomStringConvertible {
        let name: String
        let input: String
        let matrix: [Double]
        let width: Int
        let height: Int
        let interpolation: String
        let border: String
        let fill: Double
        let opencv: String
        let exact: String
        let ties: Int
        var description: String { name }
    }

    struct BrightnessCase: Decodable, Sendable, CustomStringConvertible {
        let factor: Double
        let input: String
        let expected: String
        var description: String { "brightness \(factor)" }
    }

    static let manifest = folder.decode(Manifest.self)
}

@Suite struct GoldenWarpTests {
    /// Tolerances: against the float64 reference, ±1 level (Invariant blends in Float32, so a
    /// value within float noise of a half level may round the other way); nearest must be
    /// identical except at positions that sit on a half pixel. Against OpenCV, ±1 level for
    /// bilinear and bicubic; OpenCV's own nearest differs from the reference at such ties.
    @Test(arguments: AugmentFixtures.manifest.warp)
    func matchesReferences(_ fixture: AugmentFixtures.WarpCase) throws {
        let source = AugmentFixtures.image(fixture.input)
        let m = fixture.matrix
        let transform = AffineTransform(a: m[0], b: m[1], c: m[2], d: m[3], e: m[4], f: m[5])
        let warped = source.warped(by: transform, to: ImageSize(width: fixture.width, height: fixture.height),
                                   interpolation: Interpolation(rawValue: fixture.interpolation)!,
                                   border: BorderMode(rawValue: fixture.border)!, fill: fixture.fill)
        let exact = [UInt8](AugmentFixtures.data(fixture.exact))
        let pixels = warped.pixels
        try #require(pixels.count == exact.count)
        let differences = zip(pixels, exact).map { abs(Int($0) - Int($1)) }
        if fixture.interpolation == "nearest" {
            if fixture.ties == 0 { #expect(differences.max() == 0) }
        } else {
            #expect(differences.max()! <= 1)
            // Where samples land on half pixels, blended values tie at half levels and the
            // Float32 rounding goes either way; elsewhere almost every level is identical.
            if fixture.ties == 0 { #expect(Double(differences.reduce(0, +)) / Double(differences.count) < 0.05) }
            let opencv = [UInt8](AugmentFixtures.data(fixture.opencv))
            #expect(zip(pixels, opencv).map { abs(Int($0) - Int($1)) }.max()! <= 1)
        }
    }

    @Test(arguments: AugmentFixtures.manifest.brightness)
    func brightnessMatchesPIL(_ fixture: AugmentFixtures.BrightnessCase) {
        let source = AugmentFixtures.image(fixture.input)
        let result = AugmentationPipeline([Brightness(factors: fixture.factor...fixture.factor)])
            .apply(to: source, key: RandomKey(seed: 0))
        #expect(result.pixels == [UInt8](AugmentFixtures.data(fixture.expected)))
    }

    /// Colour and filter operations within ±1 level of albumentations / OpenCV on every sample.
    @Test(arguments: AugmentFixtures.manifest.colour)
    func colourMatchesAlbumentations(_ fixture: AugmentFixtures.ColourCase) throws {
        let source = AugmentFixtures.image(fixture.input)
        let result = ImageOperation.execute([fixture.operation], on: source)
        let expected = [UInt8](AugmentFixtures.data(fixture.expected))
        try #require(result.pixels.count == expected.count)
        let differences = zip(result.pixels, expected).map { abs(Int($0) - Int($1)) }
        #expect(differences.max()! <= 1, "max \(differences.max()!), differing \(differences.filter { $0 > 0 }.count) of \(differences.count)")
        if let opencv = fixture.opencv {
            // OpenCV's 8-bit kernel quantisation moves its levels up to 2 from the real-valued blur.
            let levels = [UInt8](AugmentFixtures.data(opencv))
            #expect(zip(result.pixels, levels).map { abs(Int($0) - Int($1)) }.max()! <= 2)
        }
    }
}
