import Tensors

/// Keras's HDF5 weights before Keras 3 (`save_weights` to `.h5`, or `model.save` to `.h5`,
/// whose weights sit under `model_weights`): the root lists `layer_names`; each layer's group
/// lists `weight_names`, paths relative to the group — flat in Keras 1 files such as
/// `vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5` (`block1_conv1_W_1:0`), nested in
/// tf.keras files (`block1_conv1/kernel:0`; a nested model's group `vgg16` holds
/// `block1_conv1/kernel:0`…). Kernels are HWIO, Dense kernels `[in, out]`: Invariant's layouts.
///
/// A weight belongs to the layer named by the component before its last (`block1_conv1` in
/// `block1_conv1/kernel:0`) when the model has a layer of that name — so a nested model's
/// group serves its layers — and otherwise to the layer whose group holds it (flat names, and
/// TensorFlow 1's uniquified scopes such as `fc1_1/kernel:0` in group `fc1`). The model's
/// layers take their weights by name, in order (kernel, bias), wherever they are nested.
enum KerasLegacyWeights {
    /// The group holding `layer_names`, or nil when the file is not in this dialect.
    static func root(of file: HDF5File) -> String? {
        if file.hasAttribute("layer_names", of: "/") || file.hasAttribute("layer_names0", of: "/") { return "/" }
        for candidate in ["/model_weights"] where file.kind(of: candidate) == .group {
            if file.hasAttribute("layer_names", of: candidate) || file.hasAttribute("layer_names0", of: candidate) { return candidate }
        }
        return nil
    }

    static func assignment(for model: any Model, file: HDF5File, root: String) throws -> WeightAssignment {
        // Each owner's weights in the file's order: (path in the file, owner).
        let weighted = model.weightedLayers
        let layerNames = Set(weighted.map(\.layer.name))
        var owned: [String: [String]] = [:]
        var order: [String] = []
        for layerName in try file.strings(attribute: "layer_names", of: root) {
            let group = HDF5File.join(root, layerName)
            guard file.kind(of: group) == .group else {
                throw HDF5Error(file: file.path, object: group, reason: "listed in layer_names but not a group in the file")
            }
            for weightName in try file.strings(attribute: "weight_names", of: group) {
                let components = weightName.split(separator: "/").map(String.init)
                let scope = components.count >= 2 ? components[components.count - 2] : layerName
                let owner = layerNames.contains(scope) ? scope : layerName
                if owned[owner] == nil { order.append(owner) }
                owned[owner, default: []].append(HDF5File.join(group, weightName))
            }
        }
        var assignment = WeightAssignment()
        for weighted in weighted {
            guard let sources = owned.removeValue(forKey: weighted.layer.name) else { continue }
            for (weight, source) in zip(weighted.layer.weights, sources) {
                let dataset = try file.dataset(source)
                assignment.assign("\(weighted.path).\(weight.name)", from: source, Tensor(shape: dataset.shape, scalars: dataset.values))
            }
            assignment.unexpected += sources.dropFirst(weighted.layer.weights.count)
        }
        assignment.unexpected += order.compactMap { owned[$0] }.joined()
        return assignment
    }
}
