/// A weight whose shape in the file differs from the model's.
public struct ShapeMismatch: Equatable, Sendable, CustomStringConvertible {
    /// The model's dotted path (`vgg16.block1_conv1.kernel`).
    public var name: String
    /// Where the tensor is in the file (`/block1_conv1/block1_conv1_W_1:0`, `features.0.weight`).
    public var source: String
    public var model: [Int]
    public var file: [Int]

    public var description: String {
        "\(name) (file: \(source)): model \(model), file \(file)"
    }
}

/// What loading weights into a model did: which of the model's weights were set (and from
/// which tensor of the file), which the file lacked, which of the file's tensors the model has
/// no place for, and which were skipped because their shapes differ.
public struct WeightLoadReport: Equatable, Sendable, CustomStringConvertible {
    /// The file's dialect, when loaded from a file (`Keras legacy HDF5 (.h5)`…).
    public var format: String?
    /// The model's dotted paths that were set, in the model's order.
    public var applied: [String] = []
    /// For each applied path, the tensor of the file it came from.
    public var sources: [String: String] = [:]
    /// The model's weights the file lacks (they keep their values).
    public var missing: [String] = []
    /// The file's tensors that went nowhere, by their names in the file.
    public var unexpected: [String] = []
    /// Weights skipped for their shapes (only when the options allow skipping; otherwise a
    /// mismatch is an error).
    public var mismatched: [ShapeMismatch] = []

    public init() {}

    public var description: String {
        var lines = [(format.map { "\($0): " } ?? "") + "applied \(applied.count) tensors"
                     + ", \(missing.count) missing, \(unexpected.count) unexpected, \(mismatched.count) shape-mismatched"]
        if !missing.isEmpty { lines.append("missing (kept their values): \(missing.joined(separator: ", "))") }
        if !unexpected.isEmpty { lines.append("unexpected (ignored): \(unexpected.joined(separator: ", "))") }
        if !mismatched.isEmpty { lines.append("shape-mismatched (skipped): \(mismatched.map(\.description).joined(separator: "; "))") }
        return lines.joined(separator: "\n")
    }
}

/// How strictly weights load.
public struct WeightLoadOptions: Sendable {
    /// Refuse to load (changing nothing) when the file lacks any of the model's weights.
    public var requiresAll: Bool
    /// Skip tensors whose shapes differ and report them (Keras's `skip_mismatch`), instead of
    /// failing.
    public var skipsMismatched: Bool

    public init(requiresAll: Bool = true, skipsMismatched: Bool = false) {
        self.requiresAll = requiresAll
        self.skipsMismatched = skipsMismatched
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
