import Augment
import Datasets
import Foundation
import Imaging
import InvariantCore
import Learning
import Reports
import Tensors

/// `invariant train`: the main job. Index and validate a class-folder dataset (or the
/// built-in Fashion-MNIST), augment on worker threads, train with Keras-style progress and
/// callbacks, validate every epoch, and write the model, its history and plots.
enum TrainCommand: Command {
    static let spec = CommandSpec(
        name: "train", usage: "[--data DIR|fashion-mnist] [--validation DIR | --validation-split F] [options]",
        summary: "Train an image classifier on class folders (DIR/<class>/<image>) with on-the-fly augmentation; "
            + "writes the model, history.csv, history.json, history.png and summary.json to --out. "
            + "With no arguments it trains on the built-in Fashion-MNIST (validating on its test split).",
        options: [
            OptionSpec("data", value: "DIR", help: "training class folders, or fashion-mnist (default)"),
            OptionSpec("validation", value: "DIR", help: "validation class folders (same classes)"),
            OptionSpec("validation-split", value: "F", help: "hold out this fraction of each training class instead (0 < F < 1)"),
            OptionSpec("size", value: "N|WxH", help: "image size the model sees (default 28 for fashion-mnist, 150 otherwise)"),
            OptionSpec("color", value: "MODE", help: "rgb or grayscale (default grayscale for fashion-mnist, rgb otherwise)"),
            OptionSpec("model", value: "NAME", help: "small-cnn, vgg-mini or vgg16 (default vgg-mini; vgg16 for --weights)"),
            OptionSpec("weights", value: "FILE|NAME", help: "pretrained weights of the vgg16 base: a Keras .h5 or .weights.h5, torchvision or Invariant safetensors; a bare file name is looked up in $KERAS_HOME/models or ~/.keras/models"),
            OptionSpec("head", value: "SPEC", help: "layers on a vgg16 base, e.g. flatten,dense:512:relu,dropout:0.5 (default flatten,dense:512:relu)"),
            OptionSpec("augment", value: "SPEC|FILE", help: "augmentation pipeline, e.g. hflip,rotate=15,shift=0.1 (default none; fashion-mnist: \(defaultFashionAugmentation))"),
            OptionSpec("mix", value: "KIND[:ALPHA]", help: "mix every training batch with itself rolled by one, labels mixed alike: mixup or cutmix, with α of the Beta(α, α) weight (default 1), e.g. cutmix or mixup:0.2; trains with categorical cross-entropy"),
            OptionSpec("freeze", value: "NAMES", help: "freeze the layers whose names start with these (comma-separated; base = the vgg16 base), e.g. --freeze base"),
            OptionSpec("epochs", value: "N", help: "training epochs (default 10)"),
            OptionSpec("fine-tune-epochs", value: "N", help: "then train N more epochs with the --unfreeze layers trainable (default 0)"),
            OptionSpec("unfreeze", value: "NAMES", help: "layers (name prefixes) that fine-tuning trains (default block5)"),
            OptionSpec("fine-tune-lr", value: "F", help: "learning rate of the fine-tuning epochs, constant (default 1e-05)"),
            OptionSpec("batch", value: "N", help: "batch size (default 32; 128 for fashion-mnist)"),
            OptionSpec("optimizer", value: "NAME", help: "adam (default), adamw, sgd or rmsprop"),
            OptionSpec("lr", value: "F", help: "learning rate (default 0.001, Keras's; 0.002 for fashion-mnist; 0.01 for sgd)"),
            OptionSpec("schedule", value: "NAME", help: "learning rate over the run: constant or cosine (default cosine)"),
            OptionSpec("tensorboard", value: "DIR", help: "also write TensorBoard event files (epoch scalars) to DIR/train and DIR/validation"),
            OptionSpec("early-stopping", value: "N", help: "stop when val_loss has not improved for N epochs (restores the best weights)"),
            OptionSpec("seed", value: "S", help: "seed of the weights, data order, augmentation and dropout (default 42)"),
            OptionSpec("workers", value: "N", help: "image decoding and augmentation threads (default: all cores)"),
            OptionSpec("threads", value: "N", help: "compute threads (default: all cores)"),
            OptionSpec("out", value: "DIR", help: "output folder (default runs/train)"),
            OptionSpec("verbose", value: "N", help: "0 silent, 1 progress bar (default), 2 one line per epoch"),
            OptionSpec("resume", help: "continue the interrupted run in --out from its backup"),
            OptionSpec("strict", help: "refuse to start when any image is unreadable (default: skip them and say so)"),
        ])

