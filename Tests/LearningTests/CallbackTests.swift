import Foundation
import Learning
import Tensors
import Testing

/// Each callback's behaviour, driven by scripted monitor values on a small real fit.
@Suite struct CallbackTests {
    let data = quadrantImages(count: 32, seed: 20)

    func fit(epochs: Int, _ callbacks: [any Callback], optimizer: Optimizer = Adam(learningRate: 0.01),
             output: TrainingOutput = .silent) throws -> (Sequential, History) {
        let model = try smallModel()
        model.compile(optimizer: optimizer)
        let source = TensorBatches(images: data.images, labels: data.labels, batchSize: 16)
        let history = try model.fit(source, epochs: epochs, callbacks: callbacks, verbose: .silent, output: output)
        return (model, history)
    }

    /// Keras: the best is epoch 1 (0-based); with patience 2 the wait reaches 2 at epoch 3.
    @Test func earlyStoppingStopsAfterPatienceAndRestoresBest() throws {
        let captured = CapturedOutput()
        let stopping = EarlyStopping(monitor: "val_loss", patience: 2, restoreBestWeights: true, verbose: true)
        final class Snapshot: Callback {
            var weights: [[String: Tensor]] = []
            func epochEnd(_ epoch: Int, logs: inout Logs, _ fit: FitState) { weights.append(fit.model.weightTensors) }
        }
        let snapshot = Snapshot()
        let (model, history) = try fit(epochs: 10, [ScriptedLogs("val_loss", [1.0, 0.5, 0.6, 0.7, 0.1]), snapshot, stopping],
                                       output: captured.output)
        #expect(history.epochs == [0, 1, 2, 3])
        #expect(stopping.stoppedEpoch == 3 && stopping.bestEpoch == 1)
        #expect(model.weightTensors == snapshot.weights[1])
        #expect(captured.lines.contains("Epoch 4: early stopping"))
        #expect(captured.lines.contains("Restoring model weights from the end of the best epoch: 2."))
    }

    @Test func earlyStoppingOnAccuracyWaitsForImprovement() throws {
        let stopping = EarlyStopping(monitor: "val_accuracy", minDelta: 0.01, patience: 1)
        let (_, history) = try fit(epochs: 10, [ScriptedLogs("val_accuracy", [0.5, 0.8, 0.805, 0.9]), stopping])
        #expect(history.epochs == [0, 1, 2])  // 0.805 is within min_delta of 0.8
    }

    @Test func reduceLROnPlateauCutsTheRateAfterPatience() throws {
        let optimizer = Adam(learningRate: 0.01)
        let reduce = ReduceLROnPlateau(monitor: "val_loss", factor: 0.5, patience: 2, minLR: 0.003)
        let (_, history) = try fit(epochs: 6, [ScriptedLogs("val_loss", [1, 1, 1, 1, 1, 1]), reduce], optimizer: optimizer)
        // Improvement at epoch 0; waits at 1, 2 → reduce to 0.005; waits 3, 4 → 0.003 (the floor).
        #expect(history["learning_rate"]!.map { Float($0) } == [0.01, 0.01, 0.01, 0.005, 0.005, 0.003])
        #expect(optimizer.learningRate == 0.003)
    }

    @Test func learningRateSchedulerSetsTheRateEachEpoch() throws {
        let optimizer = Adam(learningRate: 0.01)
        let (_, history) = try fit(epochs: 3, [LearningRateScheduler { epoch, rate in epoch == 0 ? rate : rate / 10 }],
                                   optimizer: optimizer)
        let rates = history["learning_rate"]!
        #expect(zip(rates, [0.01, 0.001, 0.0001]).allSatisfy { abs($0 - $1) < 1e-9 }, "\(rates)")
    }

    /// The largest learning rate sends the weights to infinity, and the logits to NaN, at once.
    @Test func terminateOnNaNStopsAtTheFirstBadBatch() throws {
        let model = try Sequential(inputShape: [8, 8, 1], layers: [Flatten(), Dense(units: 4, activation: .softmax)])
        model.compile(optimizer: SGD(learningRate: .greatestFiniteMagnitude))
        let source = TensorBatches(images: data.images, labels: data.labels, batchSize: 4)
        let captured = CapturedOutput()
        let history = try model.fit(source, epochs: 5, callbacks: [TerminateOnNaN()], verbose: .silent, output: captured.output)
        #expect(history.epochs == [0])
        #expect(captured.lines.contains { $0.hasPrefix("Batch ") && $0.hasSuffix(": Invalid loss, terminating training") })
        #expect(!history["loss"]![0].isFinite)
    }

