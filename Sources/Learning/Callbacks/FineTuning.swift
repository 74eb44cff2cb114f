/// The second phase of transfer learning inside one `fit`: from epoch `startEpoch` (0-based)
/// the layers matching `unfreezing` train and the learning rate becomes `learningRate` (any
/// schedule ends). `fit` reads the trainable flags every step, so nothing is recompiled; the
/// optimizer keeps its state, and newly trained weights start with fresh slots.
///
/// Applied at the first epoch at or after `startEpoch`, so a run resumed inside the phase
/// is in it again.
public final class FineTuning: Callback {
    public let startEpoch: Int
    public let unfreezing: [String]
    public let learningRate: Float
    public let verbose: Bool
    public private(set) var unfrozen: [String] = []
    private var applied = false

    public init(startEpoch: Int, unfreezing prefixes: [String], learningRate: Float, verbose: Bool = true) {
        self.startEpoch = startEpoch
        self.unfreezing = prefixes
        self.learningRate = learningRate
        self.verbose = verbose
    }

    public func epochBegin(_ epoch: Int, _ fit: FitState) {
        guard epoch >= startEpoch, !applied else { return }
        applied = true
        unfrozen = fit.model.unfreezeLayers(matching: unfreezing)
        fit.optimizer.schedule = nil
        fit.optimizer.learningRate = learningRate
        if verbose {
            fit.output.line("Epoch \(epoch + 1): fine-tuning \(unfrozen.joined(separator: ", ")) at learning rate \(learningRate)"
                            + " (\(fit.model.parameterCounts.trainable) trainable parameters)")
        }
    }
}
