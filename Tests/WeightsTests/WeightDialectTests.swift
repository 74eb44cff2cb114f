import Foundation
import Learning
import Tensors
import Testing

/// Every dialect loads the fixture weights with a correct report, and the network then
/// computes what Keras 3 and PyTorch computed with the same files.
///
/// Tolerances: both sides run float32 with different summation orders (oneDNN's blocked
/// kernels here, PyTorch's CPU kernels under Keras 3 and PyTorch); over 13 convolutions and
/// 3 dense layers that leaves differences of a few 1e-6 relative to the largest value (the
/// script's own Keras-vs-PyTorch differences are of that size). `1e-4` of the largest value
/// still catches any layout mistake (a transposed kernel or a CHW flatten changes values by
/// their own magnitude).
@Suite struct WeightDialectTests {
    let references = References.shared
    let fixtures = References.fixtures
    static let tolerance: Float = 1e-4

    func expectOutputs(of model: Sequential, match expected: References.Outputs, _ what: String,
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let input = preprocessedFixtureImage(height: references.height, width: references.width)
        let predictions = model(input).scalars
        expectClose(predictions, expected.predictions, relative: Self.tolerance, "\(what) predictions", sourceLocation: sourceLocation)
        let base = model.layer(named: "vgg16") as? Sequential
        if let base {
            expectClose(base(input).scalars, expected.block5Pool, relative: Self.tolerance, "\(what) block5_pool", sourceLocation: sourceLocation)
        }
    }

    /// The base alone, loaded from the same file, gives block5_pool (and ignores the top).
    func expectFeatures(from file: String, match expected: References.Outputs, unexpected: Int) throws {
        let base = try references.base()
        let report = try base.loadWeights(from: fixtures.url(file))
        #expect(report.applied.count == 26)
        #expect(report.missing.isEmpty)
        #expect(report.unexpected.count == unexpected, "\(report.unexpected)")
        let input = preprocessedFixtureImage(height: references.height, width: references.width)
        expectClose(base(input).scalars, expected.block5Pool, relative: Self.tolerance, "\(file) base block5_pool")
    }

    @Test func kerasOneLegacyFile() throws {
        let model = try references.flatModel()
        let report = try model.loadWeights(from: fixtures.url("small-legacy.h5"))
        #expect(report.format == WeightsFormat.kerasLegacy.description)
        #expect(report.applied.count == 32)
        #expect(report.missing.isEmpty && report.unexpected.isEmpty && report.mismatched.isEmpty)
        #expect(report.sources["block1_conv1.kernel"] == "/block1_conv1/block1_conv1_W_1:0")
        #expect(report.sources["predictions.bias"] == "/predictions/predictions_b_1:0")
        let input = preprocessedFixtureImage(height: references.height, width: references.width)
        expectClose(model(input).scalars, references.kerasLegacy.predictions, relative: Self.tolerance, "legacy predictions")
        expectClose(model(input).scalars, references.torch.predictions, relative: Self.tolerance, "legacy vs PyTorch predictions")
        try expectFeatures(from: "small-legacy.h5", match: references.kerasLegacy, unexpected: 6)
    }

    @Test func tfKerasNestedFileUnderModelWeights() throws {
        let model = try references.nestedModel()
        let report = try model.loadWeights(from: fixtures.url("small-tfkeras.h5"))
        #expect(report.applied.count == 32 && report.missing.isEmpty && report.unexpected.isEmpty)
        #expect(report.sources["vgg16.block1_conv1.kernel"] == "/model_weights/vgg16/block1_conv1/kernel:0")
        #expect(report.sources["fc1.kernel"] == "/model_weights/fc1/fc1/kernel:0")
        #expect(report.sources["fc2.kernel"] == "/model_weights/fc2/fc2_1/kernel:0")
        try expectOutputs(of: model, match: references.kerasTFKeras, "tf.keras")
        // Layers match by name wherever they are nested: the flat VGG16 takes the same weights.
        let flat = try references.flatModel()
        #expect(try flat.loadWeights(from: fixtures.url("small-tfkeras.h5")).applied.count == 32)
        let input = preprocessedFixtureImage(height: references.height, width: references.width)
        expectClose(flat(input).scalars, references.kerasTFKeras.predictions, relative: Self.tolerance, "tf.keras flat")
        try expectFeatures(from: "small-tfkeras.h5", match: references.kerasTFKeras, unexpected: 6)
    }

