import Foundation
import Learning
import Tensors
import Testing

/// `compile`, `fit`, `evaluate`, `predict`, the history and its files.
@Suite struct FitTests {
    let train = quadrantImages(count: 96, seed: 10)
    let test = quadrantImages(count: 32, seed: 11)

    func sources() -> (TensorBatches, TensorBatches) {
        (TensorBatches(images: train.images, labels: train.labels, batchSize: 16, shuffles: true, seed: 4),
         TensorBatches(images: test.images, labels: test.labels, batchSize: 16))
    }

    @Test func fitLearnsAndRecordsKerasHistory() throws {
        let model = try smallModel()
        model.compile(optimizer: Adam(learningRate: 0.01))
        let (training, validation) = sources()
        let captured = CapturedOutput()
        let history = try model.fit(training, validationData: validation, epochs: 6, output: captured.output)
        #expect(history.keys == ["loss", "accuracy", "val_loss", "val_accuracy", "learning_rate"])
        #expect(history.epochs == [0, 1, 2, 3, 4, 5])
        let loss = history["loss"]!
        #expect(loss.last! < loss.first! * 0.5, "loss \(loss)")
        #expect(history["val_accuracy"]!.last! >= 0.9)
        #expect(history["learning_rate"]!.allSatisfy { abs($0 - 0.01) < 1e-9 })
        // evaluate is the same pass as the last validation.
        let evaluation = try model.evaluate(validation)
        #expect(abs(evaluation["loss"]! - history["val_loss"]!.last!) < 1e-6)
        #expect(try model.predict(validation).shape == [32, 4])
        // Not a terminal: the header and one final line per epoch, with the values the history has.
        let lines = captured.lines.filter { !$0.isEmpty }
        #expect(lines.count == 12)
        #expect(lines[0] == "Epoch 1/6")
        let last = String(format: "loss: %.4f - accuracy: %.4f - val_loss: %.4f - val_accuracy: %.4f",
                          loss.last!, history["accuracy"]!.last!, history["val_loss"]!.last!, history["val_accuracy"]!.last!)
        #expect(lines[11].hasPrefix("6/6 [==============================] - "))
        #expect(lines[11].hasSuffix(last), "\(lines[11])")
    }

