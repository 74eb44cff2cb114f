import Foundation
import Tensors

/// The weight-file dialects `Model.loadWeights(from:)` reads, recognised by content.
public enum WeightsFormat: String, Sendable, CaseIterable, CustomStringConvertible {
    /// Keras 1/2 and tf.keras HDF5 (`layer_names`, `weight_names`).
    case kerasLegacy = "keras-legacy-h5"
    /// Keras 3 `.weights.h5` (`layers/<layer>/vars/<i>`).
    case keras3 = "keras3-weights-h5"
    /// torchvision-keyed safetensors (`features.0.weight`, OIHW).
    case torchvision = "torchvision-safetensors"
    /// Invariant's safetensors: dotted paths (`block1_conv1.kernel`), Invariant's layouts.
    case invariant = "invariant-safetensors"

    public var description: String {
        switch self {
        case .kerasLegacy: "Keras legacy HDF5"
        case .keras3: "Keras 3 .weights.h5"
        case .torchvision: "torchvision-keyed safetensors"
        case .invariant: "Invariant safetensors"
        }
    }
}

/// Finding weight files, and why one cannot be used.
public enum WeightsFile {
    public struct NotFound: Error, CustomStringConvertible, Equatable {
        public var name: String
        public var searched: [String]
        public init(name: String, searched: [String]) {
            self.name = name
            self.searched = searched
        }
        public var description: String {
            "\(name): no such file" + (searched.isEmpty ? "" : ", nor in the Keras cache (\(searched.joined(separator: ", ")))")
        }
    }

    public struct UnsupportedFile: Error, CustomStringConvertible, Equatable {
        public var path: String
        public var reason: String
        public init(path: String, reason: String) {
            self.path = path
            self.reason = reason
        }
        public var description: String { "\(path): \(reason)" }
    }

    /// Keras's cache of downloaded weights: `$KERAS_HOME/models`, else `~/.keras/models`.
    public static func kerasCacheDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let home = environment["KERAS_HOME"], !home.isEmpty {
            return URL(fileURLWithPath: home).appendingPathComponent("models")
        }
        let home = environment["HOME"].map { URL(fileURLWithPath: $0) } ?? FileManager.default.homeDirectoryForCurrentUser
        return home.appendingPathComponent(".keras/models")
    }

    /// A path to an existing file, or a bare file name found in the Keras cache (so
    /// `vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5` finds the file Keras downloaded).
    public static func locate(_ name: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> URL {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: name, isDirectory: &isDirectory) {
            guard !isDirectory.boolValue else { throw UnsupportedFile(path: name, reason: "a directory, not a weights file") }
            return URL(fileURLWithPath: name)
        }
        guard !name.contains("/") else { throw NotFound(name: name, searched: []) }
        let cached = kerasCacheDirectory(environment: environment).appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: cached.path) else { throw NotFound(name: name, searched: [cached.deletingLastPathComponent().path]) }
        return cached
    }

    /// The file's leading bytes (at most 8).
    static func signature(of url: URL) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw FileManager.default.fileExists(atPath: url.path) ? UnsupportedFile(path: url.path, reason: "the file is not readable")
                : NotFound(name: url.path, searched: [])
        }
        defer { try? handle.close() }
        return [UInt8](try handle.read(upToCount: 8) ?? Data())
    }

    static let hdf5Signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]
}

extension Model {
    /// Loads weights from a file in any supported dialect (`WeightsFormat`), found by content:
    /// Keras legacy `.h5`, Keras 3 `.weights.h5`, torchvision-keyed or Invariant safetensors.
    /// Layouts are converted to Invariant's (HWIO kernels, `[in, out]` Dense kernels). Nothing
    /// changes unless every check passes; the report says what was applied, missing,
    /// unexpected and (with `skipsMismatched`) skipped.
    @discardableResult
    public func loadWeights(from url: URL, options: WeightLoadOptions = WeightLoadOptions()) throws -> WeightLoadReport {
        let signature = try WeightsFile.signature(of: url)
        let format: WeightsFormat
        let assignment: WeightAssignment
        if signature == WeightsFile.hdf5Signature {
            let file = try HDF5File(path: url.path)
            if let root = KerasLegacyWeights.root(of: file) {
                format = .kerasLegacy
                assignment = try KerasLegacyWeights.assignment(for: self, file: file, root: root)
            } else if Keras3Weights.isKeras3(file) {
                format = .keras3
                assignment = try Keras3Weights.assignment(for: self, file: file)
            } else {
                throw WeightsFile.UnsupportedFile(path: url.path, reason: "an HDF5 file without Keras weights "
                    + "(neither a layer_names attribute nor a layers group)")
            }
        } else if signature.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            throw WeightsFile.UnsupportedFile(path: url.path, reason: "a zip archive (a Keras .keras model?): "
                + "extract its model.weights.h5 and load that")
        } else {
            let tensors = try SafeTensors.read(contentsOf: url).tensors
            let known = Set(namedWeights.map(\.path))
            if TorchvisionWeights.isTorchvision(tensors.keys) && !tensors.keys.contains(where: known.contains) {
                format = .torchvision
                assignment = TorchvisionWeights.assignment(for: self, tensors: tensors)
            } else {
                format = .invariant
                assignment = invariantAssignment(tensors)
            }
        }
        var report = try apply(assignment, options: options)
        report.format = format.description
        return report
    }

    /// Dotted paths as they are, or without the model's own name in front (a file saved from
    /// a classifier, loaded into its `vgg16` base): whichever finds more of the model's weights.
    func invariantAssignment(_ tensors: [String: Tensor]) -> WeightAssignment {
        let known = Set(namedWeights.map(\.path))
        let prefix = name + "."
        let stripped = tensors.keys.filter { $0.hasPrefix(prefix) && known.contains(String($0.dropFirst(prefix.count))) }.count
        let direct = tensors.keys.filter(known.contains).count
        var assignment = WeightAssignment()
        for (key, tensor) in tensors {
            let path = stripped > direct && key.hasPrefix(prefix) ? String(key.dropFirst(prefix.count)) : key
            if known.contains(path) { assignment.assign(path, from: key, tensor) } else { assignment.unexpected.append(key) }
        }
        return assignment
    }
}