    @Test func keras3WeightsFileByLayerName() throws {
        let model = try references.nestedModel()
        let report = try model.loadWeights(from: fixtures.url("small.weights.h5"))
        #expect(report.format == WeightsFormat.keras3.description)
        #expect(report.applied.count == 32 && report.missing.isEmpty && report.unexpected.isEmpty)
        #expect(report.sources["vgg16.block1_conv1.kernel"] == "/layers/functional/layers/conv2d/vars/0")
        #expect(report.sources["vgg16.block5_conv3.bias"] == "/layers/functional/layers/conv2d_12/vars/1")
        #expect(report.sources["predictions.kernel"] == "/layers/dense_2/vars/0")
        try expectOutputs(of: model, match: references.keras3, "Keras 3")
        try expectFeatures(from: "small.weights.h5", match: references.keras3, unexpected: 6)
        // A base named otherwise takes the file's only nested model.
        let renamed = try Sequential(name: "features", inputShape: references.inputShape, layers: try references.base().layers)
        #expect(try renamed.loadWeights(from: fixtures.url("small.weights.h5")).applied.count == 26)
    }

    @Test func keras3WeightsFileByClassOrderWhenNamesDiffer() throws {
        // Keras's own rule: the k-th Dense takes `dense_k`, whatever the layers are called.
        let model = try references.nestedModel(headNames: ["dense", "dense_1", "dense_2"])
        let report = try model.loadWeights(from: fixtures.url("small.weights.h5"))
        #expect(report.applied.count == 32 && report.missing.isEmpty && report.unexpected.isEmpty)
        #expect(report.sources["dense_1.kernel"] == "/layers/dense_1/vars/0")
        try expectOutputs(of: model, match: references.keras3, "Keras 3 by class order")
    }

    @Test func torchvisionKeyedSafetensors() throws {
        let model = try references.flatModel()
        let report = try model.loadWeights(from: fixtures.url("small-torchvision.safetensors"))
        #expect(report.format == WeightsFormat.torchvision.description)
        #expect(report.applied.count == 32 && report.missing.isEmpty && report.unexpected.isEmpty)
        #expect(report.sources["block1_conv2.kernel"] == "features.2.weight")
        #expect(report.sources["block5_conv3.kernel"] == "features.28.weight")
        #expect(report.sources["fc2.kernel"] == "classifier.3.weight")
        let input = preprocessedFixtureImage(height: references.height, width: references.width)
        expectClose(model(input).scalars, references.torch.predictions, relative: Self.tolerance, "torchvision predictions")
        // The same weights as the Keras files: HWIO kernels, transposed Linear weights, fc1's rows
        // from C×H×W to H×W×C order.
        let keras = try references.flatModel()
        try keras.loadWeights(from: fixtures.url("small-legacy.h5"))
        for (path, tensor) in keras.weightTensors { #expect(model.weightTensors[path] == tensor, "\(path)") }
        try expectFeatures(from: "small-torchvision.safetensors", match: references.torch, unexpected: 6)
    }

    @Test func invariantSafetensorsIntoTheModelAndIntoItsBase() throws {
        let source = try references.nestedModel()
        try source.loadWeights(from: fixtures.url("small.weights.h5"))
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        try SafeTensors.write(SafeTensors.Contents(tensors: source.weightTensors), to: folder.url("classifier.safetensors"))
        let model = try references.nestedModel()
        let report = try model.loadWeights(from: folder.url("classifier.safetensors"))
        #expect(report.format == WeightsFormat.invariant.description)
        #expect(report.applied.count == 32 && report.unexpected.isEmpty)
        try expectOutputs(of: model, match: references.keras3, "Invariant safetensors")
        // The base takes its part, its own name stripped from the paths.
        let base = try references.base()
        let baseReport = try base.loadWeights(from: folder.url("classifier.safetensors"))
        #expect(baseReport.applied.count == 26)
        #expect(baseReport.sources["block1_conv1.kernel"] == "vgg16.block1_conv1.kernel")
        #expect(baseReport.unexpected == ["fc1.bias", "fc1.kernel", "fc2.bias", "fc2.kernel", "predictions.bias", "predictions.kernel"])
    }

    @Test func reportDescribesEachList() throws {
        let base = try references.base()
        let report = try base.loadWeights(from: fixtures.url("small-legacy.h5"))
        let text = report.description
        #expect(text.hasPrefix("Keras legacy HDF5: applied 26 tensors, 0 missing, 6 unexpected, 0 shape-mismatched"))
        #expect(text.contains("unexpected (ignored): /fc1/fc1_W_1:0"))
    }
}