    static let defaultFashionAugmentation = "hflip,shift=0.05"

    enum OptimizerName: String, CaseIterable { case adam, adamw, sgd, rmsprop }
    enum ScheduleName: String, CaseIterable { case constant, cosine }

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        _ = try arguments.requirePositionals([], command: spec.name)
        let dataName = arguments.string("data") ?? TrainingData.builtInName
        let builtIn = dataName == TrainingData.builtInName
        let size = try imageSize(arguments.string("size"), default: ImageSize(width: builtIn ? 28 : 150, height: builtIn ? 28 : 150))
        let color = try arguments.choice("color", default: builtIn ? ColorMode.grayscale : ColorMode.rgb)
        guard color == .rgb || color == .grayscale else { throw UsageError("--color: expected rgb or grayscale, got '\(color.rawValue)'") }
        let weightsName = arguments.string("weights")
        let architecture = try arguments.choice("model", default: weightsName == nil ? Architecture.compactVGG : .vgg16)
        if weightsName != nil && architecture != .vgg16 { throw UsageError("--weights applies to --model vgg16 only (the base's weights)") }
        let epochs = try arguments.integer("epochs", default: 10, in: 1...100_000)
        let batchSize = try arguments.integer("batch", default: builtIn ? 128 : 32, in: 1...65_536)
        let optimizerName = try arguments.choice("optimizer", default: OptimizerName.adam)
        let learningRate = try positiveNumber(arguments, "lr", default: optimizerName == .sgd ? 0.01 : builtIn ? 0.002 : 0.001)
        let schedule = try arguments.choice("schedule", default: ScheduleName.cosine)
        let patience = try arguments.string("early-stopping").map { _ in try arguments.integer("early-stopping", default: 3, in: 0...100_000) }
        let seed = UInt64(try arguments.integer("seed", default: 42, in: 0...Int.max))
        let workers = try arguments.integer("workers", default: availableCores, in: 0...256)
        if arguments.string("threads") != nil { CPUBackend.threadCount = try arguments.integer("threads", default: 1, in: 1...256) }
        let verbosity = Verbosity(rawValue: try arguments.integer("verbose", default: 1, in: 0...2))!
        let out = URL(fileURLWithPath: arguments.string("out") ?? "runs/train")
        let augmentSpec = arguments.string("augment") ?? (builtIn ? defaultFashionAugmentation : "none")
        let pipeline = augmentSpec == "none" ? nil : try augmentationPipeline(augmentSpec, option: "augment")
        let mixing = try arguments.string("mix").map(batchMixing)
        let validationSplit = try arguments.string("validation-split").map { text -> Double in
            guard let value = Double(text), value > 0, value < 1 else {
                throw UsageError("--validation-split: expected a fraction between 0 and 1 (exclusive), got '\(text)'")
            }
            return value
        }
        if validationSplit != nil && arguments.string("validation") != nil {
            throw UsageError("--validation and --validation-split exclude each other; give one")
        }
        let head = try arguments.string("head").map { try headLayers($0) }
        if head != nil && architecture != .vgg16 { throw UsageError("--head applies to --model vgg16 only") }

        let data = try TrainingData.load(data: dataName, validation: arguments.string("validation"),
                                         validationSplit: validationSplit, seed: seed, strict: arguments.flag("strict"),
                                         console: console)
        let classes = data.training.classNames.count
        guard classes >= 2 else { throw CommandFailure("\(data.training.root): a classifier needs at least 2 classes, found \(classes)") }
        var options = LoaderOptions(imageSize: size, colorMode: color, interpolation: .bilinear, batchSize: batchSize,
                                    shuffles: true, seed: seed, workers: workers)
        options.mixing = mixing
        let trainingLoader = try pipeline.map { try BatchLoader(training: data.training, options: options, augmentation: $0) }
            ?? BatchLoader(dataset: data.training, options: options)
        options.shuffles = false
        options.mixing = nil
        let validationLoader = try data.validation.map { try BatchLoader(dataset: $0, options: options) }

