import Tensors

/// Keras's `EarlyStopping`: stops when `monitor` has not improved by more than `minDelta`
/// for `patience` epochs; with `restoreBestWeights`, the weights of the best epoch are put
/// back at the end.
public final class EarlyStopping: Callback {
    public let monitor: String
    public let minDelta: Double
    public let patience: Int
    public let baseline: Double?
    public let restoresBestWeights: Bool
    public let startEpoch: Int
    public let verbose: Bool
    private let watched: Monitor
    public private(set) var best: Double
    public private(set) var bestEpoch = 0
    public private(set) var stoppedEpoch = 0
    private var wait = 0
    private var bestWeights: [String: Tensor]?

    public init(monitor: String = "val_loss", minDelta: Double = 0, patience: Int = 0, mode: MonitorMode = .auto,
                baseline: Double? = nil, restoreBestWeights: Bool = false, startFromEpoch: Int = 0, verbose: Bool = false) {
        self.monitor = monitor
        self.minDelta = minDelta
        self.patience = patience
        self.baseline = baseline
        restoresBestWeights = restoreBestWeights
        startEpoch = startFromEpoch
        self.verbose = verbose
        watched = Monitor(monitor, mode: mode)
        best = watched.worst
    }

    public func trainBegin(_ fit: FitState) {
        wait = 0
        stoppedEpoch = 0
        best = watched.worst
        bestWeights = nil
        bestEpoch = 0
    }

    public func epochEnd(_ epoch: Int, logs: inout Logs, _ fit: FitState) {
        guard let current = logs[monitor], epoch >= startEpoch else { return }
        if restoresBestWeights && bestWeights == nil { bestWeights = fit.model.weightTensors }
        wait += 1
        if watched.improves(current, on: best, minDelta: minDelta) {
            best = current
            bestEpoch = epoch
            if restoresBestWeights { bestWeights = fit.model.weightTensors }
            if baseline.map({ watched.improves(current, on: $0, minDelta: minDelta) }) ?? true {
                wait = 0
                return
            }
        }
        if wait >= patience && epoch > 0 {
            stoppedEpoch = epoch
            fit.stopsTraining = true
        }
    }

    public func trainEnd(_ fit: FitState) {
        if stoppedEpoch > 0 && verbose { fit.output.line("Epoch \(stoppedEpoch + 1): early stopping") }
        if restoresBestWeights, let bestWeights, stoppedEpoch > 0 {
            if verbose { fit.output.line("Restoring model weights from the end of the best epoch: \(bestEpoch + 1).") }
            _ = try? fit.model.load(bestWeights)
        }
    }
}
