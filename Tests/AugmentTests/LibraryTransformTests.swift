import Augment
import Foundation
import Imaging
import InvariantCore
import Testing

/// A smooth colour image: gradients and a sine, so interpolation errors stay small.
func smoothImage(width: Int = 40, height: Int = 30, channels: Int = 3) -> Image<UInt8> {
    var pixels: [UInt8] = []
    for y in 0..<height {
        for x in 0..<width {
            let values = [Double(x) / Double(width - 1) * 255, Double(y) / Double(height - 1) * 255,
                          127.5 + 127.5 * sin(Double(x + y) / 7)]
            for c in 0..<channels { pixels.append(UInt8(values[c % 3].rounded())) }
        }
    }
    return Image(width: width, height: height, channels: channels, pixels: pixels)
}

func maxDifference(_ a: Image<UInt8>, _ b: Image<UInt8>) -> Int {
    zip(a.pixels, b.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 0
}

@Suite struct LibraryTransformTests {
    static let newTokens = [
        "longest-max-size=20", "smallest-max-size=20", "perspective=0.05:0.1", "elastic=3:4", "grid-distortion=0.3",
        "hsv", "hsv=10:20:30", "color-jitter=0.2:0.2:0.2:0.1", "channel-shift=30", "sharpen", "sharpen=0.3:0.6", "blur=0.5:2",
        "motion-blur=7", "jpeg=50:90", "rand-augment", "rand-augment=3:15", "trivial-augment", "auto-augment",
    ]

    @Test(arguments: newTokens)
    func recordsReplayExactly(_ token: String) throws {
        // Probability 0.5 steps: try seeds until the step fires.
        let pipeline = try AugmentationSpec.parse(token)
        let image = smoothImage()
        let size = ImageSize(width: image.width, height: image.height)
        var fired = 0
        for seed in 0..<12 {
            let key = RandomKey.augmentation(seed: UInt64(seed), epoch: 1, sampleIndex: 4)
            let record = pipeline.record(for: size, key: key)
            fired += record.count
            let decoded = try JSONDecoder().decode([AppliedAugmentation].self, from: JSONEncoder().encode(record))
            #expect(decoded == record)
            let applied = pipeline.apply(to: image, key: key)
            #expect(pipeline.replay(decoded, on: image) == applied)
            #expect(pipeline.apply(to: image, key: key) == applied, "deterministic")
        }
        #expect(fired > 0)
    }

    @Test(arguments: ["perspective=0:0", "hsv=0:0:0", "color-jitter=0:0:0:0", "channel-shift=0:0", "sharpen=0:0", "blur=0:0",
                      "grid-distortion=0:0", "elastic=0:5", "longest-max-size=40", "smallest-max-size=30"])
    func identityParametersGiveTheIdenticalImage(_ token: String) throws {
        let pipeline = try AugmentationSpec.parse(token)
        let image = smoothImage()
        for seed in 0..<6 { #expect(pipeline.apply(to: image, key: RandomKey(seed: UInt64(seed))) == image, "\(token)") }
    }

    @Test func maxSizesKeepTheAspectRatio() {
        let image = smoothImage(width: 40, height: 30)
        let longest = AugmentationPipeline([LongestMaxSize(maxSize: 20)]).apply(to: image, key: RandomKey(seed: 0))
        #expect(longest.width == 20 && longest.height == 15)
        let smallest = AugmentationPipeline([SmallestMaxSize(maxSize: 15)]).apply(to: image, key: RandomKey(seed: 0))
        #expect(smallest.width == 20 && smallest.height == 15)
        #expect(longest == smallest)
        let tall = AugmentationPipeline([LongestMaxSize(maxSize: 10)]).record(for: ImageSize(width: 7, height: 33), key: RandomKey(seed: 0))
        #expect(tall[0].operations.count == 1)
    }

    @Test func homographyMapsItsFourPoints() throws {
        let source = [(x: 2.0, y: 3.0), (x: 30.0, y: 1.0), (x: 35.0, y: 25.0), (x: 4.0, y: 20.0)]
        let target = [(x: 0.0, y: 0.0), (x: 39.0, y: 0.0), (x: 39.0, y: 29.0), (x: 0.0, y: 29.0)]
        let map = try #require(ProjectiveTransform.mapping(source, to: target))
        for (s, t) in zip(source, target) {
            let mapped = map.apply(x: s.x, y: s.y)
            #expect(abs(mapped.x - t.x) < 1e-9 && abs(mapped.y - t.y) < 1e-9)
        }
        let inverse = try #require(map.inverse)
        let back = map.followed(by: inverse)
        for (index, value) in back.m.enumerated() { #expect(abs(value - (index % 4 == 0 ? 1 : 0)) < 1e-9) }
        #expect(ProjectiveTransform.mapping(source, to: [(0, 0), (1, 1), (2, 2), (3, 3)].map { (x: Double($0.0), y: Double($0.1)) }) == nil)
    }

    /// A homography whose last row is a multiple of (0, 0, 1) is an affine map: the projective
    /// sampler (one division per pixel) must give the affine warp's levels.
    @Test func projectiveSamplerAgreesWithTheAffineOne() {
        let image = smoothImage()
        let affine = AffineTransform.rotation(degrees: 17, about: (19.5, 14.5)).followed(by: .scaling(x: 1.2, y: 0.9, about: (19.5, 14.5)))
        let size = ImageSize(width: 40, height: 30)
        // Scaled by 2 and with a tiny perspective term, so the projective path runs.
        var m = ProjectiveTransform(affine).m.map { $0 * 2 }
        m[6] = 1e-13
        let projective = ProjectiveTransform(m)
        #expect(projective.affine == nil)
        for interpolation in Interpolation.allCases {
            for border in BorderMode.allCases {
                let expected = image.warped(by: affine, to: size, interpolation: interpolation, border: border, fill: 9)
                let got = image.warped(by: projective, to: size, interpolation: interpolation, border: border, fill: 9)
                let differing = zip(expected.pixels, got.pixels).filter { abs(Int($0) - Int($1)) > 1 }.count
                #expect(differing == 0, "\(interpolation) \(border)")
            }
        }
    }

    /// Fusion: a flip and a rotation around a perspective step resample once, as one homography,
    /// within a level of running them one by one (flips are exact either way).
    @Test func perspectiveFusesWithAffineSteps() throws {
        let image = smoothImage()
        let size = ImageSize(width: 40, height: 30)
        let source = [(x: 3.0, y: 2.0), (x: 37.0, y: 1.0), (x: 36.0, y: 27.0), (x: 2.0, y: 28.0)]
        let corners = [(x: 0.0, y: 0.0), (x: 39.0, y: 0.0), (x: 39.0, y: 29.0), (x: 0.0, y: 29.0)]
        let map = try #require(ProjectiveTransform.mapping(source, to: corners))
        let flip = AffineTransform(a: -1, b: 0, c: 39, d: 0, e: 1, f: 0)
        let operations: [ImageOperation] = [
            .warp(flip, size: size, interpolation: .nearest, border: .replicate, fill: 0),
            .perspective(map, size: size, interpolation: .bilinear, border: .reflect101, fill: 0),
        ]
        let fused = ImageOperation.execute(operations, on: image)
        let oneByOne = operations.reduce(image) { ImageOperation.execute([$1], on: $0) }
        #expect(maxDifference(fused, oneByOne) <= 1)
        let direct = image.warped(by: ProjectiveTransform(flip).followed(by: map), to: size, interpolation: .bilinear, border: .reflect101)
        #expect(fused == direct)
    }

    @Test func perspectiveKeepsTheSizeAndMovesContent() {
        let pipeline = AugmentationPipeline([Perspective(scales: 0.1...0.1, probability: 1)])
        let image = smoothImage()
        let out = pipeline.apply(to: image, key: RandomKey(seed: 5))
        #expect(out.width == 40 && out.height == 30 && out != image)
        let record = pipeline.record(for: ImageSize(width: 40, height: 30), key: RandomKey(seed: 5))
        guard case .perspective = record[0].operations[0] else { Issue.record("expected a perspective operation"); return }
    }

    /// OpenCV's 8-bit HSV: pure colours, and a value shift on grey.
    @Test func hsvFollowsOpenCV() {
        let pixels: [UInt8] = [255, 0, 0, 0, 255, 0, 0, 0, 255, 128, 128, 128]
        let image = Image<UInt8>(width: 4, height: 1, channels: 3, pixels: pixels)
        // Hue +60 units (120°): red → blue, green → red... (OpenCV hue 0 red, 60 green, 120 blue).
        let shifted = AugmentationPipeline([HueSaturationValue(hue: 60...60, saturation: 0...0, value: 0...0, probability: 1)])
            .apply(to: image, key: RandomKey(seed: 0))
        #expect(shifted.pixels == [0, 255, 0, 0, 0, 255, 255, 0, 0, 128, 128, 128])
        let brighter = AugmentationPipeline([HueSaturationValue(hue: 0...0, saturation: 40...40, value: 10...10, probability: 1)])
            .apply(to: image, key: RandomKey(seed: 0))
        #expect(Array(brighter.pixels[9...]) == [138, 138, 138], "grey stays grey")
        let gray = Image<UInt8>(width: 2, height: 1, channels: 1, pixels: [10, 250])
        let grayShifted = AugmentationPipeline([HueSaturationValue(hue: 30...30, saturation: 30...30, value: 10...10, probability: 1)])
            .apply(to: gray, key: RandomKey(seed: 0))
        #expect(grayShifted.pixels == [20, 255])
    }

    @Test func colorJitterBrightnessAndSaturation() {
        let image = Image<UInt8>(width: 2, height: 1, channels: 3, pixels: [100, 50, 200, 10, 20, 30])
        let brighter = AugmentationPipeline([ColorJitter(brightness: 1.5...1.5, contrast: 1...1, saturation: 1...1, hue: 0...0,
                                                         probability: 1)]).apply(to: image, key: RandomKey(seed: 1))
        #expect(brighter.pixels == [150, 75, 255, 15, 30, 45])
        let gray = AugmentationPipeline([ColorJitter(brightness: 1...1, contrast: 1...1, saturation: 0...0, hue: 0...0,
                                                     probability: 1)]).apply(to: image, key: RandomKey(seed: 1))
        // OpenCV's grey: (4899·100 + 9617·50 + 1868·200 + 8192) >> 14 = 82.
        #expect(Array(gray.pixels[0..<3]) == [82, 82, 82])
        let record = AugmentationPipeline([ColorJitter(probability: 1)]).record(for: ImageSize(width: 2, height: 1), key: RandomKey(seed: 3))
        let order = (0..<4).map { record[0].parameters["order\($0)"]! }
        #expect(Set(order) == [0, 1, 2, 3])
    }

    @Test func channelShiftClipsToTheImageRange() {
        let image = Image<UInt8>(width: 3, height: 1, channels: 1, pixels: [40, 100, 200])
        let up = AugmentationPipeline([ChannelShift(offsets: 50...50)]).apply(to: image, key: RandomKey(seed: 0))
        #expect(up.pixels == [90, 150, 200])
        let down = AugmentationPipeline([ChannelShift(offsets: -70...(-70))]).apply(to: image, key: RandomKey(seed: 0))
        #expect(down.pixels == [40, 40, 130])
    }

    @Test func blursKeepFlatRegionsFlat() {
        let flat = Image<UInt8>(width: 9, height: 7, channels: 3, pixels: [UInt8](repeating: 77, count: 9 * 7 * 3))
        for sigma in [0.5, 1.3, 3.0] {
            #expect(GaussianBlur.kernel(sigma: sigma).apply(to: flat) == flat)
        }
        #expect(MotionBlur.kernel(size: 7, degrees: 33, direction: 0.4).apply(to: flat) == flat)
        #expect(Sharpen.kernel(alpha: 0.5, lightness: 1).apply(to: flat) == flat)  // weights sum to 1 − α + α·λ
    }

    /// The separable passes agree with the same kernel run as a general 2-D one.
    @Test func separableAndGeneralPathsAgree() {
        let image = ramp(width: 23, height: 17)
        let separable = GaussianBlur.kernel(sigma: 1.2)
        let general = ConvolutionKernel(width: separable.width, height: separable.height, weights: separable.weights)
        #expect(maxDifference(separable.apply(to: image), general.apply(to: image)) <= 1)
    }

    /// Border reflect-101 and the kernel's anchor, checked by hand on a row.
    @Test func convolutionReflectsAboutTheEdgePixel() {
        let row = Image<UInt8>(width: 4, height: 1, channels: 1, pixels: [0, 100, 200, 40])
        let kernel = ConvolutionKernel(width: 3, height: 1, weights: [0.25, 0.5, 0.25])
        // Left edge reads [100, 0, 100], right edge [200, 40, 200].
        #expect(kernel.apply(to: row).pixels == [50, 100, 135, 120])
    }

    @Test func motionBlurKernelIsALine() {
        let kernel = MotionBlur.kernel(size: 5, degrees: 0, direction: 0)
        let middle = Array(kernel.weights[10..<15])
        #expect(middle.allSatisfy { abs($0 - 0.2) < 1e-12 })
        #expect(abs(kernel.weights.reduce(0, +) - 1) < 1e-12)
        let forward = MotionBlur.kernel(size: 5, degrees: 90, direction: 1)
        #expect(forward.weights.enumerated().filter { $0.element > 0 }.map(\.offset) == [12, 17, 22])
    }

    @Test func jpegRoundTripKeepsTheSizeAndStaysClose() {
        let image = smoothImage()
        let record = AugmentationPipeline([ImageCompression(qualities: 95...95, probability: 1)])
        let out = record.apply(to: image, key: RandomKey(seed: 0))
        #expect(out.width == image.width && out.height == image.height && out.channels == 3)
        let mean = Double(zip(out.pixels, image.pixels).map { abs(Int($0) - Int($1)) }.reduce(0, +)) / Double(image.sampleCount)
        #expect(mean < 3)
        let rgba = Image<UInt8>(width: 2, height: 2, channels: 4, pixels: [UInt8](repeating: 9, count: 16))
        #expect(record.apply(to: rgba, key: RandomKey(seed: 0)) == rgba)
    }

    @Test func gridAndElasticMoveContentSmoothly() {
        let image = smoothImage()
        let grid = AugmentationPipeline([GridDistortion(limits: -0.3...0.3, probability: 1)]).apply(to: image, key: RandomKey(seed: 2))
        #expect(grid.width == 40 && grid != image)
        // Equal stretches everywhere: the identity map again.
        let even = AugmentationPipeline([GridDistortion(limits: 0.3...0.3, probability: 1)]).apply(to: image, key: RandomKey(seed: 2))
        #expect(even == image)
        let elastic = AugmentationPipeline([ElasticTransform(alpha: 4, sigma: 3, probability: 1)])
        let out = elastic.apply(to: image, key: RandomKey(seed: 2))
        #expect(out != image && maxDifference(out, image) < 120)
        #expect(elastic.apply(to: image, key: RandomKey(seed: 3)) != out)
    }

    @Test func randomOrderAppliesEveryStepInADrawnOrder() {
        let steps: [any Augmentation] = [Invert(probability: 1), Solarize(threshold: 100, probability: 1)]
        let pipeline = AugmentationPipeline([RandomOrder(steps)])
        let image = Image<UInt8>(width: 1, height: 1, channels: 1, pixels: [50])
        var results = Set<UInt8>()
        for seed in 0..<40 {
            let key = RandomKey(seed: UInt64(seed))
            let record = pipeline.record(for: ImageSize(width: 1, height: 1), key: key)
            #expect(record[0].operations.count == 2)
            results.insert(pipeline.apply(to: image, key: key).pixels[0])
        }
        // invert then solarize: 205 → 50; solarize then invert: 50 → 205.
        #expect(results == [50, 205])
    }
}

@Suite struct LibrarySpecTests {
    @Test func parsesTheNewTokens() throws {
        let pipeline = try AugmentationSpec.parse(LibraryTransformTests.newTokens.joined(separator: ","))
        #expect(pipeline.steps.map(\.name) == ["longest-max-size", "smallest-max-size", "perspective", "elastic", "grid-distortion",
                                              "hsv", "hsv", "color-jitter", "channel-shift", "sharpen", "sharpen", "blur",
                                              "motion-blur", "jpeg", "rand-augment", "rand-augment", "trivial-augment", "auto-augment"])
        #expect((pipeline.steps[15] as? RandAugment).map { [$0.count, $0.magnitude, $0.bins] } == [3, 15, 31])
        let jitter = try #require(pipeline.steps[7] as? ColorJitter)
        #expect(jitter.brightness == 0.8...1.2 && jitter.hue == -0.1...0.1)
        let hsv = try #require(pipeline.steps[6] as? HueSaturationValue)
        #expect(hsv.hue == -10...10 && hsv.saturation == -20...20 && hsv.value == -30...30)
        #expect((pipeline.steps[12] as? MotionBlur)?.sizes == 3...7)
        #expect((pipeline.steps[13] as? ImageCompression)?.qualities == 50...90)
    }

    @Test(arguments: [
        ("longest-max-size=0", "expected longest-max-size=N with N a side in 1…16384 pixels"),
        ("hsv=10:20", "expected hsv=H:S:V (3 numbers separated by ':')"),
        ("color-jitter=0.2:0.2:0.2:0.7", "H in 0…0.5"),
        ("elastic=3", "expected elastic=ALPHA:SIGMA"),
        ("motion-blur=2", "whole numbers in 3…63"),
        ("jpeg=0:50", "whole numbers in 1…100"),
        ("perspective=0.9", "values must lie within -0.5…0.5"),
        ("sharpen=2", "values must lie within 0.0…1.0"),
        ("rand-augment=2:31", "M in 0…30"),
        ("auto-augment=1", "auto-augment takes no value"),
    ])
    func badTokensNameThemselves(_ spec: String, _ reason: String) {
        do {
            _ = try AugmentationSpec.parse(spec)
            Issue.record("'\(spec)' was accepted")
        } catch let error as AugmentationSpecError {
            #expect(error.token == spec)
            #expect(error.reason.contains(reason), "\(error.reason)")
            #expect(error.description.contains("color-jitter=B:C:S:H"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}

@Suite struct PolicyTests {
    @Test func magnitudeBinsFollowTorchvision() {
        let size = ImageSize(width: 331, height: 100)
        #expect(PolicyOperation.shearX.magnitudes(bins: 31, size: size, wide: false)![9] == 0.3 * 9 / 30)
        #expect(abs(PolicyOperation.translateX.magnitudes(bins: 31, size: size, wide: false)![30] - 150) < 1e-9)
        #expect(PolicyOperation.posterize.magnitudes(bins: 31, size: size, wide: false)![9] == 7)
        #expect(PolicyOperation.posterize.magnitudes(bins: 31, size: size, wide: true)!.last == 2)
        #expect(PolicyOperation.posterize.magnitudes(bins: 10, size: size, wide: false)! == [8, 8, 7, 7, 6, 6, 5, 5, 4, 4])
        #expect(PolicyOperation.solarize.magnitudes(bins: 10, size: size, wide: false)!.first == 255)
        #expect(PolicyOperation.rotate.magnitudes(bins: 31, size: size, wide: true)!.last == 135)
        #expect(PolicyOperation.equalize.magnitudes(bins: 31, size: size, wide: false) == nil)
        #expect(AutoAugment.imageNetPolicy.count == 25)
    }

    @Test(arguments: PolicyOperation.allCases.filter(\.signed))
    func zeroMagnitudeIsTheIdentity(_ operation: PolicyOperation) {
        let image = smoothImage()
        #expect(ImageOperation.execute(operation.operations(magnitude: 0, size: ImageSize(width: 40, height: 30)), on: image) == image)
    }

    /// torchvision's ShearX: x_in = x_out + m·(y_out + ½) from the top-left corner, nearest.
    @Test func shearPivotsOnTheTopLeftCorner() {
        let image = ramp(width: 6, height: 4, channels: 1)
        let sheared = ImageOperation.execute(PolicyOperation.shearX.operations(magnitude: 1, size: ImageSize(width: 6, height: 4)), on: image)
        #expect(sheared[0, 1, 0] == image[2, 1, 0])   // 0 + 1.5 → nearest 2 (half up)
        #expect(sheared[1, 0, 0] == image[2, 0, 0])   // 1 + 0.5 → 2
        #expect(sheared[5, 3, 0] == 0)                // 5 + 3.5 lies outside: fill 0
    }

    @Test func autoContrastAndEnhancementsFollowPIL() {
        let levels = Image<UInt8>(width: 3, height: 1, channels: 1, pixels: [50, 100, 150])
        #expect(ImageOperation.execute([.autoContrast], on: levels).pixels == [0, 127, 255])
        // Contrast 0: the mean luma int(100 + 0.5).
        #expect(ImageOperation.execute([.enhance(.contrast, factor: 0)], on: levels).pixels == [100, 100, 100])
        let colour = Image<UInt8>(width: 1, height: 1, channels: 3, pixels: [200, 100, 50])
        // Pillow's luma: (19595·200 + 38470·100 + 7471·50 + 32768) >> 16 = 124.
        #expect(ImageOperation.execute([.enhance(.color, factor: 0)], on: colour).pixels == [124, 124, 124])
        #expect(ImageOperation.execute([.enhance(.color, factor: 2)], on: colour).pixels == [255, 76, 0])
        let image = ramp(width: 5, height: 4)
        let sharpened = ImageOperation.execute([.enhance(.sharpness, factor: 2)], on: image)
        for x in 0..<5 { #expect(sharpened[x, 0, 1] == image[x, 0, 1] && sharpened[x, 3, 1] == image[x, 3, 1]) }
        #expect(sharpened != image)
    }

    @Test func policiesDrawDifferentOperations() {
        let size = ImageSize(width: 32, height: 32)
        for policy in [RandAugment() as any Augmentation, TrivialAugmentWide(), AutoAugment()] {
            let pipeline = AugmentationPipeline([policy])
            let ops = Set((0..<60).compactMap { pipeline.record(for: size, key: RandomKey(seed: UInt64($0))).first?.parameters["op0"] })
            #expect(ops.count >= 4, "\(policy.name)")
        }
        let rand = AugmentationPipeline([RandAugment(count: 3, magnitude: 5)])
        #expect(rand.record(for: size, key: RandomKey(seed: 1))[0].parameters.keys.filter { $0.hasPrefix("op") }.count == 3)
    }
}

@Suite struct PipelineJSONTests {
    static let spec = "hflip,rotate=-20:15,zoom=0.8:1.2,shift=0.1,shear=5,brightness=0.8:1.2,perspective=0.05:0.1,hsv=10:20:30,"
        + "color-jitter=0.2:0.3:0.4:0.1,blur=0.5:2,motion-blur=3:7,jpeg=60:90,sharpen,channel-shift=20,elastic=3:4,"
        + "grid-distortion=0.2,rand-augment=2:9,trivial-augment,auto-augment,crop=30x20,center-crop=28x18,resize=32x24,"
        + "random-resized-crop=20x20,pad=24x24,longest-max-size=30,smallest-max-size=20,posterize=3:5,solarize=100,"
        + "rgb-shift=15,dropout=0.1:0.2,noise=2:8,gamma=0.8:1.2,brightness-shift=10,to-gray=0.1,equalize=0.2,invert=0.3,"
        + "transpose,rotate90,vflip=0.7,border=constant,fill=9,interpolation=bicubic"

    @Test func aPipelineRoundTripsThroughJSON() throws {
        let pipeline = try AugmentationSpec.parse(PipelineJSONTests.spec)
        let json = try AugmentationJSON.encode(pipeline)
        let decoded = try AugmentationJSON.decode(json)
        #expect(try AugmentationJSON.encode(decoded) == json)
        #expect(decoded.steps.map(\.name) == pipeline.steps.map(\.name))
        let image = smoothImage()
        for seed in 0..<5 {
            let key = RandomKey.augmentation(seed: UInt64(seed), epoch: 2, sampleIndex: 1)
            #expect(decoded.record(for: ImageSize(width: 40, height: 30), key: key)
                == pipeline.record(for: ImageSize(width: 40, height: 30), key: key))
            #expect(decoded.apply(to: image, key: key) == pipeline.apply(to: image, key: key))
        }
    }

    /// The settings come from the steps that use them, whichever comes first.
    @Test func settingsComeFromTheStepsThatUseThem() throws {
        let pipeline = try AugmentationSpec.parse("pad=50x40,hflip,resize=20x20,rotate=5,border=wrap,fill=3,interpolation=nearest")
        let decoded = try AugmentationJSON.decode(AugmentationJSON.encode(pipeline))
        #expect((decoded.steps[2] as? Resize)?.interpolation == .nearest)
        #expect((decoded.steps[0] as? PadIfNeeded).map { [$0.border == .wrap, $0.fill == 3] } == [true, true])
        let image = smoothImage()
        #expect(decoded.apply(to: image, key: RandomKey(seed: 4)) == pipeline.apply(to: image, key: RandomKey(seed: 4)))
    }

    @Test func nestedCompositionAndProbabilities() throws {
        let text = """
        {"border": "wrap", "steps": [
          {"transform": "hflip", "p": 0.25},
          {"transform": "one-of", "p": 0.8, "steps": [{"transform": "blur", "value": "0.5:2"}, "sharpen=0.2:0.4"]},
          {"transform": "some-of", "count": 2, "steps": ["invert", "equalize", {"transform": "rotate", "value": 10}]},
          {"transform": "random-order", "steps": ["to-gray", {"transform": "longest-max-size", "value": 30}]}
        ]}
        """
        let pipeline = try AugmentationJSON.decode(Data(text.utf8))
        #expect(pipeline.steps.map(\.name) == ["hflip", "one-of", "some-of", "random-order"])
        #expect(pipeline.steps[0].probability == 0.25 && pipeline.steps[1].probability == 0.8)
        let someOf = try #require(pipeline.steps[2] as? SomeOf)
        #expect(someOf.count == 2 && (someOf.steps[2] as? Rotate)?.geometry.border == .wrap)
        #expect(((pipeline.steps[3] as? RandomOrder)?.steps[1] as? LongestMaxSize)?.maxSize == 30)
        let again = try AugmentationJSON.decode(AugmentationJSON.encode(pipeline))
        #expect(try AugmentationJSON.encode(again) == AugmentationJSON.encode(pipeline))
    }

    @Test(arguments: [
        (#"{"steps": [{"transform": "rotat", "value": "20"}]}"#, "rotat=20", "unknown transform 'rotat'"),
        (#"{"steps": [{"transform": "hflip", "p": 2}]}"#, "hflip", "a probability in 0…1"),
        (#"{"steps": [{"transform": "some-of", "count": 5, "steps": ["invert"]}]}"#, "some-of", "\"count\": N with N in 0…1"),
        (#"{"steps": ["border=wrap"]}"#, "border=wrap", "a step, not a setting"),
        (#"{"stepz": []}"#, "stepz", "unknown key"),
        (#"{"steps": [{"transform": "blur", "sigma": 2}]}"#, "blur", "unknown key 'sigma'"),
        ("[1, 2", "JSON", "not valid JSON"),
    ])
    func badStepsNameThemselves(_ text: String, _ token: String, _ reason: String) {
        do {
            _ = try AugmentationJSON.decode(Data(text.utf8))
            Issue.record("accepted \(text)")
        } catch let error as AugmentationSpecError {
            #expect(error.token == token)
            #expect(error.reason.contains(reason), "\(error.reason)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func loadReadsSpecAndJSONFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("augment-json-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let specFile = directory.appendingPathComponent("pipeline.txt"), jsonFile = directory.appendingPathComponent("pipeline.json")
        try "hflip,rotate=10\n".write(to: specFile, atomically: true, encoding: .utf8)
        try AugmentationJSON.encode(try AugmentationSpec.parse("hflip,rotate=10")).write(to: jsonFile)
        #expect(try AugmentationSpec.load(specFile.path).steps.map(\.name) == ["hflip", "rotate"])
        #expect(try AugmentationSpec.load(jsonFile.path).steps.map(\.name) == ["hflip", "rotate"])
        #expect(try AugmentationSpec.load("vflip").steps.map(\.name) == ["vflip"])
    }
}
