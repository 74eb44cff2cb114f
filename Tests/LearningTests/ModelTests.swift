import Foundation
import Learning
import Tensors
import Testing

/// Layers, models, summaries and configurations.
@Suite struct ModelTests {
    /// Keras's parameter counts: the MNIST example network and VGG16 without its top.
    @Test func parameterCountsMatchKeras() throws {
        let small = try Architecture.smallCNN.make(inputShape: [28, 28, 1], classes: 10)
        #expect(small.parameterCounts.trainable == 1_199_882)
        let vgg = try VGG16.make(includeTop: false, inputShape: [150, 150, 3])
        #expect(vgg.parameterCounts == (trainable: 14_714_688, nonTrainable: 0))
        #expect(vgg.outputShape == [4, 4, 512])
        #expect(vgg.layers.map(\.name).prefix(3) == ["block1_conv1", "block1_conv2", "block1_pool"])
        let top = try VGG16.make(includeTop: true, inputShape: [224, 224, 3])
        #expect(top.parameterCounts.trainable == 138_357_544)
    }

    /// tf.keras 2's layout: 65 columns, fields at 0, 29 and 55, totals with separators;
    /// batch normalisation's moving statistics are non-trainable.
    @Test func summaryHasKerasLayout() throws {
        let model = try smallModel()
        let lines = model.summary.split(separator: "\n").map(String.init)
        #expect(lines[0] == "Model: \"tiny\"")
        #expect(lines[1] == String(repeating: "_", count: 65))
        #expect(lines[2] == "Layer (type)                 Output Shape              Param #   ")
        #expect(lines[3] == String(repeating: "=", count: 65))
        #expect(lines[6] == "conv2d (Conv2D)              (None, 8, 8, 4)           40        ")
        #expect(lines.contains("batch_normalization (BatchNo (None, 8, 8, 4)           16        "))
        #expect(lines.contains("Total params: 316"))
        #expect(lines.contains("Trainable params: 308"))
        #expect(lines.contains("Non-trainable params: 8"))
        #expect(lines.last == String(repeating: "_", count: 65))
    }

