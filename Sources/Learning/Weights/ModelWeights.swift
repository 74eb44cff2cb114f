import Foundation
import InvariantCore
import Tensors

/// What loading weights into a model did: which tensors were applied, which of the model's
/// weights the file lacked, and which of the file's tensors the model has no place for.
public struct WeightLoadReport: Equatable, Sendable, CustomStringConvertible {
    public var applied: [String] = []
    public var missing: [String] = []
    public var unexpected: [String] = []

    public var description: String {
        var lines = ["applied \(applied.count) tensors"]
        if !missing.isEmpty { lines.append("missing (kept their initial values): \(missing.joined(separator: ", "))") }
        if !unexpected.isEmpty { lines.append("unexpected (ignored): \(unexpected.joined(separator: ", "))") }
        return lines.joined(separator: "\n")
    }
}

/// Why weights could not be loaded.
public enum WeightLoadError: Error, CustomStringConvertible, Equatable {
    case shapeMismatch(name: String, model: [Int], file: [Int])
    case incomplete(missing: [String])

    public var description: String {
        switch self {
        case .shapeMismatch(let name, let model, let file):
            "weight '\(name)' has shape \(model) in the model but \(file) in the file"
        case .incomplete(let missing):
            "the file lacks \(missing.count) of the model's weights: \(missing.prefix(5).joined(separator: ", "))"
                + (missing.count > 5 ? ", …" : "")
        }
    }
}

extension Model {
    /// The weights by dotted path.
    public var weightTensors: [String: Tensor] {
        Dictionary(uniqueKeysWithValues: namedWeights.map { ($0.path, $0.weight.value) })
    }

    /// Sets the weights found in `tensors` (by dotted path). Nothing changes when a shape
    /// differs; with `requiresAll`, nothing changes when a weight is missing either.
    @discardableResult
    public func load(_ tensors: [String: Tensor], requiresAll: Bool = true) throws -> WeightLoadReport {
        var report = WeightLoadReport()
        let weights = namedWeights
        for (path, weight) in weights {
            guard let tensor = tensors[path] else { report.missing.append(path); continue }
            guard tensor.shape == weight.value.shape else {
                throw WeightLoadError.shapeMismatch(name: path, model: weight.value.shape, file: tensor.shape)
            }
            report.applied.append(path)
        }
        if requiresAll && !report.missing.isEmpty { throw WeightLoadError.incomplete(missing: report.missing) }
        let known = Set(weights.map(\.path))
        report.unexpected = tensors.keys.filter { !known.contains($0) }.sorted()
        for (path, weight) in weights { if let tensor = tensors[path] { weight.value = tensor } }
        return report
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

/// Reads a model saved by `Model.save(to:)`: the configuration, then the weights.
public func loadModel(from prefix: URL) throws -> Sequential {
    try loadModelWithMetadata(from: prefix).model
}

/// A saved model and the metadata stored with its weights.
public func loadModelWithMetadata(from prefix: URL) throws -> (model: Sequential, metadata: [String: String]) {
    let configurationURL = prefix.appendingPathExtension("json")
    let text: String
    do { text = try String(contentsOf: configurationURL, encoding: .utf8) } catch {
        throw CocoaError(.fileReadNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "\(configurationURL.path): cannot read the model configuration"])
    }
    let model: Sequential
    do { model = try ModelConfiguration.model(fromJSON: text) } catch {
        throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "\(configurationURL.path): \(error)"])
    }
    let contents = try SafeTensors.read(contentsOf: prefix.appendingPathExtension("safetensors"))
    try model.load(contents.tensors)
    return (model, contents.metadata)
}
