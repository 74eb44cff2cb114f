import Augment
import Datasets
import Foundation
import Imaging
import InvariantCore

/// The timing rule shared with `Benchmarks/reference.py`: one untimed warm-up pass, then
/// timed passes until both `minimumPasses` and `minimumSeconds` are reached; the figure is
/// the median images/s over the timed passes.
struct PassTimer {
    var minimumPasses = 5
    var minimumSeconds = 2.0

    /// From the `--passes` and `--seconds` options.
    init(_ arguments: ParsedArguments, defaultPasses: Int) throws {
        minimumPasses = try arguments.integer("passes", default: defaultPasses)
        minimumSeconds = Double(try arguments.integer("seconds", default: 2, in: 0...3600))
    }

    func measure(images: Int, _ pass: () throws -> Void) rethrows -> (median: Double, passes: Int) {
        try pass()
        var rates: [Double] = []
        var elapsed = 0.0
        while rates.count < minimumPasses || elapsed < minimumSeconds {
            let start = DispatchTime.now().uptimeNanoseconds
            try pass()
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            elapsed += seconds
            rates.append(Double(images) / seconds)
        }
        rates.sort()
        let middle = rates.count / 2
        return (rates.count % 2 == 1 ? rates[middle] : (rates[middle - 1] + rates[middle]) / 2, rates.count)
    }
}

/// Image files (by extension) in or below `directory`, in sorted order.
func imageFiles(below directory: String) -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
    return walker.compactMap { $0 as? String }
        .filter { ImageDataset.defaultExtensions.contains(($0 as NSString).pathExtension.lowercased()) }
        .sorted()
        .map { directory + "/" + $0 }
}

/// A number written with a fixed count of decimals (seconds per step need more than one).
struct Fixed {
    var value: Double
    var digits = 4
    init(_ value: Double, digits: Int = 4) {
        self.value = value
        self.digits = digits
    }
}

/// One JSON line per figure, keys in a stable order.
func benchLine(_ fields: KeyValuePairs<String, Any>) -> String {
    let parts = fields.map { key, value -> String in
        switch value {
        case let text as String: return "\"\(key)\":\"\(text)\""
        case let number as Double: return "\"\(key)\":\(String(format: "%.1f", number))"
        case let number as Fixed: return "\"\(key)\":\(String(format: "%.\(number.digits)f", number.value))"
        default: return "\"\(key)\":\(value)"
        }
    }
    return "{" + parts.joined(separator: ",") + "}"
}

/// `invariant bench decode DIR`: decode + resize throughput on a folder of images.
enum BenchDecodeCommand: Command {
    static let spec = CommandSpec(
        name: "bench decode", usage: "DIR [--size N] [--threads N] [--jpeg exact|fast]",
        summary: "Measure reading, decoding and resizing every image in or below DIR to N×N RGB (JPEGs use DCT-domain reduction); prints one JSON line.",
        options: [
            OptionSpec("size", value: "N", help: "output side in pixels (default 150)"),
            OptionSpec("threads", value: "N", help: "decoding threads (default 1)"),
            OptionSpec("jpeg", value: "MODE", help: "JPEG IDCT: exact (Pillow's pixels) or fast (default fast)"),
            OptionSpec("passes", value: "N", help: "minimum timed passes (default 5)"),
            OptionSpec("seconds", value: "S", help: "minimum timed seconds in all (default 2)"),
        ])

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let directory = try arguments.requirePositionals(["DIR"], command: spec.name)[0]
        let side = try arguments.integer("size", default: 150, in: 1...16384)
        let threads = try arguments.integer("threads", default: 1, in: 1...256)
        let jpeg = try arguments.choice("jpeg", default: JPEGDecoding.fast)
        let timer = try PassTimer(arguments, defaultPasses: 5)
        let paths = imageFiles(below: directory)
        guard !paths.isEmpty else { throw CommandFailure("no images in or below \(directory)") }
        let size = ImageSize(width: side, height: side)
        let decoder = ImageDecoder(options: DecodeOptions(colorMode: .rgb, targetSize: size, jpegDecoding: jpeg))
        func load(_ path: String) throws -> Image<UInt8> {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return try decoder.decode(data).image.eightBit.resized(to: size, filter: .bilinear)
        }
        let result = try timer.measure(images: paths.count) {
            if threads == 1 {
                for path in paths { _ = try load(path) }
            } else {
                let failures = parallelMap(paths.count, threads: threads) { i in (try? load(paths[i])) == nil ? 1 : 0 }
                if failures.contains(1) { throw CommandFailure("some images below \(directory) are unreadable") }
            }
        }
        console.print(benchLine(["bench": "decode", "library": "invariant", "img_per_s": result.median,
                                 "images": paths.count, "size": side, "threads": threads, "jpeg": jpeg.rawValue,
                                 "passes": result.passes, "stat": "median"]))
        return 0
    }
}

