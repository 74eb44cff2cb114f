import Foundation
import Tensors

/// Keras's `BackupAndRestore`: `fit` writes its whole state — weights, optimizer slots and
/// step count, learning rate, the position in the data (epoch and step), the epoch's running
/// means, the history and the model's configuration — to one safetensors file after every
/// epoch and when interrupted,
/// and a later `fit` with the same backup continues from there. The file is written
/// atomically and removed when training completes.
///
/// Callback state (an early-stopping patience count, a plateau's best value) is not kept,
/// as in Keras.
public struct BackupAndRestore: Sendable {
    public let file: URL

    public init(directory: URL) {
        file = directory.appendingPathComponent("backup.safetensors")
    }

    struct Restored {
        var epoch: Int
        var batch: Int
        var running: RunningMeans
        var history: History
    }

    func save(model: any Model, optimizer: Optimizer, epoch: Int, batch: Int, running: RunningMeans,
              history: History) throws {
        var tensors: [String: Tensor] = [:]
        let parameters = Dictionary(uniqueKeysWithValues: model.namedWeights.map { ($0.path, $0.weight) })
        for (path, weight) in parameters { tensors["model/\(path)"] = weight.value }
        let optimizerState = optimizer.state(naming: parameters.mapValues(\.variable))
        for (key, tensor) in optimizerState.slots { tensors["optimizer/\(key)"] = tensor }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let metadata = [
            "format": "invariant-backup",
            "epoch": String(epoch),
            "batch": String(batch),
            "iterations": String(optimizerState.iterations),
            "learning_rate": String(optimizer.learningRate.bitPattern),
            "history": String(decoding: try encoder.encode(history), as: UTF8.self),
            "running": String(decoding: try encoder.encode(running), as: UTF8.self),
            // What the weights belong to, readable without the run's model.json.
            "config": try ModelConfiguration.json(of: model),
        ]
        try SafeTensors.write(SafeTensors.Contents(tensors: tensors, metadata: metadata), to: file)
    }

    /// Loads the backup into the model and optimizer; nil when there is none.
    func restore(into model: any Model, optimizer: Optimizer) throws -> Restored? {
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        let contents = try SafeTensors.read(contentsOf: file)
        func invalid(_ what: String) -> SafeTensors.FormatError {
            SafeTensors.FormatError(path: file.path, reason: "backup metadata '\(what)' is missing or malformed")
        }
        let metadata = contents.metadata
        guard metadata["format"] == "invariant-backup" else { throw invalid("format") }
        guard let epoch = metadata["epoch"].flatMap(Int.init) else { throw invalid("epoch") }
        guard let batch = metadata["batch"].flatMap(Int.init) else { throw invalid("batch") }
        guard let iterations = metadata["iterations"].flatMap(Int.init) else { throw invalid("iterations") }
        guard let rate = metadata["learning_rate"].flatMap(UInt32.init) else { throw invalid("learning_rate") }
        let decoder = JSONDecoder()
        guard let history = metadata["history"].flatMap({ try? decoder.decode(History.self, from: Data($0.utf8)) }) else {
            throw invalid("history")
        }
        guard let running = metadata["running"].flatMap({ try? decoder.decode(RunningMeans.self, from: Data($0.utf8)) }) else {
            throw invalid("running")
        }
        var weights: [String: Tensor] = [:], slots: [String: Tensor] = [:]
        for (name, tensor) in contents.tensors {
            if name.hasPrefix("model/") { weights[String(name.dropFirst(6))] = tensor }
            else if name.hasPrefix("optimizer/") { slots[String(name.dropFirst(10))] = tensor }
        }
        try model.load(weights)
        let parameters = Dictionary(uniqueKeysWithValues: model.namedWeights.map { ($0.path, $0.weight.variable) })
        try optimizer.restore(OptimizerState(iterations: iterations, slots: slots), naming: parameters)
        optimizer.learningRate = Float(bitPattern: rate)
        return Restored(epoch: epoch, batch: batch, running: running, history: history)
    }

    func remove() throws {
        if FileManager.default.fileExists(atPath: file.path) { try FileManager.default.removeItem(at: file) }
    }
}
