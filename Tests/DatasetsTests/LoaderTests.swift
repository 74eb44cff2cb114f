import Augment
import Datasets
import Foundation
import Imaging
import InvariantCore
import Testing

/// `BatchLoader`: shapes, remainders, labels, shuffling, determinism across worker counts,
/// files that break after indexing, and cancellation.
@Suite struct LoaderTests {
    /// A dataset of `counts[i]` small gradient PNGs in class `k<i>`; image j of the whole
    /// dataset has base value 10·j, so samples are told apart by their pixels.
    static func makeDataset(_ counts: [Int], in folder: TemporaryDirectory, width: Int = 6, height: Int = 5,
                            channels: Int = 3) throws -> ImageDataset {
        var value = 0
        for (label, count) in counts.enumerated() {
            for i in 0..<count {
                folder.write("k\(label)/\(String(format: "%02d", i)).png",
                             Images.png(width: width, height: height, channels: channels, value: UInt8(value % 256), gradient: true))
                value += 10
            }
        }
        return try ImageDataset.index(directory: folder.path)
    }

    static func options(size: Int = 4, batch: Int = 3, shuffles: Bool = false, seed: UInt64 = 0, dropsRemainder: Bool = false,
                        workers: Int = 0, prefetch: Int = 2, labels: LabelMode = .sparse, color: ColorMode = .rgb,
                        pixelType: BatchPixelType = .float32, rescale: Float = 1) -> LoaderOptions {
        LoaderOptions(imageSize: ImageSize(width: size, height: size), colorMode: color, interpolation: .bilinear,
                      batchSize: batch, shuffles: shuffles, seed: seed, dropsRemainder: dropsRemainder, workers: workers,
                      prefetch: prefetch, labelMode: labels, pixelType: pixelType, rescale: rescale)
    }