/// `invariant bench loader DIR`: batches per second from a class-folder dataset.
enum BenchLoaderCommand: Command {
    static let spec = CommandSpec(
        name: "bench loader", usage: "DIR [--batch N] [--workers N] [--limit N] [--size N] [--color grayscale|rgb]",
        summary: "Measure the parallel loader on a class-folder dataset (Keras order, one-hot labels, float32 NHWC); prints one JSON line.",
        options: [
            OptionSpec("batch", value: "N", help: "batch size (default 64)"),
            OptionSpec("workers", value: "N", help: "worker threads (default 2)"),
            OptionSpec("limit", value: "N", help: "the first N images in Keras order (default all)"),
            OptionSpec("size", value: "N", help: "image side in pixels (default 28)"),
            OptionSpec("color", value: "MODE", help: "grayscale or rgb (default grayscale)"),
            OptionSpec("passes", value: "N", help: "minimum timed passes (default 3)"),
            OptionSpec("seconds", value: "S", help: "minimum timed seconds in all (default 2)"),
        ])

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let directory = try arguments.requirePositionals(["DIR"], command: spec.name)[0]
        let workers = try arguments.integer("workers", default: 2, in: 0...256)
        let batch = try arguments.integer("batch", default: 64, in: 1...65536)
        let side = try arguments.integer("size", default: 28, in: 1...4096)
        let color = try arguments.choice("color", default: ColorMode.grayscale)
        var dataset = try ImageDataset.index(directory: directory)
        if arguments.string("limit") != nil {
            let count = try arguments.integer("limit", default: 0)
            dataset = dataset.subset(Array(dataset.samples.prefix(count)))
        }
        let options = LoaderOptions(imageSize: ImageSize(width: side, height: side), colorMode: color, batchSize: batch,
                                    shuffles: false, workers: workers, labelMode: .categorical)
        let loader = try BatchLoader(dataset: dataset, options: options)
        let timer = try PassTimer(arguments, defaultPasses: 3)
        let result = try timer.measure(images: dataset.samples.count) {
            var seen = 0
            for batch in loader.batches() { seen += batch.count }
            if seen != dataset.samples.count {
                throw CommandFailure("\(dataset.samples.count - seen) images failed to load")
            }
        }
        console.print(benchLine(["bench": "loader", "library": "invariant", "img_per_s": result.median,
                                 "images": dataset.samples.count, "batch": batch, "workers": workers,
                                 "passes": result.passes, "stat": "median"]))
        return 0
    }
}

/// `invariant bench augment --spec SPEC`: augmentation throughput on in-memory images.
enum BenchAugmentCommand: Command {
    static let spec = CommandSpec(
        name: "bench augment", usage: "--spec SPEC [--size N] [--n N] [--threads N] [--photos DIR] [--portable-kernels]",
        summary: "Measure an augmentation pipeline on N in-memory N×N RGB images (half random content, half photos when --photos is given); prints one JSON line.",
        options: [
            OptionSpec("spec", value: "SPEC|FILE", help: "the pipeline or a file with it, spec or JSON (default: the Keras-like hflip,rotate=20,zoom=0.8:1.2,shift=0.1,brightness=0.8:1.2)"),
            OptionSpec("size", value: "N", help: "image side in pixels (default 150)"),
            OptionSpec("n", value: "N", help: "images per pass (default 1000)"),
            OptionSpec("threads", value: "N", help: "threads (default 1)"),
            OptionSpec("photos", value: "DIR", help: "photos (decoded and resized) for half of the images"),
            OptionSpec("passes", value: "N", help: "minimum timed passes (default 5)"),
            OptionSpec("seconds", value: "S", help: "minimum timed seconds in all (default 2)"),
            OptionSpec("portable-kernels", help: "run the portable build of the SIMD kernels even where the CPU has x86-64-v4"),
        ])

    static let kerasLike = "hflip,rotate=20,zoom=0.8:1.2,shift=0.1,brightness=0.8:1.2"

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        _ = try arguments.requirePositionals([], command: spec.name)
        let specText = arguments.string("spec") ?? kerasLike
        let pipeline = try augmentationPipeline(specText)
        let side = try arguments.integer("size", default: 150, in: 1...1024)
        let count = try arguments.integer("n", default: 1000, in: 1...100_000)
        let threads = try arguments.integer("threads", default: 1, in: 1...256)
        let timer = try PassTimer(arguments, defaultPasses: 5)
        KernelBuild.prefersWide = !arguments.flag("portable-kernels")
        let size = ImageSize(width: side, height: side)
        let photos = try arguments.string("photos").map { directory -> [Image<UInt8>] in
            let paths = imageFiles(below: directory)
            guard !paths.isEmpty else { throw CommandFailure("no images in or below \(directory)") }
            return try paths.prefix(min(64, max(1, count / 2))).map {
                try ImageDecoder(options: DecodeOptions(targetSize: size)).decode(fileAt: $0).image.eightBit
                    .resized(to: size, filter: .bilinear)
            }
        } ?? []
        // A pool of at most 64 random-content images, cycled (memory stays bounded).
        var random = RandomKey(seed: 12345).generator()
        let noise: [Image<UInt8>] = (0..<min(64, count)).map { _ in
            Image(width: side, height: side, channels: 3,
                  pixels: (0..<side * side * 3).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        }
        let images: [Image<UInt8>] = (0..<count).map { i in
            !photos.isEmpty && i % 2 == 1 ? photos[(i / 2) % photos.count] : noise[i % noise.count]
        }
        // Each pass is a new epoch: parameters (and whether a step with p < 1 fires) are drawn
        // afresh, as albumentations draws them on every call, not one fixed sample of draws.
        var epoch = 0
        let result = timer.measure(images: count) {
            let passEpoch = epoch
            _ = parallelMap(count, threads: threads) { i in
                pipeline.apply(to: images[i], key: .augmentation(seed: 0, epoch: passEpoch, sampleIndex: i)).width
            }
            epoch += 1
        }
        console.print(benchLine(["bench": "augment", "library": "invariant", "img_per_s": result.median, "images": count,
                                 "size": side, "threads": threads, "spec": specText, "passes": result.passes,
                                 "stat": "median", "wide_kernels": KernelBuild.runsWide]))
        return 0
    }
}
