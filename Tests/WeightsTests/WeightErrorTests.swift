import Foundation
import Learning
import Tensors
import Testing

/// Missing, malformed and mismatched weight files: errors that name the file and the tensor,
/// and a model left unchanged.
@Suite struct WeightErrorTests {
    let references = References.shared
    let fixtures = References.fixtures

    @Test func shapeMismatchNamesTheTensorAndBothShapesAndChangesNothing() throws {
        var filters = references.filters
        filters[4] *= 2
        let model = try VGG16.make(includeTop: false, inputShape: references.inputShape, filters: filters)
        let before = model.weightTensors
        #expect(throws: WeightLoadError.shapeMismatch(name: "block5_conv1.kernel (file: /block5_conv1/block5_conv1_W_1:0)",
                                                      model: [3, 3, 16, 32], file: [3, 3, 16, 16])) {
            try model.loadWeights(from: fixtures.url("small-legacy.h5"))
        }
        #expect(model.weightTensors == before)
        // Keras's skip_mismatch: the rest loads, the mismatches are reported.
        let report = try model.loadWeights(from: fixtures.url("small-legacy.h5"),
                                           options: WeightLoadOptions(requiresAll: false, skipsMismatched: true))
        #expect(report.applied.count == 20)
        #expect(report.mismatched.map(\.name) == ["block5_conv1.kernel", "block5_conv1.bias", "block5_conv2.kernel",
                                                  "block5_conv2.bias", "block5_conv3.kernel", "block5_conv3.bias"])
        #expect(report.mismatched[0].description == "block5_conv1.kernel (file: /block5_conv1/block5_conv1_W_1:0): model [3, 3, 16, 32], file [3, 3, 16, 16]")
    }

    @Test func torchvisionShapeMismatchNamesTheKey() throws {
        let model = try VGG16.make(includeTop: false, inputShape: references.inputShape, filters: [4, 8, 8, 16, 8])
        #expect(throws: WeightLoadError.shapeMismatch(name: "block5_conv1.kernel (file: features.24.weight)",
                                                      model: [3, 3, 16, 8], file: [3, 3, 16, 16])) {
            try model.loadWeights(from: fixtures.url("small-torchvision.safetensors"))
        }
    }

    @Test func incompleteFileIsAnErrorUnlessAllowed() throws {
        // A model with a layer the file has nothing for.
        let model = try Sequential(name: "classifier", inputShape: references.inputShape,
                                   layers: [try references.base(), BatchNormalization(name: "extra")])
        let missing = ["extra.gamma", "extra.beta", "extra.moving_mean", "extra.moving_variance"]
        #expect(throws: WeightLoadError.incomplete(missing: missing)) {
            try model.loadWeights(from: fixtures.url("small.weights.h5"))
        }
        let report = try model.loadWeights(from: fixtures.url("small.weights.h5"), options: WeightLoadOptions(requiresAll: false))
        #expect(report.missing == missing)
        #expect(report.applied.count == 26)
    }

    @Test func missingFileAndKerasCacheLookup() throws {
        let model = try references.base()
        #expect(throws: WeightsFile.NotFound(name: "/no/such/weights.h5", searched: [])) {
            try model.loadWeights(from: URL(fileURLWithPath: "/no/such/weights.h5"))
        }
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        folder.makeFolder("keras/models")
        let environment = ["KERAS_HOME": folder.path + "/keras", "HOME": folder.path]
        #expect(throws: WeightsFile.NotFound(name: "vgg16_notop.h5", searched: [folder.path + "/keras/models"])) {
            try WeightsFile.locate("vgg16_notop.h5", environment: environment)
        }
        let cached = folder.write("keras/models/vgg16_notop.h5", fixtures.data("small-legacy.h5"))
        #expect(try WeightsFile.locate("vgg16_notop.h5", environment: environment).path == cached)
        #expect(try model.loadWeights(from: WeightsFile.locate("vgg16_notop.h5", environment: environment)).applied.count == 26)
        // Without KERAS_HOME: ~/.keras/models.
        #expect(WeightsFile.kerasCacheDirectory(environment: ["HOME": "/home/user"]).path == "/home/user/.keras/models")
        #expect(throws: WeightsFile.UnsupportedFile(path: folder.path, reason: "a directory, not a weights file")) {
            try WeightsFile.locate(folder.path, environment: environment)
        }
    }

    @Test func malformedFilesAreErrorsNamingTheFile() throws {
        let model = try references.base()
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let garbage = folder.write("garbage.safetensors", Data([0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 1, 2, 3]))
        #expect(throws: SafeTensors.FormatError.self) { try model.loadWeights(from: URL(fileURLWithPath: garbage)) }
        do {
            try model.loadWeights(from: URL(fileURLWithPath: garbage))
        } catch {
            #expect(String(describing: error).hasPrefix(garbage + ": not a valid safetensors file"))
        }
        let plain = fixtures.url("plain.h5").path
        #expect(throws: WeightsFile.UnsupportedFile(path: plain, reason: "an HDF5 file without Keras weights (neither a layer_names attribute nor a layers group)")) {
            try model.loadWeights(from: URL(fileURLWithPath: plain))
        }
        let zip = folder.write("model.keras", Data([0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0]))
        #expect(throws: WeightsFile.UnsupportedFile.self) { try model.loadWeights(from: URL(fileURLWithPath: zip)) }
        let truncated = folder.write("truncated.h5", fixtures.data("small.weights.h5").prefix(4096))
        do {
            try model.loadWeights(from: URL(fileURLWithPath: truncated))
            Issue.record("a truncated file loaded")
        } catch {
            #expect(String(describing: error).hasPrefix(truncated + ":"), "\(error)")
        }
    }
}
