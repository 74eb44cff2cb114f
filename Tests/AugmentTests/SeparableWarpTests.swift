import Augment
import Imaging
import Testing

/// Axis-aligned bilinear warps (scale and translation per axis) run as two 1-D passes; these
/// tests hold them to the per-pixel path and to a float64 reference.
@Suite struct SeparableWarpTests {
    /// A noisy image (neighbours differ by up to 255 levels, the hardest case for fixed point).
    static func noise(width: Int, height: Int, channels: Int, seed: UInt64) -> Image<UInt8> {
        var state = seed
        return Image(width: width, height: height, channels: channels, pixels: (0..<width * height * channels).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        })
    }

    struct Case: CustomStringConvertible, Sendable {
        let source: (width: Int, height: Int), output: (width: Int, height: Int)
        let channels: Int
        let transform: AffineTransform
        let border: BorderMode
        /// Read the source through a crop view (row stride larger than width × channels).
        let cropView: Bool
        var description: String {
            "\(source)→\(output) ×\(channels) \(border)\(cropView ? " view" : "") \(transform.a),\(transform.c),\(transform.e),\(transform.f)"
        }
    }

    /// Pixel-centre resizes (down, up, mixed), flipped resizes, and maps that reach outside the
    /// image (so the border, constant included, enters the blend), on odd sizes.
    static let cases: [Case] = {
        func resize(_ s: (Int, Int), _ o: (Int, Int)) -> AffineTransform {
            let sx = Double(o.0) / Double(s.0), sy = Double(o.1) / Double(s.1)
            return AffineTransform(a: sx, b: 0, c: 0.5 * sx - 0.5, d: 0, e: sy, f: 0.5 * sy - 0.5)
        }
        var cases: [Case] = []
        let shapes: [((Int, Int), (Int, Int))] = [((37, 29), (23, 19)), ((13, 11), (41, 33)), ((31, 9), (17, 27)), ((5, 3), (3, 1))]
        for (index, (source, output)) in shapes.enumerated() {
            for channels in [1, 3] {
                cases.append(Case(source: source, output: output, channels: channels, transform: resize(source, output),
                                  border: .replicate, cropView: index % 2 == 0))
            }
        }
        let outside = AffineTransform(a: 1.37, b: 0, c: 4.2, d: 0, e: 0.71, f: -3.6)
        let flipped = AffineTransform(a: -0.83, b: 0, c: 30.4, d: 0, e: -1.21, f: 33.1)
        for border in BorderMode.allCases {
            for channels in [1, 2, 3, 4, 5] {
                cases.append(Case(source: (29, 23), output: (35, 21), channels: channels, transform: outside, border: border,
                                  cropView: channels == 3))
            }
            cases.append(Case(source: (29, 23), output: (27, 31), channels: 3, transform: flipped, border: border, cropView: true))
        }
        return cases
    }()

    static func source(for c: Case) -> Image<UInt8> {
        let seed = UInt64(c.source.width * 131 + c.channels)
        guard c.cropView else { return noise(width: c.source.width, height: c.source.height, channels: c.channels, seed: seed) }
        let parent = noise(width: c.source.width + 7, height: c.source.height + 4, channels: c.channels, seed: seed)
        return parent.cropped(to: PixelRect(x: 3, y: 2, width: c.source.width, height: c.source.height))
    }

    /// Against the per-pixel path (the same map nudged off axis by a shear far below its
    /// fixed-point resolution): at most one level apart, and almost everywhere identical (the
    /// per-pixel blend's 12-bit weights round a few more samples the other way than the
    /// separable 16-bit ones; both stay within a level of float64, tested below).
    @Test(arguments: cases)
    func matchesThePerPixelPath(_ c: Case) throws {
        let image = Self.source(for: c)
        let size = ImageSize(width: c.output.width, height: c.output.height)
        let t = c.transform
        let nudged = AffineTransform(a: t.a, b: 1e-13, c: t.c, d: 0, e: t.e, f: t.f)
        let separable = image.warped(by: t, to: size, interpolation: .bilinear, border: c.border, fill: 77)
        let perPixel = image.warped(by: nudged, to: size, interpolation: .bilinear, border: c.border, fill: 77)
        let differences = zip(separable.pixels, perPixel.pixels).map { abs(Int($0) - Int($1)) }
        try #require(differences.count == size.width * size.height * c.channels)
        #expect(differences.max()! <= 1)
        #expect(Double(differences.filter { $0 > 0 }.count) / Double(differences.count) < 0.05)
    }

    /// Against bilinear interpolation in float64 (replicate border: taps clamped), rounded half
    /// up: within one level everywhere and identical on all but a few samples near half levels.
    @Test(arguments: cases.filter { $0.border == .replicate })
    func matchesTheFloat64Blend(_ c: Case) throws {
        let image = Self.source(for: c)
        let size = ImageSize(width: c.output.width, height: c.output.height)
        let result = image.warped(by: c.transform, to: size, interpolation: .bilinear, border: .replicate)
        let inverse = try #require(c.transform.inverse)
        var worst = 0, differing = 0
        for y in 0..<size.height {
            for x in 0..<size.width {
                let (sx, sy) = (inverse.a * Double(x) + inverse.c, inverse.e * Double(y) + inverse.f)
                let x0 = Int(sx.rounded(.down)), y0 = Int(sy.rounded(.down))
                let fx = sx - Double(x0), fy = sy - Double(y0)
                func level(_ i: Int, _ j: Int, _ k: Int) -> Double {
                    Double(image[min(max(i, 0), image.width - 1), min(max(j, 0), image.height - 1), k])
                }
                for k in 0..<c.channels {
                    let top = level(x0, y0, k) * (1 - fx) + level(x0 + 1, y0, k) * fx
                    let bottom = level(x0, y0 + 1, k) * (1 - fx) + level(x0 + 1, y0 + 1, k) * fx
                    let blend: Double = top * (1 - fy) + bottom * fy
                    let expected = Int((blend + 0.5).rounded(.down))
                    let difference = abs(Int(result[x, y, k]) - expected)
                    worst = max(worst, difference)
                    differing += difference > 0 ? 1 : 0
                }
            }
        }
        #expect(worst <= 1)
        #expect(Double(differing) / Double(size.width * size.height * c.channels) < 0.02)
    }

    /// A flat image stays exactly flat, and a map wholly outside gives exactly the fill.
    @Test func flatAndFillLevelsAreExact() {
        for level: UInt8 in [0, 1, 77, 128, 254, 255] {
            let flat = Image<UInt8>(width: 19, height: 13, channels: 3, pixels: [UInt8](repeating: level, count: 19 * 13 * 3))
            let resized = flat.warped(by: .scaling(x: 1.7, y: 0.6, about: (0, 0)), to: ImageSize(width: 31, height: 9),
                              border: .reflect101)
            #expect(resized.pixels.allSatisfy { $0 == level })
            let away = flat.warped(by: AffineTransform(a: 0.9, b: 0, c: 500.5, d: 0, e: 1.1, f: 0.25),
                                   to: ImageSize(width: 17, height: 5), border: .constant, fill: Double(255 - level))
            #expect(away.pixels.allSatisfy { $0 == 255 - level })
        }
    }
}
