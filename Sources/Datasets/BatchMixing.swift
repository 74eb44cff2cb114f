import Foundation
import InvariantCore

/// Batch-level mixing as torchvision's `v2.MixUp` and `v2.CutMix` do it: each image is mixed
/// with its neighbour in the batch (the batch rolled by one), with λ ~ Beta(α, α) drawn once per
/// batch, and the labels mixed by the same weight (sparse labels become soft one-hot rows).
/// Every draw is a pure function of (seed, epoch, batch index).
public struct BatchMixing: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// x = λ·x + (1 − λ)·x_rolled.
        case mixUp = "mixup"
        /// A box of area (1 − λ) around a uniform centre, cut from the rolled batch; λ is then
        /// corrected to the box's clipped area.
        case cutMix = "cutmix"
    }

    public var kind: Kind
    public var alpha: Double
    /// The chance that a batch is mixed at all.
    public var probability: Double

    public init(_ kind: Kind, alpha: Double = 1, probability: Double = 1) {
        precondition(alpha > 0 && alpha.isFinite && (0...1).contains(probability), "mixing needs α > 0 and a probability")
        self.kind = kind
        self.alpha = alpha
        self.probability = probability
    }

    /// What mixing does to one batch: the weight of each image's own content and, for CutMix,
    /// the pasted box (x0, y0, x1, y1), end-exclusive. Nil when the batch is left alone.
    public struct Draw: Sendable, Hashable {
        public var lambda: Double
        public var box: (x0: Int, y0: Int, x1: Int, y1: Int)? {
            boxCorners.map { ($0[0], $0[1], $0[2], $0[3]) }
        }
        var boxCorners: [Int]?
    }

    public func draw(seed: UInt64, epoch: Int, batchIndex: Int, width: Int, height: Int) -> Draw? {
        var random = RandomKey(seed: seed).derived(RandomDomain.mixing, epoch, batchIndex).generator()
        guard random.nextUnit() < probability else { return nil }
        let lambda = BatchMixing.beta(alpha, using: &random)
        switch kind {
        case .mixUp:
            return Draw(lambda: lambda, boxCorners: nil)
        case .cutMix:
            let cx = random.nextInt(below: max(1, width)), cy = random.nextInt(below: max(1, height))
            let r = 0.5 * (1 - lambda).squareRoot()
            let halfWidth = Int(r * Double(width)), halfHeight = Int(r * Double(height))
            let x0 = max(0, cx - halfWidth), y0 = max(0, cy - halfHeight)
            let x1 = min(width, cx + halfWidth), y1 = min(height, cy + halfHeight)
            let area = Double((x1 - x0) * (y1 - y0))
            return Draw(lambda: 1 - area / Double(max(1, width * height)), boxCorners: [x0, y0, x1, y1])
        }
    }

    /// The batch mixed; `classCount` turns sparse labels into soft one-hot rows.
    public func apply(to batch: Batch, classCount: Int, seed: UInt64, epoch: Int) -> Batch {
        guard batch.count > 1,
              let draw = draw(seed: seed, epoch: epoch, batchIndex: batch.index, width: batch.width, height: batch.height)
        else { return batch }
        var result = batch
        let sampleSize = batch.width * batch.height * batch.channels, n = batch.count
        let lambda = draw.lambda
        func mix<T>(_ values: [T], blend: (T, T) -> T) -> [T] {
            var out = values
            for slot in 0..<n {
                let partner = (slot + n - 1) % n  // the batch rolled by one
                let own = slot * sampleSize, other = partner * sampleSize
                if let box = draw.box {
                    let rowLength = batch.width * batch.channels
                    for y in box.y0..<max(box.y0, box.y1) {
                        for i in (box.x0 * batch.channels)..<(box.x1 * batch.channels) {
                            out[own + y * rowLength + i] = values[other + y * rowLength + i]
                        }
                    }
                } else {
                    for i in 0..<sampleSize { out[own + i] = blend(values[own + i], values[other + i]) }
                }
            }
            return out
        }
        let weight = Float(lambda)
        switch batch.pixels {
        case .float32(let values):
            result.pixels = .float32(mix(values) { weight * $0 + (1 - weight) * $1 })
        case .uint8(let values):
            result.pixels = .uint8(mix(values) { a, b in
                let value = weight * Float(a) + (1 - weight) * Float(b)
                return value <= 0 ? 0 : value >= 255 ? 255 : UInt8(value + 0.5)
            })
        }
        func mixRows(_ rows: [Float], width: Int) -> [Float] {
            (0..<rows.count).map { i in
                let slot = i / width, column = i % width, partner = (slot + n - 1) % n
                return weight * rows[i] + (1 - weight) * rows[partner * width + column]
            }
        }
        switch batch.labels {
        case .sparse(let labels):
            var rows = [Float](repeating: 0, count: n * classCount)
            for (slot, label) in labels.enumerated() where (0..<classCount).contains(Int(label)) { rows[slot * classCount + Int(label)] = 1 }
            result.labels = .categorical(mixRows(rows, width: classCount), classCount: classCount)
        case .categorical(let rows, let count):
            result.labels = .categorical(mixRows(rows, width: count), classCount: count)
        case .binary(let values):
            result.labels = .binary(mixRows(values, width: 1))
        case .none:
            break
        }
        return result
    }

    /// Beta(α, α) as X / (X + Y) with X, Y ~ Gamma(α) (Marsaglia–Tsang; α < 1 boosted by U^(1/α)).
    static func beta(_ alpha: Double, using random: inout CounterRandom) -> Double {
        let x = gamma(alpha, using: &random), y = gamma(alpha, using: &random)
        return x + y > 0 ? x / (x + y) : 0.5
    }

    static func gamma(_ shape: Double, using random: inout CounterRandom) -> Double {
        if shape < 1 {
            let boost = pow(1 - random.nextUnit(), 1 / shape)
            return gamma(shape + 1, using: &random) * boost
        }
        let d = shape - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            let z = random.nextStandardNormal()
            let v = pow(1 + c * z, 3)
            guard v > 0 else { continue }
            let u = 1 - random.nextUnit()
            if log(u) < 0.5 * z * z + d - d * v + d * log(v) { return d * v }
        }
    }
}