    @Test func historyWritesKerasCSVAndJSON() {
        var history = History()
        history.append(epoch: 0, logs: Logs([("loss", 0.5), ("accuracy", 0.75), ("val_loss", 0.25)]))
        history.append(epoch: 1, logs: Logs([("loss", 0.125), ("accuracy", 1.0)]))
        #expect(history.csv == "epoch,accuracy,loss,val_loss\n0,0.75,0.5,0.25\n1,1.0,0.125,NA\n")
        #expect(history.json == """
            {
              "epoch": [0, 1],
              "history": {
                "loss": [0.5, 0.125],
                "accuracy": [0.75, 1.0],
                "val_loss": [0.25, null]
              }
            }

            """)
    }

    /// Freezing is read at every step: no recompile, and frozen weights stay as they were.
    @Test func trainableFlagIsReadEveryStep() throws {
        let model = try smallModel()
        model.compile(optimizer: Adam(learningRate: 0.01))
        let (training, _) = sources()
        let conv = model.layer(named: "conv2d")!
        conv.trainable = false
        let frozen = conv.weights.map(\.value)
        let dense = model.layer(named: "dense")!.weights[0].value
        try model.fit(training, epochs: 1, verbose: .silent)
        #expect(conv.weights.map(\.value) == frozen)
        #expect(model.layer(named: "dense")!.weights[0].value != dense)
        conv.trainable = true
        try model.fit(training, epochs: 1, verbose: .silent)
        #expect(conv.weights.map(\.value) != frozen)
    }

    @Test func classWeightsScaleTheLoss() throws {
        // Keras's sum_over_batch_size: Σ wᵢ·lossᵢ / batch (not / Σ wᵢ).
        func loss(_ classWeight: [Int: Float]?) throws -> Double {
            let model = try smallModel()
            model.compile(optimizer: SGD(learningRate: 0.1))
            return try model.trainOnBatch(LabeledBatch(images: train.images, labels: train.labels), classWeight: classWeight)["loss"]!
        }
        let plain = try loss(nil)
        #expect(abs(try loss([0: 2, 1: 2, 2: 2, 3: 2]) - 2 * plain) < 1e-5 * plain)
        let zeroed = try loss([0: 0])  // a quarter of the samples weigh nothing
        #expect(zeroed < plain && zeroed > 0.5 * plain)
    }

    /// Soft labels (mixed images) enter the categorical loss as they are: with every row
    /// λ·onehot(a) + (1 − λ)·onehot(b), the loss is λ·loss(a) + (1 − λ)·loss(b) (cross-entropy
    /// is linear in the targets). The sparse loss refuses them; wrong widths are errors.
    @Test func softLabelsMixTheLoss() throws {
        let other = train.labels.map { ($0 + 1) % 4 }, lambda: Float = 0.3
        func loss(labels: [Int], targets: Tensor? = nil, loss: Loss = .categoricalCrossentropy()) throws -> Double {
            let model = try smallModel()
            model.compile(optimizer: SGD(learningRate: 0), loss: loss)
            return try model.trainOnBatch(LabeledBatch(images: train.images, labels: labels, targets: targets))["loss"]!
        }
        var rows = [Float](repeating: 0, count: train.labels.count * 4)
        for (row, (a, b)) in zip(train.labels, other).enumerated() {
            rows[row * 4 + a] += lambda
            rows[row * 4 + b] += 1 - lambda
        }
        let soft = Tensor(shape: [train.labels.count, 4], scalars: rows)
        let mixed = try loss(labels: other, targets: soft)
        let expected = Double(lambda) * (try loss(labels: train.labels)) + Double(1 - lambda) * (try loss(labels: other))
        #expect(abs(mixed - expected) < 1e-5 * expected)
        #expect(throws: TrainingError.softLabelsNeedCategoricalLoss) {
            try loss(labels: other, targets: soft, loss: .sparseCategoricalCrossentropy())
        }
        #expect(throws: TrainingError.softLabelWidth(columns: 2, classes: 4)) {
            try loss(labels: other, targets: Tensor(zeros: [train.labels.count, 2]))
        }
    }

    @Test func mismatchesAreErrorsNotCrashes() throws {
        let model = try smallModel()
        #expect(throws: TrainingError.notCompiled) { try model.fit(sources().0, epochs: 1, verbose: .silent) }
        model.compile()
        let wrongShape = TensorBatches(images: Tensor(zeros: [2, 4, 4, 1]), labels: [0, 1], batchSize: 2)
        #expect(throws: TrainingError.inputShapeMismatch(model: [8, 8, 1], data: [4, 4, 1])) {
            try model.fit(wrongShape, epochs: 1, verbose: .silent)
        }
        let badLabel = TensorBatches(images: Tensor(zeros: [2, 8, 8, 1]), labels: [0, 7], batchSize: 2)
        #expect(throws: TrainingError.labelOutOfRange(label: 7, classes: 4)) { try model.fit(badLabel, epochs: 1, verbose: .silent) }
    }

    /// A run interrupted mid-epoch and resumed from its backup ends with the same weights,
    /// bit for bit, as one that ran straight through (data order, dropout and optimizer state
    /// all restored).
    @Test func resumedRunEqualsUninterruptedRun() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let (training, validation) = sources()
        let straight = try smallModel()
        straight.compile(optimizer: Adam(learningRate: 0.01))
        let expected = try straight.fit(training, validationData: validation, epochs: 3, verbose: .silent, seed: 8)

        final class InterruptAt: Callback {
            let interruption: TrainingInterruption
            let epoch: Int, batch: Int
            init(_ interruption: TrainingInterruption, epoch: Int, batch: Int) {
                self.interruption = interruption
                (self.epoch, self.batch) = (epoch, batch)
            }
            var currentEpoch = 0
            func epochBegin(_ epoch: Int, _ fit: FitState) { currentEpoch = epoch }
            func batchEnd(_ batch: Int, logs: Logs, _ fit: FitState) {
                if currentEpoch == epoch && batch == self.batch { interruption.request() }
            }
        }
        let backup = BackupAndRestore(directory: URL(fileURLWithPath: folder.path))
        let interruption = TrainingInterruption()
        let first = try smallModel()
        first.compile(optimizer: Adam(learningRate: 0.01))
        let partial = try first.fit(training, validationData: validation, epochs: 3,
                                    callbacks: [InterruptAt(interruption, epoch: 1, batch: 2)],
                                    verbose: .silent, output: .silent, seed: 8, backup: backup, interruption: interruption)
        #expect(partial.epochs == [0])
        #expect(FileManager.default.fileExists(atPath: backup.file.path))

        let resumed = try smallModel(seed: 77)  // different initial weights: all come from the backup
        resumed.compile(optimizer: Adam(learningRate: 0.01))
        let history = try resumed.fit(training, validationData: validation, epochs: 3, verbose: .silent, output: .silent,
                                      seed: 8, backup: backup)
        #expect(resumed.weightTensors == straight.weightTensors)
        #expect(history == expected)
        #expect(!FileManager.default.fileExists(atPath: backup.file.path))
    }
}
