import Augment
import Foundation
import Imaging
import InvariantCore

/// `invariant augment IMAGE --spec SPEC --out OUT.png`: one augmented image, reproducibly.
enum AugmentCommand: Command {
    static let spec = CommandSpec(
        name: "augment", usage: "IMAGE --spec SPEC --out OUT.png [--seed S] [--epoch E] [--index I]",
        summary: "Apply an augmentation pipeline to one image and write the result as PNG; prints what was applied.",
        options: [
            OptionSpec("spec", value: "SPEC|FILE", help: "the pipeline, e.g. hflip,rotate=20,zoom=0.8:1.2,brightness=0.8:1.2,shift=0.1, or a file with one or with the JSON form"),
            OptionSpec("out", value: "FILE", help: "where to write the PNG"),
            OptionSpec("seed", value: "S", help: "random seed (default 0)"),
            OptionSpec("epoch", value: "E", help: "epoch whose draw to use (default 0)"),
            OptionSpec("index", value: "I", help: "sample index whose draw to use (default 0)"),
            OptionSpec("json", help: "print the applied steps as JSON"),
        ])

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let path = try arguments.requirePositionals(["IMAGE"], command: spec.name)[0]
        guard let specText = arguments.string("spec") else { throw UsageError("invariant augment: missing --spec SPEC") }
        guard let output = arguments.string("out") else { throw UsageError("invariant augment: missing --out FILE") }
        let pipeline = try augmentationPipeline(specText)
        let seed = try arguments.integer("seed", default: 0, in: 0...Int.max)
        let epoch = try arguments.integer("epoch", default: 0, in: 0...Int.max)
        let index = try arguments.integer("index", default: 0, in: 0...Int.max)
        let image = try ImageDecoder().decode(fileAt: path).image.eightBit
        let key = RandomKey.augmentation(seed: UInt64(seed), epoch: epoch, sampleIndex: index)
        let record = pipeline.record(for: ImageSize(width: image.width, height: image.height), key: key)
        let augmented = pipeline.replay(record, on: image)
        try AtomicFile.write(try ImageEncoder.png(augmented), to: URL(fileURLWithPath: output))
        if arguments.flag("json") {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            console.print(String(decoding: try encoder.encode(record), as: UTF8.self))
        } else {
            for step in record {
                let parameters = step.parameters.sorted { $0.key < $1.key }
                    .map { "\($0.key)=\(String(format: "%.4g", $0.value))" }.joined(separator: " ")
                console.print("\(step.name) \(parameters)".trimmingCharacters(in: .whitespaces))
            }
            console.print("wrote \(output) (\(augmented.width)×\(augmented.height))")
        }
        return 0
    }
}

/// The pipeline a `--spec` or `--augment` option describes: a spec string, or a file holding
/// one or the JSON form. A bad token or step is a usage error naming it and the option.
func augmentationPipeline(_ text: String, option: String = "spec") throws -> AugmentationPipeline {
    do { return try AugmentationSpec.load(text) } catch let error as AugmentationSpecError {
        throw UsageError("--\(option): \(error)")
    }
}
