import Augment
import Datasets
import Foundation
import Imaging
import InvariantCore
import Reports

/// `invariant preview DIR|fashion-mnist --spec SPEC --out grid.png`: source images beside
/// augmented versions of them (the lesson's "let's look at what the augmentation does").
enum PreviewCommand: Command {
    static let spec = CommandSpec(
        name: "preview", usage: "DIR|fashion-mnist --spec SPEC --out FILE.png [--n N] [--versions K] [--seed S]",
        summary: "Write a labelled grid: N source images (spread over the classes), each beside K augmented versions (epochs 0…K−1).",
        options: [
            OptionSpec("spec", value: "SPEC|FILE", help: "the augmentation pipeline, e.g. hflip,rotate=20,zoom=0.8:1.2, or a file (spec or JSON)"),
            OptionSpec("out", value: "FILE", help: "the PNG to write"),
            OptionSpec("n", value: "N", help: "source images, one row each (default 8)"),
            OptionSpec("versions", value: "K", help: "augmented versions per image (default 5)"),
            OptionSpec("seed", value: "S", help: "random seed (default 0)"),
            OptionSpec("cell", value: "PX", help: "cell size in pixels (default 128)"),
        ])

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let source = try arguments.requirePositionals(["DIR|fashion-mnist"], command: spec.name)[0]
        guard let specText = arguments.string("spec") else { throw UsageError("invariant preview: missing --spec SPEC") }
        guard let output = arguments.string("out") else { throw UsageError("invariant preview: missing --out FILE") }
        let pipeline = try augmentationPipeline(specText)
        let count = try arguments.integer("n", default: 8, in: 1...256)
        let versions = try arguments.integer("versions", default: 5, in: 1...32)
        let seed = UInt64(try arguments.integer("seed", default: 0, in: 0...Int.max))
        let cell = try arguments.integer("cell", default: 128, in: 16...1024)
        let planned = ImageGrid(rows: Array(repeating: Array(repeating: ImageGrid.Cell(image: Image(width: 1, height: 1, channels: 1)),
                                                                 count: versions + 1), count: count),
                                cellSize: ImageSize(width: cell, height: cell), title: "")
        guard planned.size.width <= ImageGrid.maximumSide && planned.size.height <= ImageGrid.maximumSide else {
            throw UsageError("invariant preview: a grid of \(count) rows × \(versions + 1) cells of \(cell) px would be "
                + "\(planned.size), over \(ImageGrid.maximumSide) px; lower --n, --versions or --cell")
        }
        let samples = try loadSamples(from: source, count: count, longestSide: 2 * cell)
        let rows = samples.map { sample -> [ImageGrid.Cell] in
            [ImageGrid.Cell(image: sample.image, caption: sample.label)] + (0..<versions).map { epoch in
                let key = RandomKey.augmentation(seed: seed, epoch: epoch, sampleIndex: sample.index)
                return ImageGrid.Cell(image: pipeline.apply(to: sample.image, key: key), caption: "epoch \(epoch)")
            }
        }
        let grid = ImageGrid(rows: rows, cellSize: ImageSize(width: cell, height: cell), title: specText).render()
        try AtomicFile.write(try ImageEncoder.png(grid), to: URL(fileURLWithPath: output))
        console.print("wrote \(output) (\(grid.width)×\(grid.height)): \(samples.count) images × \(versions) augmented versions")
        return 0
    }

    struct PreviewSample {
        var image: Image<UInt8>
        var label: String
        /// Index in the dataset: the sample's augmentation key, as in training.
        var index: Int
    }

    /// `count` samples taken round-robin over the classes (the first of each class, then the
    /// second…), so every class shows; large images are reduced to `longestSide`.
    static func loadSamples(from source: String, count: Int, longestSide: Int) throws -> [PreviewSample] {
        if source == "fashion-mnist" {
            let images = try FashionMNIST.load(.train)
            let order = roundRobin(labels: images.labels.map(Int.init), count: count)
            return order.map { PreviewSample(image: images.image($0), label: FashionMNIST.classNames[Int(images.labels[$0])], index: $0) }
        }
        let dataset = try ImageDataset.index(directory: source)
        let order = roundRobin(labels: dataset.samples.map(\.label), count: count)
        let decoder = ImageDecoder(options: DecodeOptions(colorMode: .rgb))
        return try order.map { index in
            let sample = dataset.samples[index]
            var image = try decoder.decode(fileAt: sample.path).image.eightBit
            let longest = max(image.width, image.height)
            if longest > longestSide {
                let scale = Double(longestSide) / Double(longest)
                image = image.resized(to: ImageSize(width: max(1, Int(Double(image.width) * scale)),
                                                    height: max(1, Int(Double(image.height) * scale))), filter: .bilinear)
            }
            return PreviewSample(image: image, label: dataset.classNames[sample.label], index: index)
        }
    }

    /// Indices visiting the classes in turn, each in its own order.
    static func roundRobin(labels: [Int], count: Int) -> [Int] {
        var byClass: [Int: [Int]] = [:]
        for (index, label) in labels.enumerated() { byClass[label, default: []].append(index) }
        let classes = byClass.keys.sorted()
        var result: [Int] = []
        var position = 0
        while result.count < count {
            let before = result.count
            for label in classes where position < byClass[label]!.count && result.count < count {
                result.append(byClass[label]![position])
            }
            if result.count == before { break }
            position += 1
        }
        return result
    }
}
