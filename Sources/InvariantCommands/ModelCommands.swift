import Datasets
import Foundation
import Imaging
import InvariantCore
import Learning
import Reports
import Tensors

/// A trained model as the commands find it: `DIR` (holding `model.json`), a prefix, or the
/// `.json` / `.safetensors` file itself, with the class names stored beside the weights.
struct SavedModel {
    var model: any Model
    var classNames: [String]
    /// The folder holding the model's files.
    var folder: URL

    static func load(_ path: String) throws -> SavedModel {
        var prefix = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            prefix = prefix.appendingPathComponent("model")
        } else if ["json", "safetensors"].contains(prefix.pathExtension) {
            prefix = prefix.deletingPathExtension()
        }
        guard FileManager.default.fileExists(atPath: prefix.path + ".json") else {
            throw CommandFailure("\(path): no model there (expected \(prefix.path).json and .safetensors, as invariant train writes)")
        }
        let (model, metadata) = try loadModelWithMetadata(from: prefix)
        let classes = model.outputShape.first ?? 0
        var names = (0..<classes).map { "class \($0)" }
        if let text = metadata["class_names"], let stored = try? JSONDecoder().decode([String].self, from: Data(text.utf8)),
           stored.count == classes {
            names = stored
        }
        return SavedModel(model: model, classNames: names, folder: prefix.deletingLastPathComponent())
    }

    /// What the model's input asks of the loader: its size and colour mode.
    var loaderOptions: LoaderOptions {
        let shape = model.inputShape
        return LoaderOptions(imageSize: ImageSize(width: shape[1], height: shape[0]),
                             colorMode: shape.count == 3 && shape[2] == 1 ? .grayscale : .rgb,
                             interpolation: .bilinear, batchSize: 64, shuffles: false)
    }
}

/// `invariant summary MODEL`: the Keras summary of a saved model.
enum SummaryCommand: Command {
    static let spec = CommandSpec(name: "summary", usage: "MODEL",
                                  summary: "Print a saved model's layers, output shapes and parameter counts (Keras's model.summary()).",
                                  options: [])

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let saved = try SavedModel.load(try arguments.requirePositionals(["MODEL"], command: spec.name)[0])
        console.print(saved.model.summary)
        return 0
    }
}

/// `invariant evaluate MODEL DATA`: loss, accuracy, per-class accuracy and the confusion matrix
/// (as text and as a PNG heat map).
enum EvaluateCommand: Command {
    static let spec = CommandSpec(
        name: "evaluate", usage: "MODEL DIR|fashion-mnist [--json] [--png FILE]",
        summary: "Evaluate a saved model on class folders (or the Fashion-MNIST test split): loss, accuracy, per-class accuracy, confusion matrix.",
        options: [
            OptionSpec("json", help: "print one JSON document"),
            OptionSpec("batch", value: "N", help: "batch size (default 64)"),
            OptionSpec("png", value: "FILE", help: "where to draw the confusion matrix (default: confusion_matrix.png beside the model)"),
        ])

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        let positionals = try arguments.requirePositionals(["MODEL", "DIR|fashion-mnist"], command: spec.name)
        let saved = try SavedModel.load(positionals[0])
        let directory = positionals[1] == TrainingData.builtInName
            ? try TrainingData.builtInFolders(console: arguments.flag("json") ? Console(output: { _ in }, error: { _ in }) : console).test
            : positionals[1]
        let dataset = try ImageDataset.index(directory: directory)
        guard dataset.classNames.count == saved.classNames.count else {
            throw CommandFailure("\(directory) has \(dataset.classNames.count) classes, the model \(saved.classNames.count)")
        }
        var options = saved.loaderOptions
        options.batchSize = try arguments.integer("batch", default: 64, in: 1...65_536)
        let loader = try BatchLoader(dataset: dataset, options: options)
        let model = saved.model
        model.compile()
        let classes = saved.classNames.count
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
        var imageCount = 0
        let logs = try model.evaluate(loader) { labels, outputs in
            imageCount += labels.count
            outputs.withUnsafeBufferPointer { scores in
                for (row, label) in labels.enumerated() {
                    let slice = scores[(row * classes)..<((row + 1) * classes)]
                    confusion[label][slice.indices.max { slice[$0] < slice[$1] }! - row * classes] += 1
                }
            }
        }
        let perClass = confusion.enumerated().map { label, row in
            Double(row[label]) / Double(max(1, row.reduce(0, +)))
        }
        let chartURL = URL(fileURLWithPath: arguments.string("png") ?? saved.folder.appendingPathComponent("confusion_matrix.png").path)
        let chart = ConfusionMatrixChart(counts: confusion, classNames: saved.classNames,
                                         title: "\(saved.model.name) on \(URL(fileURLWithPath: directory).lastPathComponent)")
        // The chart is a by-product: a folder that cannot take it costs a warning, not the evaluation.
        var wroteChart = false
        if let image = chart.render() {
            do {
                try AtomicFile.write(try ImageEncoder.png(image), to: chartURL)
                wroteChart = true
            } catch {
                console.printError("warning: \(chartURL.path): cannot write the confusion matrix (\(error)); choose another place with --png FILE")
            }
        } else {
            console.printError("warning: no confusion matrix PNG for \(classes) classes (at most \(ConfusionMatrixChart.maximumClasses))")
        }
        if arguments.flag("json") {
            let object: [String: Any] = ["loss": logs["loss"]!, "accuracy": logs["accuracy"]!, "images": imageCount,
                                         "confusion_matrix_png": wroteChart ? chartURL.path : NSNull(),
                                         "classes": saved.classNames, "per_class_accuracy": perClass, "confusion_matrix": confusion]
            console.print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
            return 0
        }
        console.print(dataset.summary)
        console.print(String(format: "loss: %.4f - accuracy: %.4f", logs["loss"]!, logs["accuracy"]!))
        console.print("")
        let width = max(12, (saved.classNames.map(\.count).max() ?? 0) + 2)
        console.print("per-class accuracy:")
        for (name, accuracy) in zip(saved.classNames, perClass) {
            console.print("  " + name.padding(toLength: width, withPad: " ", startingAt: 0) + String(format: "%.4f", accuracy))
        }
        console.print("")
        console.print("confusion matrix (rows: true class, columns: predicted):")
        let cell = max(5, String(imageCount).count + 1)
        console.print(String(repeating: " ", count: width + 2) + (0..<classes).map { pad(String($0), cell) }.joined())
        for (index, row) in confusion.enumerated() {
            console.print("  " + "\(index) \(saved.classNames[index])".padding(toLength: width, withPad: " ", startingAt: 0)
                          + row.map { pad(String($0), cell) }.joined())
        }
        if wroteChart { console.print("Wrote \(chartURL.path)") }
        return 0
    }

    static func pad(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
}