    @Test func repeatedNamesGetKerasSuffixes() throws {
        let model = try Sequential(inputShape: [4], layers: [Dense(units: 3), Dense(units: 3), Dense(units: 2)])
        #expect(model.layers.map(\.name) == ["dense", "dense_1", "dense_2"])
        #expect(model.namedWeights.map(\.path) == ["dense.kernel", "dense.bias", "dense_1.kernel", "dense_1.bias",
                                                    "dense_2.kernel", "dense_2.bias"])
    }

    /// A nested base's weights are prefixed with its name; freezing it freezes them.
    @Test func nestedModelsPrefixAndFreeze() throws {
        let model = try Architecture.vgg16.make(inputShape: [32, 32, 3], classes: 3)
        #expect(model.namedWeights.first?.path == "vgg16.block1_conv1.kernel")
        model.layer(named: "vgg16")!.trainable = false
        #expect(model.parameterCounts.nonTrainable == 14_714_688)
        #expect(model.trainableWeights.count == 4)
    }

    /// The JSON configuration recreates the same architecture; with the weights loaded the
    /// outputs are identical.
    @Test func configurationRoundTrips() throws {
        let model = try smallModel(seed: 3)
        let json = try ModelConfiguration.json(of: model)
        let copy = try ModelConfiguration.model(fromJSON: json, seed: 99)
        #expect(try ModelConfiguration.json(of: copy) == json)
        try copy.load(model.weightTensors)
        let input = quadrantImages(count: 4, seed: 5).images
        #expect(copy(input) == model(input))
    }

    @Test func badConfigurationsNameTheProblem() throws {
        #expect(throws: ModelConfigurationError.self) {
            try ModelConfiguration.model(fromJSON: #"{"class_name": "Sequential", "config": {"name": "m", "input_shape": [4], "layers": [{"class_name": "Dense2", "config": {"name": "d"}}]}}"#)
        }
        do {
            _ = try ModelConfiguration.model(fromJSON: #"{"class_name": "Sequential", "config": {"name": "m", "input_shape": [4], "layers": [{"class_name": "Dense", "config": {"name": "d", "units": -3}}]}}"#)
            Issue.record("a negative unit count was accepted")
        } catch {
            #expect("\(error)" == "layer d: setting 'units' must be an integer ≥ 1")
        }
        #expect(throws: ModelConfigurationError.self) {
            try Sequential(inputShape: [8, 8, 1], layers: [Dense(units: 2)])  // Dense needs Flatten first
        }
        #expect(throws: ModelConfigurationError.self) { try ModelConfiguration.model(fromJSON: "not json") }
    }

    /// caffe preprocessing: RGB→BGR minus the ImageNet means; the input is left as it was.
    @Test func preprocessInputModes() {
        let pixel = Tensor(shape: [1, 1, 1, 3], scalars: [10, 20, 30])
        let caffe: [Float] = [30 - 103.939, 20 - 116.779, 10 - 123.68]
        #expect(preprocessInput(pixel, mode: .caffe).scalars == caffe)
        #expect(pixel.scalars == [10, 20, 30])
        let tf: [Float] = [10 / 127.5 - 1, 20 / 127.5 - 1, 30 / 127.5 - 1]
        #expect(preprocessInput(pixel, mode: .tf).scalars == tf)
        let torch = preprocessInput(pixel, mode: .torch).scalars
        #expect(abs(torch[0] - (10 / 255 - 0.485) / 0.229) < 1e-6)
    }

    @Test func safetensorsRoundTripAndRefusesMalformedFiles() throws {
        let tensors = ["b": Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]), "a": Tensor(shape: [], scalars: [7])]
        let data = try SafeTensors.encode(SafeTensors.Contents(tensors: tensors, metadata: ["format": "x"]))
        let headerLength = data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        #expect(headerLength % 8 == 0)
        let decoded = try SafeTensors.decode(data)
        #expect(decoded.tensors == tensors && decoded.metadata == ["format": "x"])
        #expect(throws: SafeTensors.FormatError.self) { try SafeTensors.decode(Data([1, 2, 3])) }
        #expect(throws: SafeTensors.FormatError.self) { try SafeTensors.decode(data.prefix(data.count - 4)) }
        var huge = data
        huge.replaceSubrange(0..<8, with: [0, 0, 0, 0, 0, 0, 1, 0])
        #expect(throws: SafeTensors.FormatError.self) { try SafeTensors.decode(huge) }
        let overlapping = #"{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"y":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#
        var bytes = Data()
        withUnsafeBytes(of: UInt64(overlapping.utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(Data(overlapping.utf8))
        bytes.append(Data(count: 4))
        do {
            _ = try SafeTensors.decode(bytes, path: "w.safetensors")
            Issue.record("overlapping tensors were accepted")
        } catch {
            #expect("\(error)" == "w.safetensors: not a valid safetensors file: tensors 'x' and 'y' overlap")
        }
    }

    @Test func loadingReportsAndRefusesShapeMismatches() throws {
        let model = try smallModel()
        var tensors = model.weightTensors
        tensors["extra.kernel"] = Tensor(zeros: [1])
        let report = try model.load(tensors)
        #expect(report.applied.count == model.namedWeights.count && report.unexpected == ["extra.kernel"])
        tensors["conv2d.kernel"] = Tensor(zeros: [3, 3, 1, 5])
        #expect(throws: WeightLoadError.shapeMismatch(name: "conv2d.kernel", model: [3, 3, 1, 4], file: [3, 3, 1, 5])) {
            try model.load(tensors)
        }
        tensors.removeValue(forKey: "conv2d.kernel")
        #expect(throws: WeightLoadError.self) { try model.load(tensors) }
    }
}
