/// Which way a monitored value improves (Keras's `mode`).
public enum MonitorMode: String, Sendable, CaseIterable {
    case auto, min, max

    /// `auto` resolved for a log key: accuracy-like values (`acc` in the name) improve
    /// upwards, everything else (losses) downwards.
    func resolved(for monitor: String) -> MonitorMode {
        guard self == .auto else { return self }
        return monitor.contains("acc") ? .max : .min
    }
}

/// A monitored value and its direction, shared by the callbacks that watch one.
struct Monitor {
    let key: String
    let mode: MonitorMode

    init(_ key: String, mode: MonitorMode) {
        self.key = key
        self.mode = mode.resolved(for: key)
    }

    /// The worst possible value: the starting "best".
    var worst: Double { mode == .max ? -.infinity : .infinity }

    /// Whether `value` improves on `reference` by more than `minDelta`.
    func improves(_ value: Double, on reference: Double, minDelta: Double = 0) -> Bool {
        mode == .max ? value - abs(minDelta) > reference : value + abs(minDelta) < reference
    }
}