/// `invariant predict MODEL IMAGE…|DIR`: the top classes of each image.
enum PredictCommand: Command {
    static let spec = CommandSpec(
        name: "predict", usage: "MODEL IMAGE…|DIR [--top K] [--json]",
        summary: "Classify images (files, or every image in or below a folder) with a saved model: the top K classes with probabilities.",
        options: [
            OptionSpec("top", value: "K", help: "classes shown per image (default 3)"),
            OptionSpec("json", help: "one JSON object per image"),
        ])

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        guard arguments.positionals.count >= 2 else {
            throw UsageError("invariant predict: missing MODEL and IMAGE…|DIR (see invariant predict --help)")
        }
        let saved = try SavedModel.load(arguments.positionals[0])
        let top = try arguments.integer("top", default: 3, in: 1...saved.classNames.count)
        var paths: [String] = []
        for path in arguments.positionals.dropFirst() {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CommandFailure("\(path): no such file or directory")
            }
            paths += isDirectory.boolValue ? imageFiles(below: path) : [path]
        }
        guard !paths.isEmpty else { throw CommandFailure("no images in \(arguments.positionals.dropFirst().joined(separator: ", "))") }
        let options = saved.loaderOptions
        let decoder = ImageDecoder(options: DecodeOptions(colorMode: options.colorMode))
        let model = saved.model
        var failures = 0
        for path in paths {
            let image: Image<UInt8>
            do {
                image = try decoder.decode(fileAt: path).image.eightBit
            } catch {
                console.printError("\(path): \(error)")
                failures += 1
                continue
            }
            let resized = image.width == options.imageSize.width && image.height == options.imageSize.height
                ? image : image.resized(to: options.imageSize, filter: .bilinear)
            let pixels = resized.compacted().pixels.map(Float.init)
            let scores = model(Tensor(shape: [1] + model.inputShape, scalars: pixels)).scalars
            let best = scores.indices.sorted { scores[$0] > scores[$1] }.prefix(top)
            if arguments.flag("json") {
                let object: [String: Any] = ["path": path, "predictions": best.map { ["class": saved.classNames[$0], "index": $0,
                                                                                        "probability": Double(scores[$0])] }]
                console.print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
            } else {
                console.print(path + ": " + best.map { "\(saved.classNames[$0]) \(String(format: "%.3f", scores[$0]))" }.joined(separator: ", "))
            }
        }
        return failures == 0 ? 0 : 1
    }
}
