import Foundation
import Learning
import Tensors
import Testing

/// Full-size VGG16 (no top) with the formula weights, against Keras's
/// `keras.applications.VGG16` and a torchvision-structured PyTorch VGG16 holding the same
/// weights (only their outputs are committed: the weights would be 59 MB).
///
/// Tolerance: the features reach several hundred after 13 layers of float32 arithmetic
/// summed in different orders; Keras and PyTorch themselves differ by about 2e-6 of the
/// largest value. `1e-4` of it catches any layout or padding mistake.
@Suite struct FullSizeVGG16Tests {
    let references = References.shared

    @Test func formulaWeightsMatchKerasAndPyTorch() throws {
        let size = references.fullSize
        let model = try VGG16.make(includeTop: false, inputShape: [size, size, 3])
        #expect(model.parameterCounts.trainable == 14_714_688)
        try model.load(FormulaWeights.tensors())
        let output = model(preprocessedFixtureImage(height: size, width: size)).scalars
        expectClose(output, references.fullKeras, relative: 1e-4, "full VGG16 vs Keras")
        expectClose(output, references.fullTorch, relative: 1e-4, "full VGG16 vs PyTorch")
    }

    /// The full-size files `Tools/make_fixtures.sh weights --full DIR` writes, when
    /// `INVARIANT_VGG16_FORMULA_DIR` names that folder: each dialect gives the formula's values.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["INVARIANT_VGG16_FORMULA_DIR"] != nil))
    func fullSizeFilesInEveryDialect() throws {
        let folder = URL(fileURLWithPath: ProcessInfo.processInfo.environment["INVARIANT_VGG16_FORMULA_DIR"]!)
        let expected = FormulaWeights.tensors()
        for name in ["vgg16-formula-legacy.h5", "vgg16-formula.weights.h5", "vgg16-formula-torchvision.safetensors"] {
            let model = try VGG16.make(includeTop: false, inputShape: [32, 32, 3])
            let report = try model.loadWeights(from: folder.appendingPathComponent(name))
            #expect(report.applied.count == 26 && report.unexpected.isEmpty, "\(name): \(report)")
            #expect(model.weightTensors == expected, "\(name)")
        }
    }

    /// The ImageNet file Keras downloads, when it is in the Keras cache.
    @Test(.enabled(if: (try? WeightsFile.locate("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5")) != nil))
    func kerasImageNetFileFromTheCache() throws {
        let model = try VGG16.make(includeTop: false, inputShape: [150, 150, 3])
        let report = try model.loadWeights(from: WeightsFile.locate("vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5"))
        #expect(report.applied.count == 26 && report.missing.isEmpty && report.unexpected.isEmpty)
        #expect(report.sources["block1_conv1.kernel"] == "/block1_conv1/block1_conv1_W_1:0")
    }
}
