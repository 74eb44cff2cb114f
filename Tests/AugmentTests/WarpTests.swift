import Augment
import Imaging
import Testing

/// A small image whose every pixel differs, so moved pixels can be traced.
func ramp(width: Int = 7, height: Int = 5, channels: Int = 3) -> Image<UInt8> {
    Image(width: width, height: height, channels: channels,
          pixels: (0..<width * height * channels).map { UInt8(($0 * 7) % 256) })
}

@Suite struct WarpTests {
    @Test func identityLeavesTheImageUnchanged() {
        let image = ramp()
        for interpolation in Interpolation.allCases {
            #expect(image.warped(by: .identity, to: ImageSize(width: 7, height: 5), interpolation: interpolation) == image)
        }
    }

    @Test func flipsAreExact() {
        let image = ramp()
        let flip = AffineTransform(a: -1, b: 0, c: 6, d: 0, e: 1, f: 0)
        let flipped = image.warped(by: flip, to: ImageSize(width: 7, height: 5), interpolation: .bilinear)
        for y in 0..<5 { for x in 0..<7 { for c in 0..<3 { #expect(flipped[x, y, c] == image[6 - x, y, c]) } } }
    }

    /// Mirrored rows move in blocks of eight pixels and a rest: widths on both sides of the
    /// block size, 1 and 3 channels, and a crop view whose rows are longer than its width.
    @Test(arguments: [1, 3], [1, 7, 8, 9, 16, 23, 150])
    func mirroredRowsAreExact(channels: Int, width: Int) {
        let parent = ramp(width: width + 5, height: 4, channels: channels)
        for image in [ramp(width: width, height: 3, channels: channels), parent.cropped(to: PixelRect(x: 2, y: 1, width: width, height: 3))] {
            let mirror = AffineTransform(a: -1, b: 0, c: Double(width - 1), d: 0, e: 1, f: 0)
            let halfTurn = AffineTransform(a: -1, b: 0, c: Double(width - 1), d: 0, e: -1, f: 2)
            let size = ImageSize(width: width, height: 3)
            let mirrored = image.warped(by: mirror, to: size), turned = image.warped(by: halfTurn, to: size)
            for y in 0..<3 {
                for x in 0..<width {
                    for c in 0..<channels {
                        #expect(mirrored[x, y, c] == image[width - 1 - x, y, c])
                        #expect(turned[x, y, c] == image[width - 1 - x, 2 - y, c])
                    }
                }
            }
        }
    }

    /// Whole-pixel translations copy rows and resolve the margins once; border rows repeat
    /// finished rows. They equal the per-pixel nearest path (reached by a nudge far below
    /// half a pixel) for every border, on a padded canvas that also crops, and on a crop view.
    @Test(arguments: BorderMode.allCases)
    func integerTranslationsMatchThePerPixelPath(_ border: BorderMode) {
        let parent = ramp(width: 14, height: 9)
        for image in [ramp(width: 11, height: 6), parent.cropped(to: PixelRect(x: 2, y: 1, width: 11, height: 6))] {
            for (dx, dy) in [(-3, 2), (4, -1), (7, 9), (0, 5)] {
                let size = ImageSize(width: 17, height: 13)
                let fast = image.warped(by: .translation(x: Double(dx), y: Double(dy)), to: size, interpolation: .nearest,
                                        border: border, fill: 9)
                let general = image.warped(by: .translation(x: Double(dx) + 1e-6, y: Double(dy) + 1e-6), to: size,
                                           interpolation: .nearest, border: border, fill: 9)
                #expect(fast == general, "offset (\(dx), \(dy))")
            }
        }
    }

    /// A strong perspective (the inverse map's w = 0.02x + 0.05: positions bend sharply near
    /// the left edge): the 3-channel bilinear path, which steps positions linearly inside
    /// 8-pixel segments where they are straight, agrees within a level with the 2-channel
    /// path, which divides at every pixel.
    @Test(arguments: [BorderMode.replicate, .constant, .reflect101])
    func strongPerspectiveMatchesPerPixelDivision(_ border: BorderMode) {
        let image = ramp(width: 64, height: 64, channels: 3)
        let twoChannels = Image(width: 64, height: 64, channels: 2,
                                pixels: (0..<64 * 64).flatMap { [image[$0 % 64, $0 / 64, 0], image[$0 % 64, $0 / 64, 1]] })
        let transform = ProjectiveTransform([1, 0, 0, 0, 1, 0, -0.4, 0, 20])  // inverse: [1 0 0; 0 1 0; 0.02 0 0.05]
        let size = ImageSize(width: 64, height: 64)
        let stepped = image.warped(by: transform, to: size, interpolation: .bilinear, border: border, fill: 9)
        let divided = twoChannels.warped(by: transform, to: size, interpolation: .bilinear, border: border, fill: 9)
        var worst = 0
        for y in 0..<64 {
            for x in 0..<64 {
                for c in 0..<2 { worst = max(worst, abs(Int(stepped[x, y, c]) - Int(divided[x, y, c]))) }
            }
        }
        #expect(worst <= 1)
    }

    /// A quarter turn counter-clockwise on screen: the top-right pixel goes to the top-left.
    @Test func positiveRotationIsCounterClockwise() {
        let image = ramp(width: 5, height: 5)
        let turn = AffineTransform.rotation(degrees: 90, about: AffineTransform.center(of: (5, 5)))
        let turned = image.warped(by: turn, to: ImageSize(width: 5, height: 5), interpolation: .bilinear)
        for c in 0..<3 {
            #expect(turned[0, 0, c] == image[4, 0, c])
            #expect(turned[0, 4, c] == image[0, 0, c])
        }
    }

    /// Shifting by one pixel right exposes one column of border.
    @Test(arguments: BorderMode.allCases)
    func bordersFollowTheirPatterns(_ border: BorderMode) {
        let row = Image<UInt8>(width: 4, height: 1, channels: 1, pixels: [10, 20, 30, 40])
        let shifted = row.warped(by: .translation(x: 2, y: 0), to: ImageSize(width: 4, height: 1),
                                 interpolation: .nearest, border: border, fill: 99)
        let expected: [UInt8] = switch border {
        case .constant: [99, 99, 10, 20]
        case .replicate: [10, 10, 10, 20]
        case .reflect: [20, 10, 10, 20]
        case .reflect101: [30, 20, 10, 20]
        case .wrap: [30, 40, 10, 20]
        }
        #expect(shifted.pixels == expected)
    }

    @Test func bilinearBlendsHalfwayBetweenPixels() {
        let row = Image<UInt8>(width: 3, height: 1, channels: 1, pixels: [0, 100, 201])
        let shifted = row.warped(by: .translation(x: 0.5, y: 0), to: ImageSize(width: 3, height: 1),
                                 interpolation: .bilinear, border: .replicate)
        #expect(shifted.pixels == [0, 50, 151])  // 150.5 rounds half up
    }

    @Test func composedTransformsInvertExactly() throws {
        let center = AffineTransform.center(of: (9, 7))
        let transform = AffineTransform.rotation(degrees: 17, about: center)
            .followed(by: .scaling(x: 1.3, y: 0.8, about: center))
            .followed(by: .translation(x: 2.5, y: -1))
        let inverse = try #require(transform.inverse)
        let round = transform.followed(by: inverse)
        for (value, expected) in [(round.a, 1.0), (round.b, 0), (round.c, 0), (round.d, 0), (round.e, 1), (round.f, 0)] {
            #expect(abs(value - expected) < 1e-12)
        }
    }
}

@Suite struct LookupTests {
    /// PIL's brightness enhancer truncates: 0.7 × 255 = 178.5 → 178.
    @Test func brightnessFollowsPIL() {
        let pipeline = AugmentationPipeline([Brightness(factors: 0.7...0.7)])
        let image = Image<UInt8>(width: 3, height: 1, channels: 1, pixels: [255, 10, 0])
        let result = pipeline.apply(to: image, key: .init(seed: 1))
        #expect(result.pixels == [178, 7, 0])
        let bright = AugmentationPipeline([Brightness(factors: 1.5...1.5)]).apply(to: image, key: .init(seed: 1))
        #expect(bright.pixels == [255, 15, 0])
    }

    @Test func lookupsCompose() {
        let double = PixelLookup { UInt8(min(255, $0 * 2)) }
        let invert = PixelLookup { UInt8(255 - $0) }
        let image = Image<UInt8>(width: 4, height: 1, channels: 1, pixels: [0, 50, 100, 200])
        #expect(double.followed(by: invert).apply(to: image) == invert.apply(to: double.apply(to: image)))
    }
}

@Suite struct FusionTests {
    @Test func flipsAndQuarterTurnsPermutePixels() {
        let flip = AffineTransform(a: -1, b: 0, c: 6, d: 0, e: 1, f: 0)
        let canvas = ImageSize(width: 7, height: 5)
        #expect(flip.permutesPixels(width: 7, height: 5, onto: canvas))
        #expect(!AffineTransform.translation(x: 1, y: 0).permutesPixels(width: 7, height: 5, onto: canvas))
        #expect(!AffineTransform.rotation(degrees: 17, about: (3, 2)).permutesPixels(width: 7, height: 5, onto: canvas))
        let transpose = AffineTransform(a: 0, b: 1, c: 0, d: 1, e: 0, f: 0)
        #expect(transpose.permutesPixels(width: 7, height: 5, onto: ImageSize(width: 5, height: 7)))
        #expect(!transpose.permutesPixels(width: 7, height: 5, onto: canvas))
    }

    /// A flip (replicate border) followed by a rotation with a constant border fuses into one
    /// warp: the same as warping once through the composed map with the rotation's border.
    @Test func flipFusesWithAnyBorder() {
        let image = ramp(width: 12, height: 9)
        let size = ImageSize(width: 12, height: 9)
        let flip = AffineTransform(a: -1, b: 0, c: 11, d: 0, e: 1, f: 0)
        let turn = AffineTransform.rotation(degrees: 25, about: AffineTransform.center(of: (12, 9)))
        let fused = ImageOperation.execute([
            .warp(flip, size: size, interpolation: .nearest, border: .replicate, fill: 0),
            .warp(turn, size: size, interpolation: .bilinear, border: .constant, fill: 9),
        ], on: image)
        let once = image.warped(by: flip.followed(by: turn), to: size, interpolation: .bilinear, border: .constant, fill: 9)
        #expect(fused == once)
    }

    /// Two warps with different borders run one after the other.
    @Test func differentBordersDoNotFuse() {
        let image = ramp(width: 12, height: 9)
        let size = ImageSize(width: 12, height: 9)
        let shift = AffineTransform.translation(x: 2, y: 0)
        let ops: [ImageOperation] = [.warp(shift, size: size, interpolation: .nearest, border: .constant, fill: 0),
                                     .warp(shift, size: size, interpolation: .nearest, border: .wrap, fill: 0)]
        let sequential = image.warped(by: shift, to: size, interpolation: .nearest, border: .constant)
            .warped(by: shift, to: size, interpolation: .nearest, border: .wrap)
        #expect(ImageOperation.execute(ops, on: image) == sequential)
    }
}

@Suite struct IntegerTranslationTests {
    /// Whole-pixel translations copy rows; the uncovered pixels follow the border in 2-D.
    @Test func padsFollowTheBorderInBothDirections() {
        let image = Image<UInt8>(width: 3, height: 2, channels: 1, pixels: [1, 2, 3, 4, 5, 6])
        let padded = image.warped(by: .translation(x: 2, y: 1), to: ImageSize(width: 7, height: 4), border: .reflect)
        // reflect (dcba|abcd): row −1 is row 0, column −1 is column 0, column −2 is column 1.
        #expect(padded.pixels == [2, 1, 1, 2, 3, 3, 2,
                                  2, 1, 1, 2, 3, 3, 2,
                                  5, 4, 4, 5, 6, 6, 5,
                                  5, 4, 4, 5, 6, 6, 5])
        let constant = image.warped(by: .translation(x: -1, y: 0), to: ImageSize(width: 3, height: 3), border: .constant, fill: 9)
        #expect(constant.pixels == [2, 3, 9, 5, 6, 9, 9, 9, 9])
    }
}
