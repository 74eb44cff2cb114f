import Imaging
import InvariantCore

/// How labels are delivered with a batch (Keras's `class_mode`).
public enum LabelMode: String, Sendable, CaseIterable {
    /// Integer class indices.
    case sparse
    /// One-hot rows of `classCount` floats.
    case categorical
    /// One float per image, 0 or 1; only for datasets of exactly two classes.
    case binary
    /// No labels (prediction).
    case none
}

/// Labels of one batch, in the batch's image order.
public enum BatchLabels: Sendable, Equatable {
    case sparse([Int32])
    case categorical([Float], classCount: Int)
    case binary([Float])
    case none
}

/// Pixels of one batch, NHWC and contiguous.
public enum BatchPixels: Sendable, Equatable {
    case float32([Float])
    case uint8([UInt8])
}

/// The sample type the loader produces.
public enum BatchPixelType: String, Sendable {
    case float32, uint8
}

/// One batch: `count` images of `height × width × channels`, their labels and which
/// samples they are.
public struct Batch: Sendable, Equatable {
    /// Position of the batch in its epoch.
    public var index: Int
    public var count: Int
    public var height: Int
    public var width: Int
    public var channels: Int
    public var pixels: BatchPixels
    public var labels: BatchLabels
    /// Indices into the loader's samples, in batch order.
    public var sampleIndices: [Int]
    /// Files of this batch that failed to load and were left out.
    public var problems: [FileProblem]

    public init(index: Int, count: Int, height: Int, width: Int, channels: Int, pixels: BatchPixels, labels: BatchLabels,
                sampleIndices: [Int], problems: [FileProblem] = []) {
        (self.index, self.count, self.height, self.width, self.channels) = (index, count, height, width, channels)
        (self.pixels, self.labels, self.sampleIndices, self.problems) = (pixels, labels, sampleIndices, problems)
    }

    /// The float pixels (converting uint8 batches).
    public var floatPixels: [Float] {
        switch pixels {
        case .float32(let values): values
        case .uint8(let values): values.map(Float.init)
        }
    }
}

/// What a per-sample transform (augmentation) knows about the sample it is given.
public struct SampleContext: Sendable {
    public var seed: UInt64
    public var epoch: Int
    /// Index of the sample in the loader's sample list (not its batch position).
    public var sampleIndex: Int
    /// The random stream for this (seed, epoch, sample): a pure function of the three.
    public var key: RandomKey { .augmentation(seed: seed, epoch: epoch, sampleIndex: sampleIndex) }
}

/// A per-sample image transform applied after decoding and resizing, before batching.
public typealias SampleTransform = @Sendable (inout Image<UInt8>, SampleContext) -> Void