    @Test(arguments: [(ColorMode.rgb, 3), (.grayscale, 1), (.rgba, 4)])
    func batchShapes(_ mode: ColorMode, _ channels: Int) throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let dataset = try Self.makeDataset([3, 4], in: folder)
        let loader = try BatchLoader(dataset: dataset, options: Self.options(size: 4, batch: 3, color: mode))
        let batches = Array(loader.batches())
        #expect(loader.batchCount == 3)
        #expect(batches.map(\.count) == [3, 3, 1])
        #expect(batches.map(\.index) == [0, 1, 2])
        for batch in batches {
            #expect(batch.height == 4 && batch.width == 4 && batch.channels == channels)
            #expect(batch.floatPixels.count == batch.count * 4 * 4 * channels)
        }
        #expect(batches.flatMap(\.sampleIndices) == Array(0..<7))
        #expect(loader.problems.isEmpty)
    }

    @Test func pixelsMatchTheDecodedResizedImage() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let dataset = try Self.makeDataset([2, 1], in: folder)
        let bytes = try BatchLoader(dataset: dataset, options: Self.options(size: 4, batch: 3, pixelType: .uint8))
        let floats = try BatchLoader(dataset: dataset, options: Self.options(size: 4, batch: 3, rescale: 1.0 / 255))
        let byteBatch = try #require(bytes.batches().next())
        let floatBatch = try #require(floats.batches().next())
        let expected = try dataset.samples.flatMap { sample in
            try ImageDecoder().decode(fileAt: sample.path).image.eightBit
                .resized(to: ImageSize(width: 4, height: 4), filter: .bilinear).pixels
        }
        #expect(byteBatch.pixels == .uint8(expected))
        #expect(floatBatch.floatPixels == expected.map { Float($0) * (1.0 / 255) })
        #expect(try bytes.load(dataset.samples[1]).pixels == Array(expected[48..<96]))
    }

    @Test func lastPartialBatchIsKeptUnlessDropped() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let dataset = try Self.makeDataset([5, 5], in: folder)
        let keeping = try BatchLoader(dataset: dataset, options: Self.options(batch: 4))
        #expect(keeping.batchCount == 3)
        #expect(keeping.batches().map(\.count) == [4, 4, 2])
        let dropping = try BatchLoader(dataset: dataset, options: Self.options(batch: 4, dropsRemainder: true))
        #expect(dropping.batchCount == 2)
        let kept = Array(dropping.batches())
        #expect(kept.map(\.count) == [4, 4])
        #expect(kept.flatMap(\.sampleIndices) == Array(0..<8))
        // Exact multiples lose nothing.
        let exact = try BatchLoader(dataset: dataset, options: Self.options(batch: 5, dropsRemainder: true))
        #expect(exact.batches().map(\.count) == [5, 5])
    }

    @Test func labelModes() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let dataset = try Self.makeDataset([2, 3], in: folder)
        let sparse = try BatchLoader(dataset: dataset, options: Self.options(batch: 5, labels: .sparse))
        #expect(sparse.batches().next()?.labels == .sparse([0, 0, 1, 1, 1]))

        let categorical = try BatchLoader(dataset: dataset, options: Self.options(batch: 5, labels: .categorical))
        #expect(categorical.batches().next()?.labels == .categorical([1, 0, 1, 0, 0, 1, 0, 1, 0, 1], classCount: 2))

        let binary = try BatchLoader(dataset: dataset, options: Self.options(batch: 5, labels: .binary))
        #expect(binary.batches().next()?.labels == .binary([0, 0, 1, 1, 1]))

        let none = try BatchLoader(dataset: dataset, options: Self.options(batch: 5, labels: .none))
        #expect(none.batches().next()?.labels == BatchLabels.none)
    }

    @Test func categoricalRowsAreOneHotWithShuffling() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let dataset = try Self.makeDataset([2, 3, 2], in: folder)
        let loader = try BatchLoader(dataset: dataset, options: Self.options(batch: 4, shuffles: true, seed: 5, labels: .categorical))
        for batch in loader.batches() {
            guard case .categorical(let values, let classCount) = batch.labels else { Issue.record("not categorical"); continue }
            #expect(classCount == 3 && values.count == batch.count * 3)
            for (row, sample) in batch.sampleIndices.enumerated() {
                let oneHot = (0..<3).map { Float($0 == dataset.samples[sample].label ? 1 : 0) }
                #expect(Array(values[row * 3..<row * 3 + 3]) == oneHot)
            }
        }
    }

    @Test func binaryLabelsNeedTwoClasses() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let dataset = try Self.makeDataset([1, 1, 1], in: folder)
        do {
            _ = try BatchLoader(dataset: dataset, options: Self.options(labels: .binary))
            Issue.record("expected an error for 3 classes")
        } catch let error as DatasetError {
            #expect(error.description.contains("binary labels need exactly 2 classes, the dataset has 3"))
        }
        #expect(throws: DatasetError.self) {
            try BatchLoader(dataset: dataset.subset(Array(dataset.samples.prefix(1))), options: Self.options(labels: .binary))
        }
    }

    @Test func shuffleOrderIsAPureFunctionOfSeedAndEpoch() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let dataset = try Self.makeDataset([12, 12], in: folder)
        let loader = try BatchLoader(dataset: dataset, options: Self.options(batch: 5, shuffles: true, seed: 42))
        let twin = try BatchLoader(dataset: dataset, options: Self.options(batch: 5, shuffles: true, seed: 42))
        let otherSeed = try BatchLoader(dataset: dataset, options: Self.options(batch: 5, shuffles: true, seed: 43))
        let epochs = (0..<3).map { loader.order(epoch: $0) }
        for (epoch, order) in epochs.enumerated() {
            #expect(order.sorted() == Array(0..<24), "epoch \(epoch) is not a permutation")
            #expect(order == twin.order(epoch: epoch))
            #expect(order == loader.order(epoch: epoch))
        }
        #expect(epochs[0] != epochs[1] && epochs[1] != epochs[2] && epochs[0] != epochs[2])
        #expect(epochs[0] != Array(0..<24))
        #expect(otherSeed.order(epoch: 0) != epochs[0])
        // The batches follow the order.
        #expect(loader.batches(epoch: 1).flatMap(\.sampleIndices) == epochs[1])
        // Without shuffling: dataset order every epoch.
        let plain = try BatchLoader(dataset: dataset, options: Self.options(batch: 5, shuffles: false))
        #expect(plain.order(epoch: 3) == Array(0..<24))
    }

    /// A transform whose output depends on the sample's random key: it overwrites the first
    /// row with draws from `context.key` and adds the epoch to the last sample.
    static let keyedTransform: SampleTransform = { image, context in
        var generator = context.key.generator()
        for x in 0..<image.width {
            for c in 0..<image.channels { image[x, 0, c] = UInt8(truncatingIfNeeded: generator.next()) }
        }
        image[image.width - 1, image.height - 1, 0] = UInt8(truncatingIfNeeded: context.epoch &+ context.sampleIndex)
    }

    @Test(.timeLimit(.minutes(1)))
    func batchesAreBitIdenticalForAnyWorkerCount() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let dataset = try Self.makeDataset([9, 8], in: folder)
        func run(workers: Int, prefetch: Int, epoch: Int) throws -> [Batch] {
            let loader = try BatchLoader(dataset: dataset, options: Self.options(size: 5, batch: 3, shuffles: true, seed: 11,
                                                                                workers: workers, prefetch: prefetch),
                                         transform: Self.keyedTransform)
            return Array(loader.batches(epoch: epoch))
        }
        for epoch in 0..<2 {
            let reference = try run(workers: 0, prefetch: 2, epoch: epoch)
            #expect(reference.count == 6)
            #expect(reference.map(\.count) == [3, 3, 3, 3, 3, 2])
            for (workers, prefetch) in [(1, 2), (2, 2), (3, 4), (2, 1), (3, 1)] {
                let batches = try run(workers: workers, prefetch: prefetch, epoch: epoch)
                #expect(batches.count == reference.count)
                for (a, b) in zip(batches, reference) {
                    #expect(a.sampleIndices == b.sampleIndices, "workers \(workers) epoch \(epoch) batch \(a.index)")
                    #expect(a.pixels == b.pixels, "workers \(workers) epoch \(epoch) batch \(a.index)")
                    #expect(a == b)
                }
            }
        }
        // The transform really ran and depends on the epoch: epochs differ for the same sample.
        let e0 = try run(workers: 0, prefetch: 1, epoch: 0), e1 = try run(workers: 0, prefetch: 1, epoch: 1)
        #expect(e0.flatMap(\.sampleIndices) != e1.flatMap(\.sampleIndices))
        let plain = try BatchLoader(dataset: dataset, options: Self.options(size: 5, batch: 3, shuffles: true, seed: 11))
        #expect(Array(plain.batches(epoch: 0)).map(\.pixels) != e0.map(\.pixels))
    }

    @Test(.timeLimit(.minutes(1)))
    func prefetchOfOneDeliversEveryBatchInOrder() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let dataset = try Self.makeDataset([7, 6], in: folder)
        let loader = try BatchLoader(dataset: dataset, options: Self.options(batch: 2, workers: 3, prefetch: 1))
        let batches = Array(loader.batches())
        #expect(batches.map(\.index) == Array(0..<7))
        #expect(batches.flatMap(\.sampleIndices) == Array(0..<13))
        let serial = try BatchLoader(dataset: dataset, options: Self.options(batch: 2, workers: 0))
        #expect(batches == Array(serial.batches()))
    }

    @Test(.timeLimit(.minutes(1)), arguments: [0, 2])
    func fileBrokenAfterIndexingIsLeftOutAndReported(workers: Int) throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let dataset = try Self.makeDataset([3, 3], in: folder)
        let broken = dataset.samples[1].path
        try Data("no longer an image".utf8).write(to: URL(fileURLWithPath: broken))
        let gone = dataset.samples[4].path
        try FileManager.default.removeItem(atPath: gone)
        let loader = try BatchLoader(dataset: dataset, options: Self.options(batch: 3, workers: workers, pixelType: .uint8))
        let batches = Array(loader.batches())
        #expect(batches.map(\.count) == [2, 2])
        #expect(batches.map(\.sampleIndices) == [[0, 2], [3, 5]])
        #expect(batches.map(\.labels) == [.sparse([0, 0]), .sparse([1, 1])])
        for batch in batches {
            guard case .uint8(let pixels) = batch.pixels else { Issue.record("expected uint8"); continue }
            #expect(pixels.count == batch.count * 4 * 4 * 3)
        }
        let problems = loader.problems
        // Workers may meet them in either order.
        #expect(Set(problems.map(\.path)) == [broken, gone] && problems.count == 2)
        #expect(problems.first { $0.path == broken }?.reason.contains("unknown image format") == true)
        #expect(problems.first { $0.path == gone }?.reason.contains("cannot read file") == true)
    }

    /// Breaking out of a long epoch after the first batch cancels the workers.
    @Test(.timeLimit(.minutes(1)))
    func breakingOutEarlyReturnsPromptly() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let file = folder.write("a/x.png", Images.png())
        let header = try ImageDecoder.header(ofFileAt: file)
        // 200 samples of one file, 25 ms each: a full epoch takes ≥ 2.5 s on two workers.
        let samples = (0..<200).map { _ in Sample(path: file, relativePath: "a/x.png", label: 0, header: header) }
        let calls = Counter()
        let slow: SampleTransform = { _, _ in
            calls.increment()
            Thread.sleep(forTimeInterval: 0.025)
        }
        let loader = try BatchLoader(samples: samples, classCount: 1,
                                     options: Self.options(batch: 1, workers: 2, prefetch: 2), transform: slow)
        let start = Date()
        var seen = 0
        for batch in loader.batches() {
            seen += batch.count
            break
        }
        let elapsed = Date().timeIntervalSince(start)
        #expect(seen == 1)
        #expect(elapsed < 1.5, "took \(elapsed) s")
        let afterLoop = calls.value
        #expect(afterLoop <= 6, "workers built \(afterLoop) samples")
        Thread.sleep(forTimeInterval: 0.2)
        #expect(calls.value == afterLoop, "workers kept running after the loop ended")

        // An explicit cancel ends the stream.
        let stream = loader.batches(epoch: 1)
        #expect(stream.next()?.count == 1)
        stream.cancel()
        #expect(stream.next() == nil)
    }

    /// With `.original` colours a batch could mix gray and RGB files, so the loader refuses
    /// that mode up front.
    @Test func originalColorModeIsRefused() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        folder.write("a/gray.png", Images.png(width: 4, height: 4, channels: 1, value: 10))
        folder.write("a/rgb.png", Images.png(width: 4, height: 4, channels: 3, value: 20))
        let dataset = try ImageDataset.index(directory: folder.path)
        #expect(throws: DatasetError.invalidOption("the loader needs a colour mode of rgb, grayscale or rgba, not original")) {
            try BatchLoader(dataset: dataset, options: LoaderTests.options(size: 4, batch: 2, color: .original, pixelType: .uint8))
        }
    }
}

