import Augment
import Foundation
import Imaging
import TestSupport
import Testing

/// Fixtures from `Tools/make_keras_fixtures.py`: Keras's `apply_transform` arithmetic
/// (matrix, scipy order-1 resampling, channel shift, flips, PIL brightness) on a 23×17 image.
enum KerasFixtures {
    static let folder = FixtureFolder("keras")

    static func data(_ relative: String) -> Data { folder.data(relative) }

    struct Manifest: Decodable { let cases: [Case] }

    struct Params: Decodable, Sendable {
        let theta, tx, ty, shear, zx, zy: Double
        let flip_horizontal, flip_vertical: Bool
        let channel_shift_intensity, brightness: Double?
    }

    struct Case: Decodable, Sendable, CustomStringConvertible {
        let name: String
        let input: String
        let params: Params
        let fill_mode: String
        let cval: Double
        /// Nil when Keras skips the affine step (no rotation, shift, shear or zoom).
        let matrix: [[Double]]?
        let offset: [Double]?
        let expected: String
        var description: String { "\(name) (\(fill_mode))" }
    }

    static let manifest = folder.decode(Manifest.self)
}

@Suite struct KerasGoldenTests {
    /// Tolerance 0: the resampling follows scipy's arithmetic in Double (offset first, weights
    /// 1 − t and 1 − w0, taps in scipy's order) and casts to Float once, so every sample is
    /// bit-identical to Keras's output.
    @Test(arguments: KerasFixtures.manifest.cases)
    func matchesKeras(_ fixture: KerasFixtures.Case) throws {
        let source = try ImageDecoder(options: DecodeOptions(colorMode: .original))
            .decode(KerasFixtures.data(fixture.input)).image.eightBit.converted { Float($0) }
        let p = fixture.params
        let parameters = KerasImageDataGenerator.Parameters(
            theta: p.theta, tx: p.tx, ty: p.ty, shear: p.shear, zx: p.zx, zy: p.zy, flipHorizontal: p.flip_horizontal,
            flipVertical: p.flip_vertical, channelShiftIntensity: p.channel_shift_intensity, brightness: p.brightness)
        let affine = KerasImageDataGenerator.affine(parameters, height: source.height, width: source.width)
        #expect((affine == nil) == (fixture.matrix == nil))
        if let (matrix, offset) = affine, let expectedMatrix = fixture.matrix, let expectedOffset = fixture.offset {
            for i in 0..<2 {
                #expect(abs(offset[i] - expectedOffset[i]) < 1e-12)
                for j in 0..<2 { #expect(abs(matrix[i][j] - expectedMatrix[i][j]) < 1e-12) }
            }
        }
        var generator = KerasImageDataGenerator()
        generator.fillMode = KerasImageDataGenerator.FillMode(rawValue: fixture.fill_mode)!
        generator.cval = fixture.cval
        let result = generator.apply(parameters, to: source).pixels
        let raw = KerasFixtures.data(fixture.expected)
        let expected = raw.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        try #require(result.count == expected.count)
        let worst = zip(result, expected).map { abs($0 - $1) }.max() ?? 0
        #expect(worst == 0, "max difference \(worst)")
    }
}
