/// Sample-weighted running means of an epoch's loss and metrics (Keras's `Mean` trackers:
/// each batch counts by its number of samples).
struct RunningMeans: Equatable, Codable {
    private(set) var keys: [String] = []
    private(set) var sums: [Double] = []
    private(set) var count = 0

    mutating func add(_ values: [(String, Double)], samples: Int) {
        if keys.isEmpty {
            keys = values.map(\.0)
            sums = Array(repeating: 0, count: keys.count)
        }
        for (index, (_, value)) in values.enumerated() { sums[index] += value * Double(samples) }
        count += samples
    }

    var logs: Logs {
        Logs(zip(keys, sums).map { ($0, count > 0 ? $1 / Double(count) : .nan) })
    }
}
