import Foundation

/// Float64 references for the shape-generic ops: broadcasting, reductions, concatenation,
/// batch normalization and cross-entropy from probabilities.
extension Reference {
    /// The row-major multi-index of `offset` in `shape`.
    static func index(of offset: Int, in shape: [Int]) -> [Int] {
        var rest = offset
        return shape.reversed().map { extent -> Int in
            defer { rest /= extent }
            return rest % extent
        }.reversed()
    }

    /// The offset in `shape` (right-aligned, extent 1 broadcast) of a result multi-index.
    static func offset(of index: [Int], in shape: [Int]) -> Int {
        let aligned = Array(index.suffix(shape.count))
        return zip(aligned, shape).reduce(0) { $0 * $1.1 + ($1.1 == 1 ? 0 : $1.0) }
    }

    static func broadcast(_ x: [Double], _ xShape: [Int], _ y: [Double], _ yShape: [Int], to shape: [Int],
                          _ combine: (Double, Double) -> Double) -> [Double] {
        (0..<shape.reduce(1, *)).map { offset in
            let index = index(of: offset, in: shape)
            return combine(x[Self.offset(of: index, in: xShape)], y[Self.offset(of: index, in: yShape)])
        }
    }

    /// Sums over `axes`, keeping them with extent 1 (row-major over the remaining shape).
    static func sum(_ x: [Double], shape: [Int], axes: Set<Int>) -> [Double] {
        let kept = shape.indices.map { axes.contains($0) ? 1 : shape[$0] }
        var result = [Double](repeating: 0, count: kept.reduce(1, *))
        for (offset, value) in x.enumerated() {
            result[Self.offset(of: index(of: offset, in: shape), in: kept)] += value
        }
        return result
    }

    /// Per channel (last axis) batch normalization with the batch's biased statistics, or
    /// with the given ones.
    static func batchNormalization(_ x: [Double], channels: Int, scale: [Double], offset: [Double],
                                   statistics: (mean: [Double], variance: [Double])?, epsilon: Double) -> [Double] {
        let (mean, variance) = statistics ?? moments(x, channels: channels)
        return x.enumerated().map { i, value in
            let c = i % channels
            return scale[c] * (value - mean[c]) / (variance[c] + epsilon).squareRoot() + offset[c]
        }
    }

    static func moments(_ x: [Double], channels: Int) -> (mean: [Double], variance: [Double]) {
        let rows = Double(x.count / channels)
        var mean = [Double](repeating: 0, count: channels), variance = mean
        for (i, value) in x.enumerated() { mean[i % channels] += value / rows }
        for (i, value) in x.enumerated() { variance[i % channels] += (value - mean[i % channels]) * (value - mean[i % channels]) / rows }
        return (mean, variance)
    }

    /// Keras's categorical cross-entropy from probabilities (rows normalised, clipped to
    /// [ε, 1 − ε]), mean over the batch.
    static func categoricalCrossentropy(_ p: [Double], targets: [Double], classes: Int, epsilon: Double) -> Double {
        var total = 0.0
        for start in stride(from: 0, to: p.count, by: classes) {
            let sum = p[start..<(start + classes)].reduce(0, +)
            for j in start..<(start + classes) {
                total -= targets[j] * Foundation.log(min(max(p[j] / sum, epsilon), 1 - epsilon))
            }
        }
        return total / Double(p.count / classes)
    }
}
