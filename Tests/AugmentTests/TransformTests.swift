import Augment
import Foundation
import Imaging
import InvariantCore
import Testing

@Suite struct TransformTests {
    let image = ramp(width: 7, height: 5)
    let key = RandomKey(seed: 21)

    func apply(_ steps: [any Augmentation], to image: Image<UInt8>? = nil) -> Image<UInt8> {
        AugmentationPipeline(steps).apply(to: image ?? self.image, key: key)
    }

    @Test func cropsAreExact() {
        let center = apply([CenterCrop(size: ImageSize(width: 3, height: 3))])
        #expect(center == image.cropped(to: PixelRect(x: 2, y: 1, width: 3, height: 3)))
        let pipeline = AugmentationPipeline([RandomCrop(size: ImageSize(width: 4, height: 2))])
        let record = pipeline.record(for: ImageSize(width: 7, height: 5), key: key)
        let x = Int(record[0].parameters["x"]!), y = Int(record[0].parameters["y"]!)
        #expect(pipeline.replay(record, on: image) == image.cropped(to: PixelRect(x: x, y: y, width: 4, height: 2)))
    }

    @Test func transposeAndQuarterTurnsAreExact() {
        let transposed = apply([Transpose(probability: 1)])
        #expect(transposed.width == 5 && transposed.height == 7)
        for y in 0..<7 { for x in 0..<5 { #expect(transposed[x, y, 1] == image[y, x, 1]) } }
        for seed in 0..<8 {
            let pipeline = AugmentationPipeline([RandomRotate90(probability: 1)])
            let key = RandomKey(seed: UInt64(seed))
            let turns = Int(pipeline.record(for: ImageSize(width: 7, height: 5), key: key)[0].parameters["turns"]!)
            let turned = pipeline.apply(to: image, key: key)
            // The top-right pixel after one counter-clockwise turn is the input's bottom-right.
            let (x, y): (Int, Int) = switch turns { case 1: (6, 4); case 2: (0, 4); case 3: (0, 0); default: (6, 0) }
            #expect(turned[turned.width - 1, 0, 0] == image[x, y, 0], "turns \(turns)")
        }
    }

    /// OpenCV's INTER_LINEAR mapping: x_in = (x_out + 0.5)·s − 0.5, edges replicated.
    @Test func resizeUsesPixelCentres() {
        let row = Image<UInt8>(width: 2, height: 1, channels: 1, pixels: [0, 100])
        let wide = apply([Resize(size: ImageSize(width: 4, height: 1))], to: row)
        #expect(wide.pixels == [0, 25, 75, 100])
    }

    @Test func randomResizedCropHasTheTargetSize() {
        for seed in 0..<20 {
            let result = AugmentationPipeline([RandomResizedCrop(size: ImageSize(width: 6, height: 4))])
                .apply(to: ramp(width: 40, height: 30), key: RandomKey(seed: UInt64(seed)))
            #expect(result.width == 6 && result.height == 4)
        }
    }

    @Test func padCentresTheImage() {
        let padded = apply([PadIfNeeded(size: ImageSize(width: 9, height: 9), border: .constant, fill: 5)])
        #expect(padded.width == 9 && padded.height == 9)
        #expect(padded[0, 0, 0] == 5 && padded[1, 2, 0] == image[0, 0, 0] && padded[7, 6, 2] == image[6, 4, 2])
    }

    @Test func levelTablesFollowPIL() {
        let levels = Image<UInt8>(width: 4, height: 1, channels: 1, pixels: [0, 100, 128, 255])
        #expect(apply([Solarize(threshold: 128, probability: 1)], to: levels).pixels == [0, 100, 127, 0])
        #expect(apply([Posterize(bits: 2...2, probability: 1)], to: levels).pixels == [0, 64, 128, 192])
        #expect(apply([Invert(probability: 1)], to: levels).pixels == [255, 155, 127, 0])
        let shifted = AugmentationPipeline([RGBShift(offsets: 10...10, channels: 1, probability: 1)]).apply(to: levels, key: key)
        #expect(shifted.pixels == [10, 110, 138, 255])
    }

    @Test func oneOfAppliesExactlyOne() {
        let pipeline = AugmentationPipeline([OneOf([Invert(probability: 1), Solarize(threshold: 0, probability: 1)])])
        var choices = Set<Double>()
        for seed in 0..<40 {
            let record = pipeline.record(for: ImageSize(width: 7, height: 5), key: RandomKey(seed: UInt64(seed)))
            #expect(record.count == 1 && record[0].operations.count == 1)
            choices.insert(record[0].parameters["choice"]!)
        }
        #expect(choices == [0, 1])
    }

    /// The steps' probabilities weigh the choice: 0.9 against 0.1.
    @Test func oneOfWeighsByProbability() {
        let pipeline = AugmentationPipeline([OneOf([Invert(probability: 0.9), Solarize(threshold: 0, probability: 0.1)])])
        let firsts = (0..<2000).filter { seed in
            pipeline.record(for: ImageSize(width: 7, height: 5), key: RandomKey(seed: UInt64(seed)))[0].parameters["choice"] == 0
        }.count
        #expect(abs(Double(firsts) / 2000 - 0.9) < 0.03)
    }

    @Test func someOfPicksTheRequestedNumber() {
        let steps: [any Augmentation] = [Invert(probability: 1), Posterize(bits: 4...4, probability: 1), Solarize(probability: 1)]
        for seed in 0..<20 {
            let record = AugmentationPipeline([SomeOf(steps, count: 2)])
                .record(for: ImageSize(width: 7, height: 5), key: RandomKey(seed: UInt64(seed)))
            #expect(record[0].operations.count == 2)
        }
    }

    /// Later steps see the canvas earlier steps produced.
    @Test func stepsSeeTheCanvasBeforeThem() {
        let pipeline = AugmentationPipeline([CenterCrop(size: ImageSize(width: 4, height: 4)), HorizontalFlip(probability: 1)])
        let result = pipeline.apply(to: image, key: key)
        let crop = image.cropped(to: PixelRect(x: 1, y: 0, width: 4, height: 4))
        for y in 0..<4 { for x in 0..<4 { #expect(result[x, y, 0] == crop[3 - x, y, 0]) } }
    }
}

/// Inputs that once crashed or silently misbehaved (found in review).
@Suite struct RobustnessTests {
    @Test(arguments: ["shift=1e17", "brightness=1e39:1e39", "rotate=1e308", "zoom=0.001:2", "gamma=0:1"])
    func outOfRangeSpecValuesAreRefused(_ spec: String) {
        #expect(throws: AugmentationSpecError.self) { try AugmentationSpec.parse(spec) }
    }

    @Test func rgbShiftLeavesExtraChannelsAndHandlesGray() throws {
        let gray = Image<UInt8>(width: 3, height: 1, channels: 1, pixels: [0, 100, 250])
        let shifted = AugmentationPipeline([RGBShift(offsets: 10...10, probability: 1)]).apply(to: gray, key: RandomKey(seed: 1))
        #expect(shifted.pixels == [10, 110, 255])
        let rgba = Image<UInt8>(width: 1, height: 1, channels: 4, pixels: [0, 0, 0, 77])
        let result = AugmentationPipeline([RGBShift(offsets: 10...10, probability: 1)]).apply(to: rgba, key: RandomKey(seed: 1))
        #expect(result.pixels == [10, 10, 10, 77])
    }

    @Test func decodedRecordsAreValidated() {
        let shortTable = #"[{"name":"x","parameters":{},"operations":[{"lookup":{"_0":{"tables":[[1,2,3]]}}}]}]"#
        #expect(throws: (any Error).self) { try JSONDecoder().decode([AppliedAugmentation].self, from: Data(shortTable.utf8)) }
    }

    /// A crop ends a fused run: padding after it shows the border, not the content the crop removed.
    @Test func cropsAreFusionBarriers() {
        let image = ramp(width: 9, height: 9)
        let crop = ImageOperation.warp(.translation(x: -3, y: -3), size: ImageSize(width: 3, height: 3), interpolation: .nearest,
                                       border: .constant, fill: 0)
        let pad = ImageOperation.warp(.translation(x: 1, y: 1), size: ImageSize(width: 5, height: 5), interpolation: .nearest,
                                      border: .constant, fill: 0)
        let result = ImageOperation.execute([crop, pad], on: image)
        #expect(result[0, 0, 0] == 0 && result[4, 4, 0] == 0)  // fill, not image[2, 2] / image[6, 6]
        #expect(result[1, 1, 0] == image[3, 3, 0])
    }

    @Test func shearNeverCollapsesTheImage() {
        let map = AffineTransform.shear(x: 60, y: 60, about: (5, 5))
        #expect(abs(map.a * map.e - map.b * map.d - 1) < 1e-12)
    }

    @Test func hugeMapsGiveTheFill() {
        let image = ramp(width: 4, height: 4)
        let result = image.warped(by: .scaling(x: 1e-12, y: 1e-12, about: (0, 0)), to: ImageSize(width: 4, height: 4), fill: 9)
        #expect(result.pixels.allSatisfy { $0 == 9 })
    }

    /// A map within the size guard whose rows still reach billions of pixels outside (an
    /// inverse shear of 10⁶ px per row): no trap converting positions, the border beyond row 0.
    @Test(arguments: [1, 3])
    func rowsFarOutsideReadTheBorder(channels: Int) {
        let image = Image<UInt8>(width: 8, height: 8, channels: channels, pixels: (0..<64 * channels).map { UInt8($0 % 251) })
        let inverse = AffineTransform(a: 1, b: 1e6, c: 0, d: 0, e: 1, f: 0)
        let result = image.warped(by: inverse.inverse!, to: ImageSize(width: 8, height: 3000), fill: 9)
        #expect(result.withUnsafeSamples { pixels, stride in pixels[0] == image.pixels[0] && pixels[2999 * stride] == 9 })
    }

    @Test func kerasAcceptsNegativeRanges() {
        var generator = KerasImageDataGenerator()
        generator.rotationRange = -10
        var random = RandomKey(seed: 1).generator()
        let theta = generator.randomParameters(for: ImageSize(width: 8, height: 8), using: &random).theta
        #expect(abs(theta) <= 10)
    }
}

@Suite struct PixelOperationTests {
    let key = RandomKey(seed: 4)

    @Test func toGrayUsesPillowsLuma() {
        let image = Image<UInt8>(width: 2, height: 1, channels: 3, pixels: [255, 0, 0, 10, 200, 30])
        let gray = AugmentationPipeline([ToGray(probability: 1)]).apply(to: image, key: key)
        // (255·19595 + 32768) >> 16 = 76; (10·19595 + 200·38470 + 30·7471 + 32768) >> 16 = 124
        #expect(gray.pixels == [76, 76, 76, 124, 124, 124])
    }

    /// PIL: two levels of 255 pixels each → step (510 − 255) / 255 = 1 → 10 ↦ 0, 20 ↦ 255.
    @Test func equalizeFollowsPIL() {
        let image = Image<UInt8>(width: 510, height: 1, channels: 1, pixels: [UInt8](repeating: 10, count: 255) + [UInt8](repeating: 20, count: 255))
        let equalized = AugmentationPipeline([Equalize(probability: 1)]).apply(to: image, key: key)
        #expect(Set(equalized.pixels) == [0, 255])
        #expect(equalized.pixels.first == 0 && equalized.pixels.last == 255)
        let flat = Image<UInt8>(width: 4, height: 1, channels: 1, pixels: [7, 7, 7, 7])
        #expect(AugmentationPipeline([Equalize(probability: 1)]).apply(to: flat, key: key) == flat)
    }

    @Test func dropoutErasesItsRectangle() throws {
        let image = Image<UInt8>(width: 20, height: 10, channels: 1, pixels: [UInt8](repeating: 200, count: 200))
        let pipeline = AugmentationPipeline([CoarseDropout(holes: 2...2, sides: 0.2...0.2, fill: 0, probability: 1)])
        let result = pipeline.apply(to: image, key: key)
        let erased = result.pixels.filter { $0 == 0 }.count
        #expect(erased > 0 && erased <= 2 * 4 * 2)  // two 4×2 holes, possibly overlapping
    }

    @Test func noiseIsSeededAndHasTheRequestedSpread() {
        let image = Image<UInt8>(width: 100, height: 100, channels: 1, pixels: [UInt8](repeating: 128, count: 10_000))
        let pipeline = AugmentationPipeline([GaussNoise(sigmas: 10...10, probability: 1)])
        let noisy = pipeline.apply(to: image, key: key)
        #expect(noisy == pipeline.apply(to: image, key: key))
        let values = noisy.pixels.map { Double($0) - 128 }
        let sd = (values.map { $0 * $0 }.reduce(0, +) / Double(values.count)).squareRoot()
        #expect(abs(sd - 10) < 0.5)
    }

    @Test func specTokensParse() throws {
        let pipeline = try AugmentationSpec.parse("to-gray=1,equalize,dropout=0.1:0.3,noise=2:8")
        #expect(pipeline.steps.map(\.name) == ["to-gray", "equalize", "dropout", "noise"])
        let record = pipeline.record(for: ImageSize(width: 8, height: 8), key: key)
        let decoded = try JSONDecoder().decode([AppliedAugmentation].self, from: JSONEncoder().encode(record))
        #expect(decoded == record)
    }
}
