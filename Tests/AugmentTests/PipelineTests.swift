import Augment
import Foundation
import Imaging
import InvariantCore
import Testing

@Suite struct PipelineTests {
    let spec = "hflip,rotate=20,zoom=0.8:1.2,shift=0.1,brightness=0.8:1.2"

    @Test func sameKeySameResultDifferentKeyDifferentResult() throws {
        let pipeline = try AugmentationSpec.parse(spec)
        let image = ramp(width: 32, height: 24)
        let key = RandomKey.augmentation(seed: 7, epoch: 0, sampleIndex: 3)
        #expect(pipeline.apply(to: image, key: key) == pipeline.apply(to: image, key: key))
        let otherEpoch = RandomKey.augmentation(seed: 7, epoch: 1, sampleIndex: 3)
        #expect(pipeline.record(for: ImageSize(width: 32, height: 24), key: key)
            != pipeline.record(for: ImageSize(width: 32, height: 24), key: otherEpoch))
    }

    @Test func replayEqualsOriginal() throws {
        let pipeline = try AugmentationSpec.parse(spec)
        let image = ramp(width: 20, height: 20)
        let key = RandomKey.augmentation(seed: 1, epoch: 2, sampleIndex: 5)
        let record = pipeline.record(for: ImageSize(width: 20, height: 20), key: key)
        let data = try JSONEncoder().encode(record)
        let decoded = try JSONDecoder().decode([AppliedAugmentation].self, from: data)
        #expect(decoded == record)
        #expect(pipeline.replay(decoded, on: image) == pipeline.apply(to: image, key: key))
    }

    @Test func identityParametersGiveTheIdenticalImage() throws {
        let pipeline = try AugmentationSpec.parse("rotate=0:0,zoom=1:1,shift=0:0,shear=0:0,brightness=1:1,gamma=1:1")
        let image = ramp(width: 16, height: 9)
        #expect(pipeline.apply(to: image, key: RandomKey(seed: 3)) == image)
    }

    /// Step i draws from key.derived(i): adding a step at the end changes nothing before it.
    @Test func stepsDrawIndependently() throws {
        let short = try AugmentationSpec.parse("rotate=30")
        let long = try AugmentationSpec.parse("rotate=30,brightness=0.5:1.5")
        let size = ImageSize(width: 10, height: 10)
        let key = RandomKey(seed: 11)
        #expect(short.record(for: size, key: key)[0] == long.record(for: size, key: key)[0])
    }

    @Test func probabilityIsRespected() throws {
        let pipeline = try AugmentationSpec.parse("hflip=0.25")
        let size = ImageSize(width: 4, height: 4)
        let fired = (0..<4000).filter { !pipeline.record(for: size, key: RandomKey(seed: UInt64($0))).isEmpty }.count
        #expect(abs(Double(fired) / 4000 - 0.25) < 0.03)
    }

    @Test func drawsStayInTheirRanges() throws {
        let pipeline = try AugmentationSpec.parse("rotate=-5:15,zoom=0.9:1.1")
        for seed in 0..<200 {
            let record = pipeline.record(for: ImageSize(width: 8, height: 8), key: RandomKey(seed: UInt64(seed)))
            #expect((-5.0...15.0).contains(record[0].parameters["degrees"]!))
            #expect((0.9...1.1).contains(record[1].parameters["x"]!))
        }
    }
}

@Suite struct SpecTests {
    @Test func parsesEveryTransform() throws {
        let pipeline = try AugmentationSpec.parse(
            "hflip,vflip=1,rotate=20,zoom=0.2,shift=0.1,shear=10,brightness=0.8:1.2,brightness-shift=20,gamma=0.8:1.2,border=constant,fill=128,interpolation=bicubic")
        #expect(pipeline.steps.map(\.name) == ["hflip", "vflip", "rotate", "zoom", "shift", "shear", "brightness",
                                              "brightness-shift", "gamma"])
        let rotate = try #require(pipeline.steps[2] as? Rotate)
        #expect(rotate.degrees == -20...20)
        #expect(rotate.geometry == GeometryOptions(interpolation: .bicubic, border: .constant, fill: 128))
        let zoom = try #require(pipeline.steps[3] as? Zoom)
        #expect(abs(zoom.factors.lowerBound - 0.8) < 1e-12 && abs(zoom.factors.upperBound - 1.2) < 1e-12)
    }

    @Test func parsesCropsAndLevelSteps() throws {
        let pipeline = try AugmentationSpec.parse(
            "crop=20x10,center-crop=8x8,resize=16x16,random-resized-crop=12x12,pad=20x20,transpose,rotate90=1,invert,solarize=100,posterize=3:5,rgb-shift=15")
        #expect(pipeline.steps.map(\.name) == ["random-crop", "center-crop", "resize", "random-resized-crop", "pad", "transpose",
                                              "rotate90", "invert", "solarize", "posterize", "rgb-shift"])
        let output = pipeline.apply(to: ramp(width: 40, height: 30), key: RandomKey(seed: 2))
        #expect(output.width == 20 && output.height == 20)  // pad=20x20 after the 12×12 crop; the turns keep a square
    }

    @Test(arguments: [
        ("crop=20", "expected a size WxH"),
        ("posterize=0:9", "values must lie within 1.0…8.0"),
        ("posterize=2.5:4", "whole numbers of bits in 1…8"),
        ("rotat=20", "unknown transform 'rotat'"),
        ("rotate", "needs a value"),
        ("zoom=1.2:0.8", "expected LO:HI with numbers LO ≤ HI"),
        ("zoom=1.5", "factors must stay above 0"),
        ("hflip=2", "expected a probability in 0…1"),
        ("border=mirror", "expected border=constant|replicate|reflect|reflect101|wrap"),
        ("hflip,,vflip", "empty token"),
        ("shear=95", "values must lie within -89.0…89.0"),
    ])
    func badTokensNameThemselves(_ spec: String, _ reason: String) {
        do {
            _ = try AugmentationSpec.parse(spec)
            Issue.record("'\(spec)' was accepted")
        } catch let error as AugmentationSpecError {
            #expect(error.reason.contains(reason), "\(error.reason)")
            #expect(error.description.contains("accepted tokens"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
