import Foundation

/// Keras 2's `Progbar` text, exactly: `123/509 [=====>.......] - ETA: 34s - loss: 0.6931` while
/// running and `509/509 [==============================] - 45s 88ms/step - loss: … - val_loss: …`
/// at the end (verbose 1), or `509/509 - 45s - loss: … - 45s/epoch - 88ms/step` (verbose 2).
public struct ProgressBar: Sendable {
    public let target: Int
    public let width: Int

    public init(target: Int, width: Int = 30) {
        precondition(target > 0, "a progress bar needs a positive target")
        self.target = target
        self.width = width
    }

    /// `current/target [===>....]`, the step count right-aligned to the target's width.
    public func bar(current: Int) -> String {
        let digits = String(target).count
        var text = String(repeating: " ", count: max(0, digits - String(current).count)) + "\(current)/\(target) ["
        let progressWidth = Int(Double(width) * Double(current) / Double(target))
        if progressWidth > 0 {
            text += String(repeating: "=", count: progressWidth - 1) + (current < target ? ">" : "=")
        }
        return text + String(repeating: ".", count: max(0, width - progressWidth)) + "]"
    }

    /// The line while the epoch runs (verbose 1).
    public func runningLine(current: Int, estimatedSecondsLeft eta: Double, logs: Logs) -> String {
        bar(current: current) + " - ETA: " + Self.formatETA(eta) + Self.formatValues(logs)
    }

    /// The line at the end of the epoch (verbose 1).
    public func finalLine(elapsed: Double, secondsPerStep: Double, logs: Logs) -> String {
        bar(current: target) + " - " + String(format: "%.0fs", elapsed) + Self.formatTime(secondsPerStep, unit: "step")
            + Self.formatValues(logs)
    }

    /// The one line per epoch of verbose 2.
    public func summaryLine(elapsed: Double, secondsPerStep: Double, logs: Logs) -> String {
        return "\(target)/\(target) - "
            + String(format: "%.0fs", elapsed) + Self.formatValues(logs) + " -" + Self.formatTime(elapsed, unit: "epoch")
            + " -" + Self.formatTime(secondsPerStep, unit: "step")
    }

    /// ` - name: value` per entry, `%.4f`, or `%.4e` when |value| ≤ 1e-3 (Keras's rule).
    public static func formatValues(_ logs: Logs) -> String {
        logs.pairs.map { key, value in
            " - \(key): " + (abs(value) > 1e-3 ? String(format: "%.4f", value) : String(format: "%.4e", value))
        }.joined()
    }

    /// `34s`, `2:05` or `1:02:05`.
    public static func formatETA(_ seconds: Double) -> String {
        let eta = Int(seconds.isFinite ? max(0, seconds) : 0)
        if eta > 3600 { return String(format: "%d:%02d:%02d", eta / 3600, (eta % 3600) / 60, eta % 60) }
        if eta > 60 { return String(format: "%d:%02d", eta / 60, eta % 60) }
        return "\(eta)s"
    }

    /// ` 88ms/step`: seconds, milliseconds or microseconds, whichever keeps a whole number ≥ 1.
    public static func formatTime(_ seconds: Double, unit: String) -> String {
        if seconds >= 1 || seconds == 0 { return String(format: " %.0fs/", seconds) + unit }
        if seconds >= 1e-3 { return String(format: " %.0fms/", seconds * 1e3) + unit }
        return String(format: " %.0fus/", seconds * 1e6) + unit
    }
}
