import Foundation
import Imaging
import InvariantCore

/// Options for `BatchLoader`, with Keras's `flow_from_directory` defaults where it has one,
/// except two that trade Keras's exact pixels for correctness and speed: EXIF orientation is
/// applied, and JPEGs are reduced in the DCT domain before resizing. Turn both off
/// (`appliesOrientation`, `usesJPEGDraft`) to get the pixels Keras gets.
public struct LoaderOptions: Sendable {
    public var imageSize: ImageSize
    public var colorMode: ColorMode
    /// Keras's `load_img` resizes with nearest neighbour by default.
    public var interpolation: ResamplingFilter
    public var aspect: AspectRatioMode
    public var batchSize: Int
    /// Reshuffle every epoch; the order is a pure function of (seed, epoch).
    public var shuffles: Bool
    public var seed: UInt64
    /// Drop the last batch when it is smaller than `batchSize` (Keras keeps it).
    public var dropsRemainder: Bool
    /// Worker threads decoding ahead of the consumer; 0 decodes on the calling thread.
    public var workers: Int
    /// Batches decoded ahead of the consumer at most (bounds memory).
    public var prefetch: Int
    public var labelMode: LabelMode
    public var pixelType: BatchPixelType
    /// Multiplies float pixels (Keras's `rescale`, e.g. 1/255).
    public var rescale: Float
    public var appliesOrientation: Bool
    /// Decode JPEGs at a reduced DCT scale when the target is at most half the source
    /// (Pillow's `draft`), then resize exactly. Off reproduces Keras's pixels.
    public var usesJPEGDraft: Bool
    public var jpegDecoding: JPEGDecoding
    public var pixelLimit: Int?
    /// Batch-level MixUp or CutMix, applied to each finished batch (labels mixed too; sparse
    /// labels become soft categorical rows). Nil: batches are left as loaded.
    public var mixing: BatchMixing? = nil

    public init(imageSize: ImageSize = ImageSize(width: 256, height: 256), colorMode: ColorMode = .rgb,
                interpolation: ResamplingFilter = .nearest, aspect: AspectRatioMode = .stretch, batchSize: Int = 32,
                shuffles: Bool = true, seed: UInt64 = 0, dropsRemainder: Bool = false, workers: Int = availableCores,
                prefetch: Int = 4, labelMode: LabelMode = .sparse, pixelType: BatchPixelType = .float32,
                rescale: Float = 1, appliesOrientation: Bool = true, usesJPEGDraft: Bool = true,
                jpegDecoding: JPEGDecoding = .exact, pixelLimit: Int? = DecodeOptions.defaultPixelLimit) {
        self.imageSize = imageSize
        self.colorMode = colorMode
        self.interpolation = interpolation
        self.aspect = aspect
        self.batchSize = batchSize
        self.shuffles = shuffles
        self.seed = seed
        self.dropsRemainder = dropsRemainder
        self.workers = workers
        self.prefetch = prefetch
        self.labelMode = labelMode
        self.pixelType = pixelType
        self.rescale = rescale
        self.appliesOrientation = appliesOrientation
        self.usesJPEGDraft = usesJPEGDraft
        self.jpegDecoding = jpegDecoding
        self.pixelLimit = pixelLimit
    }
}

/// Streams a dataset as batches: decoding, resizing and the optional per-sample transform
/// run on worker threads, a bounded number of batches ahead of the consumer.
///
/// Every batch is a pure function of (samples, options, epoch, batch index): the same bits
/// whatever the number of workers. A file that fails to decode is left out of its batch and
/// reported in `problems` — the run goes on.
public final class BatchLoader: @unchecked Sendable {
    public let samples: [Sample]
    public let classCount: Int
    public let options: LoaderOptions
    public let transform: SampleTransform?
    private let problemLock = NSLock()
    private var recordedProblems: [FileProblem] = []
    private var recordedPaths: Set<String> = []

