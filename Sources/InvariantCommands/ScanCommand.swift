import Datasets
import Foundation
import Imaging

/// `invariant scan DIR`: index and validate a class-folder dataset and report on it.
enum ScanCommand: Command {
    static let spec = CommandSpec(
        name: "scan", usage: "DIR [options]",
        summary: "Index and validate a class-folder dataset (DIR/<class>/<image>): class counts, image sizes and every unreadable file.",
        options: [
            OptionSpec("json", help: "print one JSON document instead of text"),
            OptionSpec("strict", help: "fail (exit 1) when any image is unreadable"),
            OptionSpec("deep", help: "decode every image fully instead of checking headers and end markers"),
            OptionSpec("follow-links", help: "descend into symbolically linked folders"),
            OptionSpec("natural-order", help: "order classes naturally (class2 before class10) instead of by code point"),
            OptionSpec("classes", value: "A,B,…", help: "use these classes in this order"),
            OptionSpec("pixel-limit", value: "N", help: "refuse images over N pixels (default \(DecodeOptions.defaultPixelLimit))"),
            OptionSpec("threads", value: "N", help: "threads reading headers (default: all cores)"),
        ])

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let directory = try arguments.requirePositionals(["DIR"], command: spec.name)[0]
        var options = IndexOptions()
        options.policy = arguments.flag("strict") ? .strict : .skip
        options.depth = arguments.flag("deep") ? .full : .header
        options.followsSymlinks = arguments.flag("follow-links")
        if arguments.flag("natural-order") { options.classOrder = .natural }
        if let classes = arguments.string("classes") {
            let names = classes.split(separator: ",").map(String.init)
            guard !names.isEmpty, Set(names).count == names.count else {
                throw UsageError("--classes: expected distinct comma-separated class names, got '\(classes)'")
            }
            options.classOrder = .explicit(names)
        }
        options.pixelLimit = try arguments.integer("pixel-limit", default: DecodeOptions.defaultPixelLimit)
        options.threads = try arguments.integer("threads", default: options.threads, in: 1...256)
        let dataset = try ImageDataset.index(directory: directory, options: options)
        if arguments.flag("json") {
            console.print(try ScanReport(dataset).json())
        } else {
            console.print(ScanReport(dataset).text)
        }
        return 0
    }
}

/// What `scan` reports, as text or JSON.
struct ScanReport: Encodable {
    struct ClassEntry: Encodable { var index: Int; var name: String; var count: Int }
    struct FileEntry: Encodable { var path: String; var label: Int; var format: String; var width: Int; var height: Int }
    struct SizeStatistics: Encodable {
        var minWidth: Int, maxWidth: Int, meanWidth: Double
        var minHeight: Int, maxHeight: Int, meanHeight: Double
        var commonSizes: [SizeCount]
    }
    struct SizeCount: Encodable { var width: Int; var height: Int; var count: Int }

    var root: String
    var summary: String
    var imageCount: Int
    var classes: [ClassEntry]
    var sizes: SizeStatistics
    var formats: [String: Int]
    var problems: [FileProblem]
    var hidden: [String]
    var ignored: [String]
    var skippedLinks: [FileProblem]
    var unlistedFolders: [String]
    var files: [FileEntry]

    init(_ dataset: ImageDataset) {
        root = dataset.root
        summary = dataset.summary
        imageCount = dataset.samples.count
        classes = zip(dataset.classNames, dataset.classCounts).enumerated().map {
            ClassEntry(index: $0.offset, name: $0.element.0, count: $0.element.1)
        }
        let sizes = dataset.samples.map { $0.header.orientedSize }
        var counts: [ImageSize: Int] = [:]
        for size in sizes { counts[size, default: 0] += 1 }
        let common = counts.sorted { $0.value != $1.value ? $0.value > $1.value : ($0.key.width, $0.key.height) < ($1.key.width, $1.key.height) }
        self.sizes = SizeStatistics(
            minWidth: sizes.map(\.width).min() ?? 0, maxWidth: sizes.map(\.width).max() ?? 0,
            meanWidth: sizes.isEmpty ? 0 : Double(sizes.map(\.width).reduce(0, +)) / Double(sizes.count),
            minHeight: sizes.map(\.height).min() ?? 0, maxHeight: sizes.map(\.height).max() ?? 0,
            meanHeight: sizes.isEmpty ? 0 : Double(sizes.map(\.height).reduce(0, +)) / Double(sizes.count),
            commonSizes: common.prefix(5).map { SizeCount(width: $0.key.width, height: $0.key.height, count: $0.value) })
        formats = Dictionary(dataset.samples.map { ($0.header.format.rawValue, 1) }, uniquingKeysWith: +)
        problems = dataset.problems
        hidden = dataset.hiddenPaths
        ignored = dataset.ignoredFiles
        skippedLinks = dataset.skippedLinks
        unlistedFolders = dataset.unlistedFolders
        files = dataset.samples.map {
            FileEntry(path: $0.relativePath, label: $0.label, format: $0.header.format.rawValue,
                      width: $0.header.orientedSize.width, height: $0.header.orientedSize.height)
        }
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    var text: String {
        var lines = [summary, ""]
        let nameWidth = max(5, classes.map(\.name.count).max() ?? 0)
        lines.append("  index  " + "class".padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "  images")
        for entry in classes {
            lines.append(String(format: "  %5d  ", entry.index)
                + entry.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + String(format: "  %6d", entry.count))
        }
        lines.append("")
        lines.append("Image sizes (width×height, after EXIF orientation): "
            + "width \(sizes.minWidth)–\(sizes.maxWidth) (mean \(String(format: "%.1f", sizes.meanWidth))), "
            + "height \(sizes.minHeight)–\(sizes.maxHeight) (mean \(String(format: "%.1f", sizes.meanHeight)))")
        lines.append("  most common: " + sizes.commonSizes.map { "\($0.width)×\($0.height) (\($0.count))" }.joined(separator: ", "))
        lines.append("Formats: " + formats.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        func section(_ title: String, _ entries: [String], limit: Int = 20) {
            guard !entries.isEmpty else { return }
            lines.append("")
            lines.append("\(title) (\(entries.count)):")
            lines += entries.prefix(limit).map { "  \($0)" }
            if entries.count > limit { lines.append("  … and \(entries.count - limit) more (--json lists them all)") }
        }
        section("Unreadable images, skipped", problems.map(\.description), limit: Int.max)
        section("Hidden files and folders, skipped", hidden)
        section("Other files, ignored", ignored)
        section("Linked folders, not followed", skippedLinks.map(\.description))
        section("Folders not among the requested classes", unlistedFolders)
        return lines.joined(separator: "\n")
    }
}
