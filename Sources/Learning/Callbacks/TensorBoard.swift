import Foundation

/// Keras's `TensorBoard` callback, scalars only: after each epoch, every training value goes
/// to `logDirectory/train` as `epoch_<name>` and every `val_` value, prefix stripped, to
/// `logDirectory/validation`; the learning rate is `epoch_learning_rate` under `train`. The
/// step is the epoch (0-based), as in Keras.
public final class TensorBoard: Callback {
    public let logDirectory: URL
    private var writers: [String: EventFileWriter] = [:]
    /// The first error met while writing (a full disk must not stop training); nil if none.
    public private(set) var writeError: Error?

    public init(logDirectory: URL) {
        self.logDirectory = logDirectory
    }

    public func epochEnd(_ epoch: Int, logs: inout Logs, _ fit: FitState) {
        for (key, value) in logs.pairs {
            let (run, name) = key.hasPrefix("val_") ? ("validation", String(key.dropFirst(4))) : ("train", key)
            do {
                try writer(for: run).addScalar("epoch_\(name)", value: Float(value), step: epoch)
            } catch {
                writeError = writeError ?? error
            }
        }
    }

    public func trainEnd(_ fit: FitState) { writers = [:] }

    private func writer(for run: String) throws -> EventFileWriter {
        if let writer = writers[run] { return writer }
        let writer = try EventFileWriter(directory: logDirectory.appendingPathComponent(run))
        writers[run] = writer
        return writer
    }
}
