import Foundation
import InvariantCore
import Tensors

extension Model {
    /// The weights by dotted path.
    public var weightTensors: [String: Tensor] {
        Dictionary(uniqueKeysWithValues: namedWeights.map { ($0.path, $0.weight.value) })
    }

    /// Sets the weights found in `tensors` (by dotted path). Nothing changes when a shape
    /// differs; with `requiresAll`, nothing changes when a weight is missing either.
    @discardableResult
    public func load(_ tensors: [String: Tensor], requiresAll: Bool = true) throws -> WeightLoadReport {
        var assignment = WeightAssignment()
        let known = Set(namedWeights.map(\.path))
        for (path, tensor) in tensors {
            if known.contains(path) { assignment.assign(path, from: path, tensor) } else { assignment.unexpected.append(path) }
        }
        return try apply(assignment, options: WeightLoadOptions(requiresAll: requiresAll))
    }

    /// Writes the model as `<prefix>.json` (configuration) and `<prefix>.safetensors` (weights,
    /// with `metadata` — e.g. the class names — in its header), each atomically.
    public func save(to prefix: URL, metadata: [String: String] = [:]) throws {
        try SafeTensors.write(SafeTensors.Contents(tensors: weightTensors,
                                                   metadata: metadata.merging(["format": "invariant-model"]) { $1 }),
                              to: prefix.appendingPathExtension("safetensors"))
        try AtomicFile.write(try ModelConfiguration.json(of: self) + "\n", to: prefix.appendingPathExtension("json"))
    }
}

/// Reads a model saved by `Model.save(to:)` (a `Sequential` or a `Functional`): the
/// configuration, then the weights.
public func loadModel(from prefix: URL) throws -> any Model {
    try loadModelWithMetadata(from: prefix).model
}

/// A saved model and the metadata stored with its weights.
public func loadModelWithMetadata(from prefix: URL) throws -> (model: any Model, metadata: [String: String]) {
    let configurationURL = prefix.appendingPathExtension("json")
    let text: String
    do { text = try String(contentsOf: configurationURL, encoding: .utf8) } catch {
        throw CocoaError(.fileReadNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "\(configurationURL.path): cannot read the model configuration"])
    }
    let model: any Model
    do { model = try ModelConfiguration.anyModel(fromJSON: text) } catch {
        throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "\(configurationURL.path): \(error)"])
    }
    let contents = try SafeTensors.read(contentsOf: prefix.appendingPathExtension("safetensors"))
    try model.load(contents.tensors)
    return (model, contents.metadata)
}
