import Tensors

/// What a weights dialect found for a model: for each of the model's dotted paths, the file's
/// tensor (already in Invariant's layout) and its name in the file; and the file's tensors that
/// have no place in the model.
struct WeightAssignment {
    struct Entry {
        var source: String
        var tensor: Tensor
    }

    var entries: [String: Entry] = [:]
    var unexpected: [String] = []

    mutating func assign(_ path: String, from source: String, _ tensor: Tensor) {
        entries[path] = Entry(source: source, tensor: tensor)
    }
}

/// A layer that has weights, found by walking a model depth first.
struct WeightedLayer {
    /// The layer's dotted path in the model (`vgg16.block1_conv1`).
    var path: String
    var layer: any Layer
    /// When the layer follows a `Flatten`, the shape the Flatten flattened (`[H, W, C]`):
    /// the order of a Dense kernel's rows.
    var flattenedShape: [Int]?
}

extension Model {
    /// Every layer with weights, depth first, in the model's order.
    var weightedLayers: [WeightedLayer] {
        var found: [WeightedLayer] = []
        func walk(_ model: any Model, prefix: String) {
            for (index, layer) in model.layers.enumerated() {
                let path = prefix.isEmpty ? layer.name : "\(prefix).\(layer.name)"
                if let nested = layer as? any Model {
                    walk(nested, prefix: path)
                } else if !layer.weights.isEmpty {
                    var flattened: [Int]?
                    if index > 0, model.layers[index - 1] is Flatten {
                        flattened = index > 1 ? model.outputShapes[index - 2] : model.inputShape
                    }
                    found.append(WeightedLayer(path: path, layer: layer, flattenedShape: flattened))
                }
            }
        }
        walk(self, prefix: "")
        return found
    }

    /// Checks every assigned tensor's shape, then sets them all (or nothing, on an error).
    func apply(_ assignment: WeightAssignment, options: WeightLoadOptions) throws -> WeightLoadReport {
        var report = WeightLoadReport()
        var updates: [(Weight, Tensor)] = []
        for (path, weight) in namedWeights {
            guard let entry = assignment.entries[path] else { report.missing.append(path); continue }
            guard entry.tensor.shape == weight.value.shape else {
                let mismatch = ShapeMismatch(name: path, source: entry.source, model: weight.value.shape, file: entry.tensor.shape)
                if options.skipsMismatched { report.mismatched.append(mismatch); continue }
                throw WeightLoadError.shapeMismatch(name: path == entry.source ? path : "\(path) (file: \(entry.source))",
                                                    model: mismatch.model, file: mismatch.file)
            }
            report.applied.append(path)
            report.sources[path] = entry.source
            updates.append((weight, entry.tensor))
        }
        if options.requiresAll && !report.missing.isEmpty { throw WeightLoadError.incomplete(missing: report.missing) }
        report.unexpected = assignment.unexpected.sorted()
        for (weight, tensor) in updates { weight.value = tensor }
        return report
    }
}
