import Augment
import Datasets
import Foundation
import Imaging
import InvariantCore
import Learning

/// The training and validation data of `invariant train` and `invariant evaluate`: class
/// folders, or the built-in Fashion-MNIST (exported once to class folders of PNGs in the
/// cache directory, so both go through the same validated, parallel loader).
struct TrainingData {
    var training: ImageDataset
    var validation: ImageDataset?
    var isBuiltIn: Bool

    static let builtInName = "fashion-mnist"

    /// `~/.cache/invariant/fashion-mnist` (or under `$XDG_CACHE_HOME`).
    static var builtInDirectory: String {
        let environment = ProcessInfo.processInfo.environment
        let cache = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? ((environment["HOME"] ?? NSTemporaryDirectory()) + "/.cache")
        return cache + "/invariant/fashion-mnist"
    }

    /// The folders of the built-in dataset, exported on first use.
    static func builtInFolders(console: Console) throws -> (train: String, test: String) {
        let directory = builtInDirectory
        if !FileManager.default.fileExists(atPath: directory + "/train") {
            console.print("Exporting Fashion-MNIST to \(directory) (once)…")
            try FashionMNIST.export(to: directory)
        }
        return (directory + "/train", directory + "/test")
    }

    /// Indexes `data` (a directory or `fashion-mnist`) and the validation data: a directory,
    /// a fraction of the training folders, or — for the built-in dataset — its test split.
    static func load(data: String, validation: String?, validationSplit: Double?, seed: UInt64, strict: Bool,
                     console: Console) throws -> TrainingData {
        var options = IndexOptions()
        options.policy = strict ? .strict : .skip
        let isBuiltIn = data == builtInName
        var trainingDirectory = data, validationDirectory = validation
        if isBuiltIn {
            let folders = try builtInFolders(console: console)
            trainingDirectory = folders.train
            if validationDirectory == nil && validationSplit == nil { validationDirectory = folders.test }
        }
        if let validationDirectory, validationDirectory == builtInName {
            throw UsageError("--validation: the built-in dataset brings its own test split; give a directory")
        }
        let training = try index(trainingDirectory, options: options, console: console)
        if let validationSplit {
            let parts = try training.validationSplit(validationSplit, seed: seed)
            console.print("Split \(training.samples.count) images: \(parts.training.samples.count) for training, "
                          + "\(parts.validation.samples.count) for validation.")
            return TrainingData(training: parts.training, validation: parts.validation, isBuiltIn: isBuiltIn)
        }
        var validationSet: ImageDataset?
        if let validationDirectory {
            let set = try index(validationDirectory, options: options, console: console)
            guard set.classNames == training.classNames else {
                throw CommandFailure("\(validationDirectory): its classes (\(set.classNames.joined(separator: ", "))) differ from "
                                     + "the training classes (\(training.classNames.joined(separator: ", ")))")
            }
            validationSet = set
        }
        return TrainingData(training: training, validation: validationSet, isBuiltIn: isBuiltIn)
    }

    static func index(_ directory: String, options: IndexOptions, console: Console) throws -> ImageDataset {
        let dataset = try ImageDataset.index(directory: directory, options: options)
        console.print(dataset.summary)
        if !dataset.problems.isEmpty {
            console.print("Skipping \(dataset.problems.count) unreadable file(s) (--strict refuses them):")
            for problem in dataset.problems.prefix(10) { console.print("  \(problem.path): \(problem.reason)") }
            if dataset.problems.count > 10 { console.print("  … and \(dataset.problems.count - 10) more (see invariant scan)") }
        }
        guard !dataset.samples.isEmpty else { throw CommandFailure("\(directory): no readable images") }
        return dataset
    }
}

/// `--size N` or `--size WxH`.
func imageSize(_ text: String?, default defaultSize: ImageSize) throws -> ImageSize {
    guard let text else { return defaultSize }
    let parts = text.lowercased().split(separator: "x").map { Int($0) }
    if parts.count == 1, let side = parts[0], (8...4096).contains(side) { return ImageSize(width: side, height: side) }
    if parts.count == 2, let width = parts[0], let height = parts[1], (8...4096).contains(width), (8...4096).contains(height) {
        return ImageSize(width: width, height: height)
    }
    throw UsageError("--size: expected N or WxH with sides in 8…4096, got '\(text)'")
}

