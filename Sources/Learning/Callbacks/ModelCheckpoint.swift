import Foundation

/// Keras's `ModelCheckpoint`: saves the model after each epoch to `filepath` formatted with
/// the 1-based epoch and the logs (`weights.{epoch:02d}-{val_loss:.2f}`); with `saveBestOnly`
/// only when `monitor` improves. The path is a prefix: `<path>.safetensors` holds the weights
/// and, unless `saveWeightsOnly`, `<path>.json` the configuration. Each file is written
/// atomically.
public final class ModelCheckpoint: Callback {
    public let filepath: String
    public let monitor: String
    public let saveBestOnly: Bool
    public let saveWeightsOnly: Bool
    public let verbose: Bool
    /// Strings stored in each weights file's header (e.g. the class names).
    public let metadata: [String: String]
    private let watched: Monitor
    private var best: Double
    /// The prefix of the last file written.
    public private(set) var lastSaved: URL?

    public init(filepath: String, monitor: String = "val_loss", saveBestOnly: Bool = false,
                saveWeightsOnly: Bool = false, mode: MonitorMode = .auto, initialValueThreshold: Double? = nil,
                verbose: Bool = false, metadata: [String: String] = [:]) {
        self.metadata = metadata
        self.filepath = filepath
        self.monitor = monitor
        self.saveBestOnly = saveBestOnly
        self.saveWeightsOnly = saveWeightsOnly
        self.verbose = verbose
        watched = Monitor(monitor, mode: mode)
        best = initialValueThreshold ?? watched.worst
    }

    public func epochEnd(_ epoch: Int, logs: inout Logs, _ fit: FitState) {
        let path = (try? formatPath(filepath, epoch: epoch + 1, logs: logs)) ?? filepath
        if saveBestOnly {
            guard let current = logs[monitor] else {
                fit.output.line("Can save best model only with \(monitor) available, skipping.")
                return
            }
            guard watched.improves(current, on: best) else {
                if verbose { fit.output.line("\nEpoch \(epoch + 1): \(monitor) did not improve from \(pythonRepresentation(best))") }
                return
            }
            if verbose {
                fit.output.line("\nEpoch \(epoch + 1): \(monitor) improved from \(pythonRepresentation(best)) to "
                                + "\(pythonRepresentation(current)), saving model to \(path)")
            }
            best = current
        } else if verbose {
            fit.output.line("\nEpoch \(epoch + 1): saving model to \(path)")
        }
        let prefix = URL(fileURLWithPath: path)
        do {
            if saveWeightsOnly {
                try SafeTensors.write(SafeTensors.Contents(tensors: fit.model.weightTensors, metadata: metadata),
                                      to: prefix.appendingPathExtension("safetensors"))
            } else {
                try fit.model.save(to: prefix, metadata: metadata)
            }
            lastSaved = prefix
        } catch {
            fit.output.line("ModelCheckpoint: could not save \(path): \(error)")
        }
    }
}

/// Why a checkpoint path template could not be formatted.
public struct PathTemplateError: Error, CustomStringConvertible, Equatable {
    public var template: String
    public var reason: String
    public var description: String { "path template '\(template)': \(reason)" }
}

/// Python's `str.format` for the fields a checkpoint path uses: `{epoch}`, `{epoch:02d}`,
/// `{val_loss:.2f}`, `{accuracy:.4f}` (`d` for integers, `.Nf`/`.Ne` for floats).
public func formatPath(_ template: String, epoch: Int, logs: Logs) throws -> String {
    var result = ""
    var rest = Substring(template)
    while let open = rest.firstIndex(of: "{") {
        result += rest[..<open]
        guard let close = rest[open...].firstIndex(of: "}") else {
            throw PathTemplateError(template: template, reason: "a '{' has no closing '}'")
        }
        let field = rest[rest.index(after: open)..<close]
        let parts = field.split(separator: ":", maxSplits: 1).map(String.init)
        let name = parts.first ?? ""
        let value: Double
        if name == "epoch" { value = Double(epoch) } else if let logged = logs[name] { value = logged } else {
            throw PathTemplateError(template: template, reason: "no value named '\(name)' (known: epoch, \(logs.keys.joined(separator: ", ")))")
        }
        if parts.count == 2 {
            let spec = parts[1]
            guard let kind = spec.last, "dfe".contains(kind),
                  spec.dropLast().allSatisfy({ $0.isNumber || $0 == "." }) else {
                throw PathTemplateError(template: template, reason: "format '\(spec)' is not one of Nd, .Nf, .Ne")
            }
            result += kind == "d" ? String(format: "%\(spec.dropLast())d", Int(value.rounded()))
                : String(format: "%\(spec)", value)
        } else {
            result += name == "epoch" ? String(epoch) : pythonRepresentation(value)
        }
        rest = rest[rest.index(after: close)...]
    }
    return result + rest
}