        let inputShape = [size.height, size.width, color == .rgb ? 3 : 1]
        let model: Sequential
        do {
            model = try architecture.make(inputShape: inputShape, classes: classes, head: head, seed: seed)
        } catch let error as ModelConfigurationError {
            throw UsageError("--model \(architecture.rawValue) does not fit \(size.width)×\(size.height) images: \(error)")
        }
        if let weightsName { try loadBaseWeights(weightsName, into: model, console: console) }
        let fineTuning = try fineTuningPhase(arguments, model: model, startEpoch: epochs)
        let totalEpochs = epochs + (fineTuning?.epochs ?? 0)
        let steps = trainingLoader.batchCount
        let optimizer = makeOptimizer(optimizerName, learningRate: Float(learningRate))
        if schedule == .cosine { optimizer.schedule = CosineDecay(initialLearningRate: Float(learningRate), decaySteps: epochs * steps) }
        // Mixed batches carry soft labels, which only the categorical form takes.
        model.compile(optimizer: optimizer, loss: mixing == nil ? .sparseCategoricalCrossentropy() : .categoricalCrossentropy(),
                      metrics: [.accuracy])
        if verbosity != .silent { console.print(model.summary) }

        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let backup = BackupAndRestore(directory: out)
        if arguments.flag("resume") {
            guard FileManager.default.fileExists(atPath: backup.file.path) else {
                throw CommandFailure("\(backup.file.path): no interrupted run to resume (the backup is written after each epoch and on Ctrl-C)")
            }
        } else if FileManager.default.fileExists(atPath: backup.file.path) {
            try FileManager.default.removeItem(at: backup.file)
            console.print("Replacing the backup of an earlier interrupted run in \(out.path) (use --resume to continue it).")
        }
        let monitor = validationLoader == nil ? "loss" : "val_loss"
        let classMetadata = ["class_names": String(decoding: try JSONEncoder().encode(data.training.classNames), as: UTF8.self)]
        var callbacks: [any Callback] = [CSVLogger(file: out.appendingPathComponent("history.csv"), append: false), TerminateOnNaN()]
        if validationLoader != nil {
            callbacks.append(ModelCheckpoint(filepath: out.appendingPathComponent("best").path, monitor: "val_accuracy",
                                             saveBestOnly: true, metadata: classMetadata))
        }
        if let fineTuning { callbacks.append(fineTuning.callback) }
        let tensorBoard = arguments.string("tensorboard").map { TensorBoard(logDirectory: URL(fileURLWithPath: $0)) }
        if let tensorBoard { callbacks.append(tensorBoard) }
        if let patience {
            callbacks.append(EarlyStopping(monitor: monitor, patience: patience, restoreBestWeights: true, verbose: verbosity != .silent))
        }
        console.print("Training \(model.name) on \(data.training.samples.count) images (\(steps) steps of \(batchSize) per epoch, "
                      + "augmentation: \(augmentSpec)\(mixing.map { ", mixing: \($0.kind.rawValue) α \($0.alpha)" } ?? "")) → \(out.path)")
        let interruption = TrainingInterruption()
        InterruptHandler.install(interruption)
        defer { InterruptHandler.remove() }
        let output = TrainingOutput(isTerminal: console.isTerminal) { console.write($0) }
        let start = Date()
        let history = try model.fit(trainingLoader, validationData: validationLoader, epochs: totalEpochs, callbacks: callbacks,
                                    verbose: verbosity, output: output, seed: seed, backup: backup, interruption: interruption)
        let seconds = Date().timeIntervalSince(start)
        if let tensorBoard, let error = tensorBoard.writeError {
            console.printError("warning: --tensorboard \(tensorBoard.logDirectory.path): the event files could not be written (\(error))")
        }
        for problem in trainingLoader.problems + (validationLoader?.problems ?? []) {
            console.printError("skipped while loading: \(problem.path): \(problem.reason)")
        }
        try writeResults(model: model, metadata: classMetadata, history: history, out: out, seconds: seconds,
                         imagesTrained: history.epochs.count * data.training.samples.count, console: console,
                         interrupted: interruption.isRequested)
        return interruption.isRequested ? 130 : 0
    }

    /// Applies `--freeze` (now) and returns the `--fine-tune-epochs` phase (`--unfreeze`,
    /// `--fine-tune-lr`) as a callback starting after the first `startEpoch` epochs.
    static func fineTuningPhase(_ arguments: ParsedArguments, model: Sequential,
                                startEpoch: Int) throws -> (callback: FineTuning, epochs: Int)? {
        func prefixes(_ flag: String, _ text: String, isDefault: Bool = false) throws -> [String] {
            let names = text.split(separator: ",").map(String.init)
            for name in names where !model.allLayerNames.contains(where: { $0.hasPrefix(name == "base" ? "vgg16" : name) }) {
                throw UsageError("--\(flag)\(isDefault ? " (default \(text))" : ""): no layer name starts with '\(name)'"
                                 + (name == "base" ? " (the vgg16 base: give --model vgg16)" : "")
                                 + "; the model's layers: " + model.allLayerNames.joined(separator: ", "))
            }
            return names.map { $0 == "base" ? "vgg16" : $0 }
        }
        if let text = arguments.string("freeze") { model.freezeLayers(matching: try prefixes("freeze", text)) }
        let epochs = try arguments.integer("fine-tune-epochs", default: 0, in: 0...100_000)
        guard epochs > 0 else {
            for flag in ["unfreeze", "fine-tune-lr"] where arguments.string(flag) != nil {
                throw UsageError("--\(flag) applies to the fine-tuning phase: give --fine-tune-epochs N too")
            }
            return nil
        }
        if arguments.string("early-stopping") != nil {
            throw UsageError("--early-stopping and --fine-tune-epochs exclude each other: early stopping would end the first phase "
                             + "before fine-tuning, or restore weights from before it")
        }
        let unfreezing = try prefixes("unfreeze", arguments.string("unfreeze") ?? "block5", isDefault: arguments.string("unfreeze") == nil)
        let learningRate = try positiveNumber(arguments, "fine-tune-lr", default: 1e-5)
        return (FineTuning(startEpoch: startEpoch, unfreezing: unfreezing, learningRate: Float(learningRate)), epochs)
    }

    /// Loads `--weights` into the model's `vgg16` base and prints the report.
    static func loadBaseWeights(_ name: String, into model: Sequential, console: Console) throws {
        guard let base = model.layer(named: "vgg16") as? Sequential else { throw CommandFailure("the model has no vgg16 base") }
        let url = try WeightsFile.locate(name)
        let report = try base.loadWeights(from: url)
        console.print("Loaded the vgg16 base's weights from \(url.path): \(report)")
    }

    /// `--mix KIND[:ALPHA]`.
    static func batchMixing(_ text: String) throws -> BatchMixing {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let accepted = "expected mixup or cutmix, optionally with :ALPHA (α > 0, e.g. cutmix:1.0)"
        guard (1...2).contains(parts.count), let kind = BatchMixing.Kind(rawValue: parts[0]) else {
            throw UsageError("--mix: \(accepted), got '\(text)'")
        }
        guard parts.count == 2 else { return BatchMixing(kind) }
        guard let alpha = Double(parts[1]), alpha > 0, alpha.isFinite else {
            throw UsageError("--mix: α must be a number above 0, got '\(parts[1])' (\(accepted))")
        }
        return BatchMixing(kind, alpha: alpha)
    }

    static func positiveNumber(_ arguments: ParsedArguments, _ name: String, default value: Double) throws -> Double {
        guard let text = arguments.string(name) else { return value }
        guard let number = Double(text), number > 0, number.isFinite else {
            throw UsageError("--\(name): expected a positive number, got '\(text)'")
        }
        return number
    }

    static func makeOptimizer(_ name: OptimizerName, learningRate: Float) -> Optimizer {
        switch name {
        case .adam: Adam(learningRate: learningRate)
        case .adamw: AdamW(learningRate: learningRate)
        case .sgd: SGD(learningRate: learningRate, momentum: 0.9)
        case .rmsprop: RMSprop(learningRate: learningRate)
        }
    }

    /// `flatten,dense:512:relu,dropout:0.5,gap,gmp`: the layers put on a convolutional base.
    static func headLayers(_ text: String) throws -> [any Layer] {
        let accepted = "flatten, gap (global average pooling), gmp (global max pooling), dense:UNITS[:ACTIVATION], dropout:RATE, batchnorm"
        return try text.split(separator: ",").map { token -> any Layer in
            let parts = token.split(separator: ":").map(String.init)
            switch parts[0] {
            case "flatten" where parts.count == 1: return Flatten()
            case "gap" where parts.count == 1: return GlobalPooling2D(.average)
            case "gmp" where parts.count == 1: return GlobalPooling2D(.max)
            case "batchnorm" where parts.count == 1: return BatchNormalization()
            case "dense" where parts.count == 2 || parts.count == 3:
                guard let units = Int(parts[1]), (1...1_000_000).contains(units) else {
                    throw UsageError("--head: '\(token)': units must be a positive integer")
                }
                let activation = try parts.count == 3 ? ActivationFunction(rawValue: parts[2]).orThrow(
                    UsageError("--head: '\(token)': activation must be one of \(ActivationFunction.allCases.map(\.rawValue).joined(separator: ", "))"))
                    : .linear
                return Dense(units: units, activation: activation)
            case "dropout" where parts.count == 2:
                guard let rate = Float(parts[1]), (0..<1).contains(rate) else {
                    throw UsageError("--head: '\(token)': the rate must lie in [0, 1)")
                }
                return Dropout(rate: rate)
            default:
                throw UsageError("--head: unknown layer '\(token)'; accepted: \(accepted)")
            }
        }
    }

    /// The model, history (CSV, JSON, PNG) and a summary with the final figures.
    static func writeResults(model: Sequential, metadata: [String: String], history: History, out: URL, seconds: Double, imagesTrained: Int,
                             console: Console, interrupted: Bool) throws {
        try model.save(to: out.appendingPathComponent("model"), metadata: metadata)
        try AtomicFile.write(history.csv, to: out.appendingPathComponent("history.csv"))
        try AtomicFile.write(history.json, to: out.appendingPathComponent("history.json"))
        if !history.epochs.isEmpty {
            try AtomicFile.write(try ImageEncoder.png(history.chart(title: "\(model.name): training history")),
                                 to: out.appendingPathComponent("history.png"))
        }
        let last = history.epochs.indices.last.map { history.logs(at: $0) } ?? Logs()
        var summary: [String: Any] = ["epochs": history.epochs.count, "seconds": (seconds * 10).rounded() / 10,
                                      "interrupted": interrupted]
        for (key, value) in last.pairs { summary[key] = value }
        // Training and validation time together: what a user waits for per image trained.
        summary["images_per_second"] = seconds > 0 ? (Double(imagesTrained) / seconds).rounded() : 0
        let json = try JSONSerialization.data(withJSONObject: summary, options: [.prettyPrinted, .sortedKeys])
        try AtomicFile.write(json, to: out.appendingPathComponent("summary.json"))
        let figures = last.pairs.filter { $0.key != "learning_rate" }.map { "\($0.key) \(String(format: "%.4f", $0.value))" }
        console.print((interrupted ? "Stopped" : "Finished") + " after \(history.epochs.count) epoch(s) in "
                      + String(format: "%.0f s (%.0f images/s)", seconds, seconds > 0 ? Double(imagesTrained) / seconds : 0)
                      + (figures.isEmpty ? "" : ": " + figures.joined(separator: ", ")))
        if let accuracy = last["val_accuracy"] {
            console.print(String(format: "Final validation accuracy: %.2f %%", 100 * accuracy))
        }
        console.print("Wrote \(out.path)/{model.json, model.safetensors, history.csv, history.json, history.png, summary.json}")
    }
}

extension Optional {
    func orThrow(_ error: @autoclosure () -> Error) throws -> Wrapped {
        guard let value = self else { throw error() }
        return value
    }
}

/// Ctrl-C during training: the first one asks `fit` to stop after the current step (it
/// writes its backup and the history so far); a second one ends the program at once.
enum InterruptHandler {
    nonisolated(unsafe) static var active: TrainingInterruption?

    static func install(_ interruption: TrainingInterruption) {
        active = interruption
        signal(SIGINT) { _ in
            InterruptHandler.active?.request()
            signal(SIGINT, SIG_DFL)
        }
    }

    static func remove() {
        signal(SIGINT, SIG_DFL)
        active = nil
    }
}
