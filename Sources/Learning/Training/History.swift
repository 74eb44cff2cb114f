import Foundation

/// The values of one epoch (or batch) in Keras's log order: `loss`, the metrics, then the
/// `val_` values, then `learning_rate`.
public struct Logs: Equatable, Sendable {
    public private(set) var keys: [String] = []
    private var values: [String: Double] = [:]

    public init(_ pairs: [(String, Double)] = []) {
        for (key, value) in pairs { self[key] = value }
    }

    public subscript(key: String) -> Double? {
        get { values[key] }
        set {
            if newValue != nil && values[key] == nil { keys.append(key) }
            if newValue == nil { keys.removeAll { $0 == key } }
            values[key] = newValue
        }
    }

    public var pairs: [(key: String, value: Double)] { keys.map { ($0, values[$0]!) } }
}

/// What `fit` returns: per-epoch values under Keras's names (`history.history`).
public struct History: Equatable, Sendable, Codable {
    /// The 0-based epoch indices recorded (`history.epoch`).
    public private(set) var epochs: [Int] = []
    /// Keys in first-seen log order.
    public private(set) var keys: [String] = []
    /// One list per key, one value per recorded epoch (NaN where an epoch lacked the key).
    public private(set) var values: [String: [Double]] = [:]

    public init() {}

    public mutating func append(epoch: Int, logs: Logs) {
        for key in logs.keys where values[key] == nil {
            keys.append(key)
            values[key] = Array(repeating: .nan, count: epochs.count)
        }
        epochs.append(epoch)
        for key in keys { values[key]!.append(logs[key] ?? .nan) }
    }

    public subscript(key: String) -> [Double]? { values[key] }

    /// The log of the recorded epoch at `position`.
    public func logs(at position: Int) -> Logs {
        Logs(keys.compactMap { key in values[key].map { (key, $0[position]) } }.filter { !$0.1.isNaN })
    }

    /// Keras's `CSVLogger` layout: `epoch` (0-based) then the keys sorted, one row per epoch,
    /// values as Python's `repr` of a float, `NA` where missing.
    public var csv: String {
        let sorted = keys.sorted()
        var lines = [(["epoch"] + sorted).joined(separator: ",")]
        for (position, epoch) in epochs.enumerated() {
            lines.append(([String(epoch)] + sorted.map { key in
                let value = values[key]![position]
                return value.isNaN ? "NA" : pythonRepresentation(value)
            }).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `{"epoch": [...], "history": {"loss": [...], ...}}`, keys in log order.
    public var json: String {
        var parts = ["\"epoch\": [\(epochs.map(String.init).joined(separator: ", "))]"]
        let series = keys.map { key in
            "    \"\(key)\": [\(values[key]!.map { $0.isNaN ? "null" : pythonRepresentation($0) }.joined(separator: ", "))]"
        }
        parts.append("\"history\": {\n\(series.joined(separator: ",\n"))\n  }")
        return "{\n  " + parts.joined(separator: ",\n  ") + "\n}\n"
    }

    enum CodingKeys: String, CodingKey { case epochs = "epoch", keys, values = "history" }
}

/// A float as Python's `repr` writes it: the shortest text that reads back exactly, with
/// `.0` on whole numbers, `inf`/`nan` spelled as Python does.
func pythonRepresentation(_ value: Double) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    return "\(value)"
}
