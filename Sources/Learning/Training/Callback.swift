import Foundation
import Tensors

/// Hooks into `fit`, Keras's `Callback` methods. Every method has an empty default.
public protocol Callback: AnyObject {
    func trainBegin(_ fit: FitState)
    func epochBegin(_ epoch: Int, _ fit: FitState)
    /// After each training step; `logs` holds the epoch's running means so far.
    func batchEnd(_ batch: Int, logs: Logs, _ fit: FitState)
    /// After validation; a callback may add values to `logs` (they reach the history).
    func epochEnd(_ epoch: Int, logs: inout Logs, _ fit: FitState)
    func trainEnd(_ fit: FitState)
}

extension Callback {
    public func trainBegin(_ fit: FitState) {}
    public func epochBegin(_ epoch: Int, _ fit: FitState) {}
    public func batchEnd(_ batch: Int, logs: Logs, _ fit: FitState) {}
    public func epochEnd(_ epoch: Int, logs: inout Logs, _ fit: FitState) {}
    public func trainEnd(_ fit: FitState) {}
}

/// What a callback sees of the running fit, and how it stops it.
public final class FitState {
    public let model: any Model
    public let optimizer: Optimizer
    public let epochs: Int
    /// Training steps per epoch.
    public let steps: Int
    public let output: TrainingOutput
    /// Set to end training after the current step (`model.stop_training = True`).
    public var stopsTraining = false
    public internal(set) var history: History

    init(model: any Model, optimizer: Optimizer, epochs: Int, steps: Int, output: TrainingOutput, history: History) {
        self.model = model
        self.optimizer = optimizer
        self.epochs = epochs
        self.steps = steps
        self.output = output
        self.history = history
    }
}

/// Where training writes its progress: standard output by default (redrawn in place on a
/// terminal), or any line sink.
public struct TrainingOutput: Sendable {
    public let write: @Sendable (String) -> Void
    /// Whether the destination redraws lines in place (`\r`).
    public let isTerminal: Bool

    public init(isTerminal: Bool, write: @escaping @Sendable (String) -> Void) {
        self.isTerminal = isTerminal
        self.write = write
    }

    public static var standard: TrainingOutput {
        TrainingOutput(isTerminal: isatty(STDOUT_FILENO) != 0) { text in
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    /// Prints nothing.
    public static let silent = TrainingOutput(isTerminal: false) { _ in }

    func line(_ text: String) { write(text + "\n") }
}

/// How much `fit` and `evaluate` print: Keras's `verbose` 0, 1 and 2.
public enum Verbosity: Int, Sendable, CaseIterable {
    /// Nothing.
    case silent = 0
    /// A progress bar, redrawn on a terminal; one line per epoch elsewhere.
    case progressBar = 1
    /// One line per epoch.
    case oneLinePerEpoch = 2
}

/// A request to stop training after the current step (Ctrl-C): `fit` then writes its backup
/// and returns the history so far.
public final class TrainingInterruption: @unchecked Sendable {
    // @unchecked: one flag, written by a signal handler or another thread, read by fit.
    private let flag = UnsafeMutablePointer<Int32>.allocate(capacity: 1)

    public init() { flag.initialize(to: 0) }
    deinit { flag.deallocate() }

    public func request() { flag.pointee = 1 }
    public var isRequested: Bool { flag.pointee != 0 }
}
