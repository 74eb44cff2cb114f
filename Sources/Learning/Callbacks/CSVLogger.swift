import Foundation
import InvariantCore

/// Keras's `CSVLogger`: after every epoch the history so far, as `History.csv` lays it out
/// (`epoch` 0-based, then the sorted keys). The whole file is rewritten atomically each
/// epoch, so an interrupted run leaves a complete file; with `append`, rows already in the
/// file are kept in front.
public final class CSVLogger: Callback {
    public let file: URL
    public let append: Bool
    private var previousRows: [String] = []

    public init(file: URL, append: Bool = false) {
        self.file = file
        self.append = append
    }

    public func trainBegin(_ fit: FitState) {
        previousRows = []
        if append, let text = try? String(contentsOf: file, encoding: .utf8) {
            previousRows = text.split(separator: "\n").dropFirst().map(String.init)
        }
    }

    public func epochEnd(_ epoch: Int, logs: inout Logs, _ fit: FitState) {
        var history = fit.history
        history.append(epoch: epoch, logs: logs)
        var lines = history.csv.split(separator: "\n").map(String.init)
        lines.insert(contentsOf: previousRows, at: 1)
        try? AtomicFile.write(lines.joined(separator: "\n") + "\n", to: file)
    }
}