    @Test func csvLoggerRewritesTheFileEachEpoch() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let file = folder.url("log.csv")
        final class ReadBack: Callback {
            let file: URL
            var rows: [Int] = []
            init(_ file: URL) { self.file = file }
            func epochEnd(_ epoch: Int, logs: inout Logs, _ fit: FitState) {
                rows.append(((try? String(contentsOf: file, encoding: .utf8)) ?? "").split(separator: "\n").count)
            }
        }
        let readBack = ReadBack(file)
        let (_, history) = try fit(epochs: 3, [CSVLogger(file: file), readBack])
        #expect(readBack.rows == [2, 3, 4])
        #expect(try String(contentsOf: file, encoding: .utf8) == history.csv)
        _ = try fit(epochs: 1, [CSVLogger(file: file, append: true)])
        #expect(try String(contentsOf: file, encoding: .utf8).split(separator: "\n").count == 5)
    }

    @Test func modelCheckpointFormatsPathsAndSavesOnlyImprovements() throws {
        #expect(try formatPath("w.{epoch:02d}-{val_loss:.2f}", epoch: 3, logs: Logs([("val_loss", 0.4567)])) == "w.03-0.46")
        #expect(throws: PathTemplateError.self) { try formatPath("w.{nope}", epoch: 1, logs: Logs()) }
        #expect(throws: PathTemplateError.self) { try formatPath("w.{epoch", epoch: 1, logs: Logs()) }
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let checkpoint = ModelCheckpoint(filepath: folder.path + "/m.{epoch:02d}", monitor: "val_loss", saveBestOnly: true)
        _ = try fit(epochs: 4, [ScriptedLogs("val_loss", [0.9, 0.5, 0.7, 0.4]), checkpoint])
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(files == ["m.01.json", "m.01.safetensors", "m.02.json", "m.02.safetensors", "m.04.json", "m.04.safetensors"])
        let reloaded = try loadModel(from: folder.url("m.04"))
        #expect(reloaded.namedWeights.count == 8)
    }
}

/// The progress bar text, exactly as Keras 2's `Progbar` writes it.
@Suite struct ProgressBarTests {
    let logs = Logs([("loss", 0.28314), ("accuracy", 0.877), ("val_loss", 0.0004)])

    @Test func runningLine() {
        let bar = ProgressBar(target: 509)
        #expect(bar.runningLine(current: 123, estimatedSecondsLeft: 34.7, logs: Logs([("loss", 0.6931)]))
                == "123/509 [======>.......................] - ETA: 34s - loss: 0.6931")
        #expect(bar.bar(current: 7) == "  7/509 [..............................]")
        #expect(ProgressBar(target: 10).bar(current: 1) == " 1/10 [==>...........................]")
        #expect(ProgressBar.formatETA(125) == "2:05" && ProgressBar.formatETA(3725) == "1:02:05")
    }

    @Test func finalLinesForVerboseOneAndTwo() {
        let bar = ProgressBar(target: 509)
        #expect(bar.finalLine(elapsed: 45.2, secondsPerStep: 0.088, logs: logs)
                == "509/509 [==============================] - 45s 88ms/step - loss: 0.2831 - accuracy: 0.8770 - val_loss: 4.0000e-04")
        #expect(bar.summaryLine(elapsed: 21, secondsPerStep: 0.0194, logs: Logs([("loss", 0.2431)]))
                == "509/509 - 21s - loss: 0.2431 - 21s/epoch - 19ms/step")
        #expect(ProgressBar.formatTime(2.5, unit: "step") == " 2s/step")
        #expect(ProgressBar.formatTime(0.0004, unit: "step") == " 400us/step")
    }

    /// On a terminal the bar is redrawn in place with `\r`; the epoch ends with a newline.
    @Test func terminalOutputRedrawsInPlace() throws {
        final class Raw: @unchecked Sendable { var text = "" }
        let raw = Raw()
        let output = TrainingOutput(isTerminal: true) { raw.text += $0 }
        let model = try smallModel()
        model.compile()
        let data = quadrantImages(count: 32, seed: 3)
        try model.fit(TensorBatches(images: data.images, labels: data.labels, batchSize: 8), epochs: 1, output: output)
        #expect(raw.text.hasPrefix("Epoch 1/1\n\r"))
        #expect(raw.text.contains("\r4/4 [==============================] - "))
        #expect(raw.text.hasSuffix("\n"))
    }
}