    public init(samples: [Sample], classCount: Int, options: LoaderOptions, transform: SampleTransform? = nil) throws {
        guard options.batchSize > 0 else {
            throw DatasetError.invalidOption("batch size must be positive, got \(options.batchSize)")
        }
        guard options.imageSize.width > 0, options.imageSize.height > 0 else {
            throw DatasetError.invalidOption("image size must be positive, got \(options.imageSize)")
        }
        if options.labelMode == .binary && classCount != 2 {
            throw DatasetError.invalidOption("binary labels need exactly 2 classes, the dataset has \(classCount)")
        }
        if options.colorMode == .original {
            // Every image of a batch must have the same channels.
            throw DatasetError.invalidOption("the loader needs a colour mode of rgb, grayscale or rgba, not original")
        }
        self.samples = samples
        self.classCount = classCount
        self.options = options
        self.transform = transform
    }

    public convenience init(dataset: ImageDataset, options: LoaderOptions, transform: SampleTransform? = nil) throws {
        try self.init(samples: dataset.samples, classCount: dataset.classNames.count, options: options, transform: transform)
    }

    /// Files that failed while loading, each once, in the order their batches were delivered
    /// (so the same for any number of workers).
    public var problems: [FileProblem] {
        problemLock.lock()
        defer { problemLock.unlock() }
        return recordedProblems
    }

    public var batchCount: Int {
        options.dropsRemainder ? samples.count / options.batchSize
            : (samples.count + options.batchSize - 1) / options.batchSize
    }

    /// Sample indices in the order of `epoch`.
    public func order(epoch: Int) -> [Int] {
        var order = Array(samples.indices)
        if options.shuffles {
            var generator = RandomKey(seed: options.seed).derived(RandomDomain.shuffle, epoch).generator()
            order.deterministicShuffle(using: &generator)
        }
        return order
    }

    /// The batches of one epoch, from batch `start` on (a resumed epoch skips those done).
    public func batches(epoch: Int = 0, startingAt start: Int = 0) -> BatchStream {
        BatchStream(loader: self, epoch: epoch, start: start)
    }

    /// Builds batch `index` of `epoch` from its samples.
    func makeBatch(_ index: Int, epoch: Int, order: [Int]) -> Batch {
        let start = index * options.batchSize
        let members = Array(order[start..<min(order.count, start + options.batchSize)])
        let size = options.imageSize
        let channels = options.colorMode.channelCount ?? 3
        var images: [Image<UInt8>] = []
        var kept: [Int] = []
        var problems: [FileProblem] = []
        for sampleIndex in members {
            do {
                var image = try load(samples[sampleIndex])
                transform?(&image, SampleContext(seed: options.seed, epoch: epoch, sampleIndex: sampleIndex))
                precondition(image.width == size.width && image.height == size.height && image.channels == channels,
                             "the sample transform returned \(image), expected \(size)×\(channels)")
                images.append(image)
                kept.append(sampleIndex)
            } catch {
                problems.append(FileProblem(path: samples[sampleIndex].path,
                                            reason: (error as? ImageFileError)?.reason.description ?? "\(error)"))
            }
        }
        let sampleSize = size.width * size.height * channels
        let pixels: BatchPixels
        switch options.pixelType {
        case .uint8:
            var values = [UInt8](repeating: 0, count: images.count * sampleSize)
            for (slot, image) in images.enumerated() {
                values.replaceSubrange(slot * sampleSize..<(slot + 1) * sampleSize, with: image.compacted().pixels)
            }
            pixels = .uint8(values)
        case .float32:
            var values = [Float](repeating: 0, count: images.count * sampleSize)
            let scale = options.rescale
            values.withUnsafeMutableBufferPointer { output in
                for (slot, image) in images.enumerated() {
                    let base = output.baseAddress! + slot * sampleSize
                    let rowLength = image.width * image.channels
                    image.withUnsafeSamples { input, stride in
                        for y in 0..<image.height {
                            let row = input + y * stride, out = base + y * rowLength
                            for i in 0..<rowLength { out[i] = Float(row[i]) * scale }
                        }
                    }
                }
            }
            pixels = .float32(values)
        }
        let batch = Batch(index: index, count: images.count, height: size.height, width: size.width, channels: channels,
                          pixels: pixels, labels: labels(for: kept), sampleIndices: kept, problems: problems)
        return options.mixing.map { $0.apply(to: batch, classCount: classCount, seed: options.seed, epoch: epoch) } ?? batch
    }

