import Foundation

/// Prints Keras's progress for one fit or evaluation: the epoch header, the bar while it runs
/// (on a terminal, at most every 0.05 s) and the final line with the validation values.
final class ProgressLogger {
    let verbosity: Verbosity
    let output: TrainingOutput
    let bar: ProgressBar
    private var start = Date()
    private var afterFirstStep: Date?
    private var lastDraw = Date.distantPast
    private var drawnWidth = 0
    private var stepsDone = 0
    private var firstStep = 0

    init(verbosity: Verbosity, output: TrainingOutput, steps: Int) {
        self.verbosity = verbosity
        self.output = output
        bar = ProgressBar(target: max(steps, 1))
    }

    func epochBegin(_ epoch: Int, of epochs: Int, startingAt step: Int = 0) {
        if verbosity != .silent { output.line("Epoch \(epoch + 1)/\(epochs)") }
        begin(startingAt: step)
    }

    func begin(startingAt step: Int = 0) {
        start = Date()
        afterFirstStep = nil
        lastDraw = .distantPast
        drawnWidth = 0
        stepsDone = step
        firstStep = step
    }

    /// Seconds per step, leaving out the first step (which pays for warm-up), as Keras does.
    private var secondsPerStep: Double {
        let done = stepsDone - firstStep
        guard done > 0 else { return 0 }
        if let afterFirstStep, done > 1 { return Date().timeIntervalSince(afterFirstStep) / Double(done - 1) }
        return Date().timeIntervalSince(start) / Double(done)
    }

    func stepEnd(_ step: Int, logs: Logs) {
        stepsDone = step
        if afterFirstStep == nil { afterFirstStep = Date() }
        guard verbosity == .progressBar, output.isTerminal, step < bar.target else { return }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) >= 0.05 else { return }
        lastDraw = now
        draw(bar.runningLine(current: step, estimatedSecondsLeft: secondsPerStep * Double(bar.target - step), logs: logs))
    }

    func end(logs: Logs) {
        let elapsed = Date().timeIntervalSince(start)
        switch verbosity {
        case .silent: return
        case .progressBar:
            draw(bar.finalLine(elapsed: elapsed, secondsPerStep: secondsPerStep, logs: logs))
            output.write("\n")
        case .oneLinePerEpoch:
            output.line(bar.summaryLine(elapsed: elapsed, secondsPerStep: secondsPerStep, logs: logs))
        }
        drawnWidth = 0
    }

    /// On a terminal the line replaces the previous one; elsewhere only final lines are written.
    private func draw(_ line: String) {
        if output.isTerminal {
            let padding = String(repeating: " ", count: max(0, drawnWidth - line.count))
            output.write("\r" + line + padding)
            drawnWidth = line.count
        } else {
            output.write(line)
        }
    }
}
