import Datasets
import InvariantCore
import Tensors

/// One batch for training or evaluation: NHWC images and their class indices, and soft labels
/// when the images were mixed (MixUp, CutMix).
public struct LabeledBatch {
    public var images: Tensor
    /// Each image's class: its own, or with soft labels the one with the largest share (what
    /// accuracy compares with).
    public var labels: [Int]
    /// Soft labels, [images, classes] rows summing to 1, when images were mixed: the
    /// categorical losses take them in place of one-hot rows.
    public var targets: Tensor?
    /// Which of the source's samples the rows are, when the source knows (a frozen base's
    /// features are cached by sample).
    public var sampleIndices: [Int]?

    public init(images: Tensor, labels: [Int], targets: Tensor? = nil, sampleIndices: [Int]? = nil) {
        precondition(images.shape.first == labels.count, "\(labels.count) labels for \(images.shape.first ?? 0) images")
        precondition(targets == nil || targets?.shape.first == labels.count && targets?.rank == 2, "one row of soft labels per image")
        precondition(sampleIndices == nil || sampleIndices?.count == labels.count, "one sample index per image")
        self.images = images
        self.labels = labels
        self.targets = targets
        self.sampleIndices = sampleIndices
    }
}

/// Data that `fit`, `evaluate` and `predict` read: a fixed number of batches per epoch,
/// each epoch's batches a pure function of the epoch (so a resumed run sees the same data).
public protocol BatchSource {
    /// Batches per epoch (Keras's `steps`).
    var batchCount: Int { get }
    /// The batches of `epoch`, starting at batch `start` (a resumed epoch skips the ones done).
    func labeledBatches(epoch: Int, startingAt start: Int) -> AnyIterator<LabeledBatch>
    /// Whether a sample's image is the same in every epoch (no augmentation) and batches say
    /// which samples they hold, so that what a frozen base computes from it can be kept.
    var repeatsSamples: Bool { get }
}

extension BatchSource {
    public var repeatsSamples: Bool { false }
}

/// Images and labels held in memory, cut into batches (shuffled per epoch when asked, the
/// order a pure function of (seed, epoch)).
public struct TensorBatches: BatchSource {
    public let images: Tensor
    public let labels: [Int]
    public let batchSize: Int
    public let shuffles: Bool
    public let seed: UInt64

    public init(images: Tensor, labels: [Int], batchSize: Int, shuffles: Bool = false, seed: UInt64 = 0) {
        precondition(images.shape.first == labels.count, "\(labels.count) labels for \(images.shape.first ?? 0) images")
        precondition(batchSize > 0, "batch size must be positive")
        self.images = images
        self.labels = labels
        self.batchSize = batchSize
        self.shuffles = shuffles
        self.seed = seed
    }

    public var batchCount: Int { (labels.count + batchSize - 1) / batchSize }

    public var repeatsSamples: Bool { true }

    public func labeledBatches(epoch: Int, startingAt start: Int = 0) -> AnyIterator<LabeledBatch> {
        var order = Array(labels.indices)
        if shuffles {
            var generator = RandomKey(seed: seed).derived(RandomDomain.shuffle, epoch).generator()
            order.deterministicShuffle(using: &generator)
        }
        let sampleShape = Array(images.shape.dropFirst())
        let sampleSize = sampleShape.reduce(1, *)
        let scalars = images.scalars
        var index = start
        return AnyIterator {
            guard index < batchCount else { return nil }
            defer { index += 1 }
            let members = order[(index * batchSize)..<min((index + 1) * batchSize, order.count)]
            var pixels: [Float] = []
            pixels.reserveCapacity(members.count * sampleSize)
            for member in members { pixels += scalars[(member * sampleSize)..<((member + 1) * sampleSize)] }
            return LabeledBatch(images: Tensor(shape: [members.count] + sampleShape, scalars: pixels),
                                labels: members.map { labels[$0] }, sampleIndices: Array(members))
        }
    }
}

/// A class-folder loader as a batch source: float pixels; sparse labels, or soft ones when the
/// loader mixes batches.
extension BatchLoader: BatchSource {
    /// Without a per-sample transform (augmentation) or batch mixing a sample decodes to the
    /// same image every time.
    public var repeatsSamples: Bool { transform == nil && options.mixing == nil }

    public func labeledBatches(epoch: Int, startingAt start: Int) -> AnyIterator<LabeledBatch> {
        let stream = batches(epoch: epoch, startingAt: start)
        return AnyIterator {
            guard let batch = stream.next() else { return nil }
            let images = Tensor(shape: [batch.count, batch.height, batch.width, batch.channels], scalars: batch.floatPixels)
            switch batch.labels {
            case .sparse(let labels):
                return LabeledBatch(images: images, labels: labels.map(Int.init), sampleIndices: batch.sampleIndices)
            case .categorical(let rows, let classCount):
                let labels = (0..<batch.count).map { row in
                    (0..<classCount).max { rows[row * classCount + $0] < rows[row * classCount + $1] }!
                }
                return LabeledBatch(images: images, labels: labels, targets: Tensor(shape: [batch.count, classCount], scalars: rows),
                                    sampleIndices: batch.sampleIndices)
            default:
                preconditionFailure("training needs sparse or categorical labels; the loader gives \(batch.labels)")
            }
        }
    }
}