    /// Decodes and resizes one sample to the loader's size.
    public func load(_ sample: Sample) throws -> Image<UInt8> {
        let size = options.imageSize
        let decodeOptions = DecodeOptions(colorMode: options.colorMode, appliesOrientation: options.appliesOrientation,
                                          pixelLimit: options.pixelLimit,
                                          targetSize: options.usesJPEGDraft ? size : nil,
                                          jpegDecoding: options.jpegDecoding)
        let image = try ImageDecoder(options: decodeOptions).decode(fileAt: sample.path).image.eightBit
        if image.width == size.width && image.height == size.height { return image }
        return image.resized(to: size, filter: options.interpolation, aspect: options.aspect)
    }

    private func labels(for members: [Int]) -> BatchLabels {
        switch options.labelMode {
        case .sparse:
            return .sparse(members.map { Int32(samples[$0].label) })
        case .categorical:
            var values = [Float](repeating: 0, count: members.count * classCount)
            for (row, member) in members.enumerated() { values[row * classCount + samples[member].label] = 1 }
            return .categorical(values, classCount: classCount)
        case .binary:
            return .binary(members.map { Float(samples[$0].label) })
        case .none:
            return .none
        }
    }

    /// Records a delivered batch's problems, once per file.
    func record(_ problems: [FileProblem]) {
        guard !problems.isEmpty else { return }
        problemLock.lock()
        for problem in problems where !recordedPaths.contains(problem.path) {
            recordedPaths.insert(problem.path)
            recordedProblems.append(problem)
        }
        problemLock.unlock()
    }
}

/// The batches of one epoch, in order. Worker threads start with the stream and stop when
/// it is exhausted or released.
public final class BatchStream: Sequence, IteratorProtocol {
    private let state: StreamState

    init(loader: BatchLoader, epoch: Int, start: Int) {
        state = StreamState(loader: loader, epoch: epoch, start: start)
        let workers = Swift.max(0, Swift.min(loader.options.workers, state.total - state.start))
        state.running = workers
        for _ in 0..<workers {
            let thread = Thread { [state] in state.work() }
            thread.stackSize = 1 << 22
            thread.start()
        }
    }

    deinit { state.cancel() }

    public var batchCount: Int { state.total }

    public func next() -> Batch? { state.next() }

    /// Stops the workers after the batches they are building.
    public func cancel() { state.cancel() }
}

/// The shared state of a `BatchStream` and its workers; only the workers and the stream
/// hold it, so releasing the stream cancels the workers.
private final class StreamState: @unchecked Sendable {
    let loader: BatchLoader
    let epoch: Int
    let order: [Int]
    let total: Int
    private let condition = NSCondition()
    private var ready: [Int: Batch] = [:]
    private var nextToClaim = 0
    private var nextToDeliver = 0
    private var cancelled = false
    var running = 0

    let start: Int

    init(loader: BatchLoader, epoch: Int, start: Int) {
        self.loader = loader
        self.epoch = epoch
        order = loader.order(epoch: epoch)
        total = loader.batchCount
        self.start = Swift.min(Swift.max(start, 0), total)
        nextToClaim = self.start
        nextToDeliver = self.start
    }

    func next() -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        guard nextToDeliver < total, !cancelled else { return nil }
        let batch: Batch
        if running == 0 && loader.options.workers <= 0 {
            // No workers: build on the calling thread.
            batch = loader.makeBatch(nextToDeliver, epoch: epoch, order: order)
        } else {
            while ready[nextToDeliver] == nil { condition.wait() }
            batch = ready.removeValue(forKey: nextToDeliver)!
        }
        nextToDeliver += 1
        condition.broadcast()
        loader.record(batch.problems)
        return batch
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        condition.unlock()
    }

    func work() {
        while true {
            condition.lock()
            while !cancelled && nextToClaim < total && nextToClaim >= nextToDeliver + Swift.max(1, loader.options.prefetch) {
                condition.wait()
            }
            if cancelled || nextToClaim >= total {
                running -= 1
                condition.broadcast()
                condition.unlock()
                return
            }
            let index = nextToClaim
            nextToClaim += 1
            condition.unlock()
            let batch = loader.makeBatch(index, epoch: epoch, order: order)
            condition.lock()
            ready[index] = batch
            condition.broadcast()
            condition.unlock()
        }
    }
}
