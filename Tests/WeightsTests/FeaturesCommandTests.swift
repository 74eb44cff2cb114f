import Foundation
import Imaging
import Learning
import Tensors
import Testing

/// `invariant features` and `invariant train --weights`, end to end.
@Suite struct FeaturesCommandTests {
    let references = References.shared

    /// A folder with the full-size formula weights as Invariant safetensors and the fixture
    /// image as a PNG of the full-size test's side.
    func makeFiles(_ folder: TemporaryDirectory) throws -> (weights: String, image: String) {
        let weights = folder.url("formula.safetensors")
        try SafeTensors.write(SafeTensors.Contents(tensors: FormulaWeights.tensors()), to: weights)
        let size = references.fullSize
        let pixels = fixtureImage(height: size, width: size).scalars.map { UInt8($0) }
        let image = folder.write("image.png", try ImageEncoder.png(Image(width: size, height: size, channels: 3, pixels: pixels)))
        return (weights.path, image)
    }

    @Test func jsonFeaturesMatchKeras() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let (weights, image) = try makeFiles(folder)
        let size = String(references.fullSize)
        // An unreadable image is reported by name; the others still print (exit status 1).
        let missing = folder.path + "/missing.png"
        let result = invariant(["features", missing, image, "--model", "vgg16", "--weights", weights, "--size", size, "--json"])
        #expect(result.status == 1)
        #expect(result.error.contains("Invariant safetensors: applied 26 tensors, 0 missing, 0 unexpected"))
        #expect(result.error.contains("\n\(missing): "), "\(result.error)")
        #expect(result.output.split(separator: "\n").count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(object["path"] as? String == image)
        #expect(object["shape"] as? [Int] == [references.fullSize / 32, references.fullSize / 32, 512])
        let features = try #require(object["features"] as? [Double]).map { Float($0) }
        expectClose(features, references.fullKeras, relative: 1e-4, "features command vs Keras")

        // Average pooling: one value per channel, the mean of the map Keras computed.
        let pooled = invariant(["features", image, "--weights", weights, "--size", size, "--pooling", "avg"])
        #expect(pooled.status == 0, "\(pooled.error)")
        let lines = pooled.output.split(separator: "\n")
        #expect(lines.contains { $0 == "\(image): 512" })
        let values = try #require(lines.last).split(separator: " ").compactMap { Float($0) }
        let positions = references.fullKeras.count / 512
        let means = (0..<512).map { c in (0..<positions).map { references.fullKeras[$0 * 512 + c] }.reduce(0, +) / Float(positions) }
        expectClose(values, means, relative: 1e-4, "average-pooled features")
    }

    @Test func libraryCallGivesTheSameFeatures() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let (weights, image) = try makeFiles(folder)
        let size = references.fullSize
        let (extractor, report) = try FeatureExtractor.vgg16(weights: URL(fileURLWithPath: weights), height: size, width: size)
        #expect(report.applied.count == 26)
        #expect(extractor.featureShape == [size / 32, size / 32, 512])
        expectClose(try extractor.features(ofImageAt: image).scalars, references.fullKeras, relative: 1e-4, "FeatureExtractor")
    }

    @Test(arguments: [
        (["features", "a.png", "--weights", "w.h5", "--pooling", "mean"], "--pooling: 'mean' is not one of none, avg, max"),
        (["features", "a.png", "--weights", "w.h5", "--model", "resnet50"], "--model: 'resnet50' is not one of vgg16"),
        (["features", "a.png"], "--weights FILE|NAME is required"),
        (["features", "--weights", "w.h5"], "missing IMAGE…"),
        (["features", "a.png", "--weights", "w.h5", "--size", "16"], "--size: VGG16 needs images of at least 32×32"),
        (["train", "--model", "small-cnn", "--weights", "w.h5"], "--weights applies to --model vgg16 only"),
    ])
    func badFlagsNameTheFlag(_ arguments: [String], _ message: String) {
        let result = invariant(arguments)
        #expect(result.status == 2)
        #expect(result.error.contains(message), "\(result.error)")
    }

    @Test func missingWeightsFileNamesIt() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let image = folder.write("a.png", Images.png(width: 40, height: 40))
        let result = invariant(["features", image, "--weights", "no_such_weights.h5"])
        #expect(result.status == 1)
        #expect(result.error.contains("no_such_weights.h5: no such file, nor in the Keras cache"), "\(result.error)")
    }

    @Test func trainLoadsTheBaseWeightsAndPrintsTheReport() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let (weights, _) = try makeFiles(folder)
        for (label, value) in [(0, UInt8(40)), (1, UInt8(200))] {
            for index in 0..<2 {
                folder.write("data/class\(label)/\(index).png", Images.png(width: 32, height: 32, value: value &+ UInt8(index)))
            }
        }
        let result = invariant(["train", "--data", folder.path + "/data", "--weights", weights, "--size", "32", "--epochs", "1",
                                "--batch", "4", "--verbose", "0", "--workers", "1", "--out", folder.path + "/run"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("Loaded the vgg16 base's weights from \(weights): Invariant safetensors: applied 26 tensors"),
                "\(result.output)")
    }
}
