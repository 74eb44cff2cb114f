import Datasets
import Foundation

/// `invariant export fashion-mnist DIR`: write the built-in dataset as class folders of PNGs.
enum ExportCommand: Command {
    static let spec = CommandSpec(
        name: "export", usage: "fashion-mnist DIR [--source DIR]",
        summary: "Write a built-in dataset as class folders of PNG files: DIR/train/<class>/… and DIR/test/<class>/….",
        options: [
            OptionSpec("source", value: "DIR", help: "folder of the IDX files (default \(FashionMNIST.defaultDirectory))"),
        ])

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let positionals = try arguments.requirePositionals(["DATASET", "DIR"], command: spec.name)
        guard positionals[0] == "fashion-mnist" else {
            throw UsageError("invariant export: unknown dataset '\(positionals[0])'; built-in datasets: fashion-mnist")
        }
        let start = Date()
        let counts = try FashionMNIST.export(to: positionals[1], from: arguments.string("source") ?? FashionMNIST.defaultDirectory)
        console.print("Exported Fashion-MNIST to \(positionals[1]): \(counts[.train] ?? 0) training and "
            + "\(counts[.test] ?? 0) test images in \(FashionMNIST.folderNames.count) classes "
            + String(format: "(%.1f s).", Date().timeIntervalSince(start)))
        return 0
    }
}
