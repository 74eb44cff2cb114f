import Foundation
import Learning
import Testing

/// The HDF5 reader on the fixture files h5py and Keras wrote.
@Suite struct HDF5FileTests {
    let fixtures = References.fixtures

    @Test func fixedLengthStringAttributesAndFlatDatasets() throws {
        let file = try HDF5File(path: fixtures.url("small-legacy.h5").path)
        let names = try file.strings(attribute: "layer_names", of: "/")
        #expect(names.first == "input_1" && names.last == "predictions" && names.count == 23)
        #expect(try file.strings(attribute: "weight_names", of: "/block1_conv1") == ["block1_conv1_W_1:0", "block1_conv1_b_1:0"])
        // Keras writes an empty float array for a layer without weights.
        #expect(try file.strings(attribute: "weight_names", of: "/block1_pool") == [])
        let kernel = try file.dataset("/block1_conv1/block1_conv1_W_1:0")
        #expect(kernel.shape == [3, 3, 3, 4] && kernel.values.count == 108)
        #expect(file.kind(of: "/block1_conv1") == .group)
        #expect(file.kind(of: "/block1_conv1/block1_conv1_W_1:0") == .dataset)
        #expect(file.kind(of: "/block1_conv1/nothing/here") == nil)
    }

    @Test func variableLengthStringsAndNestedPaths() throws {
        let file = try HDF5File(path: fixtures.url("small-tfkeras.h5").path)
        #expect(!file.hasAttribute("layer_names", of: "/"))
        #expect(try file.strings(attribute: "layer_names", of: "/model_weights") == ["input_1", "vgg16", "flatten", "fc1", "fc2", "predictions"])
        let weightNames = try file.strings(attribute: "weight_names", of: "/model_weights/vgg16")
        #expect(weightNames.count == 26 && weightNames[1] == "block1_conv1/bias:0")
        #expect(try file.dataset("/model_weights/vgg16/block1_conv1/bias:0").shape == [4])
        #expect(try file.members(of: "/model_weights/vgg16") == ["block1_conv1", "block1_conv2", "block2_conv1", "block2_conv2",
                                                                "block3_conv1", "block3_conv2", "block3_conv3", "block4_conv1",
                                                                "block4_conv2", "block4_conv3", "block5_conv1", "block5_conv2", "block5_conv3"])
    }

    @Test func chunkedAttributesScalarsAndTypes() throws {
        let path = fixtures.url("attributes.h5").path
        let file = try HDF5File(path: path)
        // Keras splits an attribute over 64 kB into name0, name1…: read back as one array.
        #expect(try file.strings(attribute: "layer_names", of: "/") == ["block1_conv1", "block1_conv2", "block1_pool"])
        #expect(try file.strings(attribute: "title", of: "/") == ["weights"])
        #expect(throws: HDF5Error(file: path, object: "/", reason: "attribute 'count' is not a string attribute")) {
            try file.strings(attribute: "count", of: "/")
        }
        // float64 converts to Float; integers are refused.
        #expect(try file.dataset("/group/doubles") == HDF5Dataset(shape: [1, 3], values: [0.5, -1.25, 3]))
        #expect(throws: HDF5Error(file: path, object: "/group/integers", reason: "not a floating-point dataset")) {
            try file.dataset("/group/integers")
        }
        #expect(try file.members(of: "/") == ["group"])
        #expect(throws: HDF5Error(file: path, object: "/group/doubles", reason: "not a group")) { try file.members(of: "/group/doubles") }
        // Its layer_names make it look like a Keras file, whose layers are then missing.
        #expect(throws: HDF5Error(file: path, object: "/block1_conv1", reason: "listed in layer_names but not a group in the file")) {
            try VGG16.make(inputShape: [32, 32, 3], filters: [1, 1, 1, 1, 1]).loadWeights(from: fixtures.url("attributes.h5"))
        }
    }

    @Test func errorsNameTheFileAndTheObject() throws {
        let path = fixtures.url("small-legacy.h5").path
        let file = try HDF5File(path: path)
        #expect(throws: HDF5Error(file: path, object: "/fc9", reason: "no such dataset")) { try file.dataset("/fc9") }
        #expect(throws: HDF5Error(file: path, object: "/fc1", reason: "not a dataset")) { try file.dataset("/fc1") }
        #expect(throws: HDF5Error(file: path, object: "/fc1", reason: "no attribute 'layer_names'")) {
            try file.strings(attribute: "layer_names", of: "/fc1")
        }
        // A scalar string attribute reads as one element.
        #expect(try file.strings(attribute: "keras_version", of: "/") == ["1.2.2"])
        #expect(throws: HDF5Error(file: "/no/such.h5", object: "", reason: "no such file")) { try HDF5File(path: "/no/such.h5") }
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let text = folder.write("text.h5", Data("not hdf5".utf8))
        #expect(throws: HDF5Error(file: text, object: "", reason: "not an HDF5 file")) { try HDF5File(path: text) }
        let truncated = folder.write("truncated.h5", fixtures.data("small-legacy.h5").prefix(3000))
        #expect(throws: HDF5Error.self) {
            let file = try HDF5File(path: truncated)
            for name in try file.strings(attribute: "layer_names", of: "/") { _ = try file.members(of: "/" + name) }
        }
    }
}
