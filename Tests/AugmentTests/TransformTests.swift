import Augment
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