/// A thread-safe counter for transforms running on worker threads.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}

@Suite struct AugmentedLoaderTests {
    /// Training batches are augmented differently every epoch and identically for any worker
    /// count; a loader without augmentation (validation) delivers the decoded pixels as they are.
    @Test func trainingBatchesAreAugmentedPerEpoch() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        for i in 0..<6 { folder.write("c\(i % 2)/\(i).png", Images.png(width: 12, height: 12, value: UInt8(20 * i), gradient: true)) }
        let dataset = try ImageDataset.index(directory: folder.path)
        let pipeline = try AugmentationSpec.parse("hflip,rotate=30,brightness=0.7:1.3")
        func batches(workers: Int, epoch: Int, augmented: Bool = true) throws -> [Batch] {
            let options = LoaderOptions(imageSize: ImageSize(width: 12, height: 12), batchSize: 4, shuffles: false,
                                        seed: 3, workers: workers)
            let loader = augmented ? try BatchLoader(training: dataset, options: options, augmentation: pipeline)
                : try BatchLoader(dataset: dataset, options: options)
            return Array(loader.batches(epoch: epoch))
        }
        let epoch0 = try batches(workers: 2, epoch: 0)
        #expect(epoch0 == (try batches(workers: 0, epoch: 0)))
        #expect(epoch0 != (try batches(workers: 2, epoch: 1)))
        let plain = try batches(workers: 1, epoch: 0, augmented: false)
        #expect(plain == (try batches(workers: 1, epoch: 5, augmented: false)))
        #expect(plain != epoch0)
        // The first sample of epoch 0 is exactly the pipeline applied with its own key.
        let decoded = try ImageDecoder().decode(fileAt: dataset.samples[0].path).image.eightBit
        let expected = pipeline.apply(to: decoded, key: .augmentation(seed: 3, epoch: 0, sampleIndex: 0))
        #expect(Array(epoch0[0].floatPixels.prefix(12 * 12 * 3)) == expected.pixels.map(Float.init))
    }
}

@Suite struct AugmentedLoaderShapeTests {
    /// Quarter turns of a non-square image change its canvas on some draws; the loader
    /// resizes back so that every batch keeps one shape (no crash mid-epoch).
    @Test func canvasChangingStepsAreResizedBack() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        for i in 0..<8 { folder.write("c/\(i).png", Images.png(width: 16, height: 8, value: UInt8(i), gradient: true)) }
        let dataset = try ImageDataset.index(directory: folder.path)
        let loader = try BatchLoader(training: dataset,
                                     options: LoaderOptions(imageSize: ImageSize(width: 16, height: 8), batchSize: 4, workers: 2),
                                     augmentation: AugmentationSpec.parse("rotate90=1,crop=10x6"))
        for batch in loader.batches(epoch: 0) {
            #expect(batch.width == 16 && batch.height == 8 && batch.count == 4)
        }
        #expect(loader.problems.isEmpty)
    }
}
