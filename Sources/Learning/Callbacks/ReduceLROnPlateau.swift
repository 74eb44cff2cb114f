import Foundation

/// Keras's `ReduceLROnPlateau`: multiplies the learning rate by `factor` (not below `minLR`)
/// when `monitor` has not improved by `minDelta` for `patience` epochs, then waits `cooldown`
/// epochs before watching again.
public final class ReduceLROnPlateau: Callback {
    public let monitor: String
    public let factor: Float
    public let patience: Int
    public let minDelta: Double
    public let cooldown: Int
    public let minLR: Float
    public let verbose: Bool
    private let watched: Monitor
    private var best: Double
    private var wait = 0
    private var cooldownCounter = 0

    public init(monitor: String = "val_loss", factor: Float = 0.1, patience: Int = 10, mode: MonitorMode = .auto,
                minDelta: Double = 1e-4, cooldown: Int = 0, minLR: Float = 0, verbose: Bool = false) {
        precondition(factor < 1, "ReduceLROnPlateau does not support a factor ≥ 1")
        self.monitor = monitor
        self.factor = factor
        self.patience = patience
        self.minDelta = minDelta
        self.cooldown = cooldown
        self.minLR = minLR
        self.verbose = verbose
        watched = Monitor(monitor, mode: mode)
        best = watched.worst
    }

    public func trainBegin(_ fit: FitState) {
        best = watched.worst
        wait = 0
        cooldownCounter = 0
    }

    public func epochEnd(_ epoch: Int, logs: inout Logs, _ fit: FitState) {
        logs["learning_rate"] = Double(fit.optimizer.learningRate)
        guard let current = logs[monitor] else { return }
        if cooldownCounter > 0 {
            cooldownCounter -= 1
            wait = 0
        }
        if watched.improves(current, on: best, minDelta: minDelta) {
            best = current
            wait = 0
        } else if cooldownCounter == 0 {
            wait += 1
            if wait >= patience, fit.optimizer.learningRate > minLR {
                let reduced = max(fit.optimizer.learningRate * factor, minLR)
                fit.optimizer.learningRate = reduced
                if verbose { fit.output.line("\nEpoch \(epoch + 1): ReduceLROnPlateau reducing learning rate to \(reduced).") }
                cooldownCounter = cooldown
                wait = 0
            }
        }
    }
}

/// Keras's `LearningRateScheduler`: at the start of every epoch the learning rate becomes
/// `schedule(epoch, current rate)` (0-based epoch).
public final class LearningRateScheduler: Callback {
    public let schedule: (Int, Float) -> Float
    public let verbose: Bool

    public init(verbose: Bool = false, _ schedule: @escaping (Int, Float) -> Float) {
        self.schedule = schedule
        self.verbose = verbose
    }

    public func epochBegin(_ epoch: Int, _ fit: FitState) {
        let rate = schedule(epoch, fit.optimizer.learningRate)
        precondition(rate.isFinite, "the learning-rate schedule returned \(rate) for epoch \(epoch)")
        fit.optimizer.learningRate = rate
        if verbose { fit.output.line("\nEpoch \(epoch + 1): LearningRateScheduler setting learning rate to \(rate).") }
    }
}

/// Keras's `TerminateOnNaN`: stops training as soon as a batch's loss is NaN or infinite.
public final class TerminateOnNaN: Callback {
    public init() {}

    public func batchEnd(_ batch: Int, logs: Logs, _ fit: FitState) {
        if let loss = logs["loss"], !loss.isFinite {
            fit.output.line("Batch \(batch): Invalid loss, terminating training")
            fit.stopsTraining = true
        }
    }
}
