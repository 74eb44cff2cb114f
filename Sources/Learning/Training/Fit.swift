import Foundation
import InvariantCore
import Tensors

/// Why `fit`, `evaluate` or `predict` could not run.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    case notCompiled
    case outputNotClassScores(shape: [Int])
    case inputShapeMismatch(model: [Int], data: [Int])
    case labelOutOfRange(label: Int, classes: Int)
    case noData(String)
    case softLabelsNeedCategoricalLoss
    case softLabelWidth(columns: Int, classes: Int)

    public var description: String {
        switch self {
        case .notCompiled: "the model is not compiled: call compile(optimizer:loss:metrics:) first"
        case .outputNotClassScores(let shape): "the model's output \(shape) is not one score per class ([classes])"
        case .inputShapeMismatch(let model, let data): "the data's images are \(data), the model takes \(model)"
        case .labelOutOfRange(let label, let classes): "label \(label) is outside the model's \(classes) classes"
        case .noData(let what): "the \(what) data has no batches"
        case .softLabelsNeedCategoricalLoss:
            "the batches carry soft labels (mixed images): compile with loss categoricalCrossentropy, not sparseCategoricalCrossentropy"
        case .softLabelWidth(let columns, let classes): "the soft labels have \(columns) columns, the model has \(classes) classes"
        }
    }
}

extension Model {
    /// Keras's `compile`: fixes the optimizer, the loss and the metrics for `fit` and `evaluate`.
    public func compile(optimizer: Optimizer = Adam(), loss: Loss = .sparseCategoricalCrossentropy(),
                        metrics: [Metric] = [.accuracy]) {
        compilation = Compilation(optimizer: optimizer, loss: loss, metrics: metrics)
    }

    /// Keras's `fit`: `epochs` passes over `training` (counting from `initialEpoch`), each
    /// followed by a full pass over `validationData`, with callbacks.
    ///
    /// Training values are running means over the epoch (sample-weighted), validation values a
    /// pass at the epoch's end, as in Keras. Every step reads the layers' `trainable` flags.
    /// Dropout masks are a pure function of (`seed`, step), the data order of the source's
    /// seed and the epoch, so a run resumed from a `backup` reaches the same weights as an
    /// uninterrupted one. An `interruption` ends training after the current step, with the
    /// backup written.
    @discardableResult
    public func fit(_ training: any BatchSource, validationData: (any BatchSource)? = nil, epochs: Int,
                    initialEpoch: Int = 0, callbacks: [any Callback] = [], classWeight: [Int: Float]? = nil,
                    verbose: Verbosity = .progressBar, output: TrainingOutput = .standard, seed: UInt64 = 0,
                    backup: BackupAndRestore? = nil, interruption: TrainingInterruption? = nil) throws -> History {
        guard let compilation else { throw TrainingError.notCompiled }
        guard outputShape.count == 1 else { throw TrainingError.outputNotClassScores(shape: outputShape) }
        guard training.batchCount > 0 else { throw TrainingError.noData("training") }
        let optimizer = compilation.optimizer
        let state = FitState(model: self, optimizer: optimizer, epochs: epochs, steps: training.batchCount, output: output,
                             history: History())
        var position = (epoch: initialEpoch, batch: 0)
        var running = RunningMeans()
        if let backup, let restored = try backup.restore(into: self, optimizer: optimizer) {
            position = (restored.epoch, restored.batch)
            running = restored.running
            state.history = restored.history
            if verbose != .silent {
                output.line("Resuming from \(backup.file.path): epoch \(restored.epoch + 1), step \(restored.batch)/\(training.batchCount)")
            }
        }
        let progress = ProgressLogger(verbosity: verbose, output: output, steps: training.batchCount)
        let trainingCache = FeatureCache(model: self, source: training)
        let validationCache = validationData.flatMap { FeatureCache(model: self, source: $0) }
        if let cache = trainingCache ?? validationCache, verbose != .silent {
            output.line("Layers \(cache.frontDescription) are frozen and the " + (trainingCache == nil ? "validation data is" : "data is")
                        + " not augmented: their output is computed once per image in the first epoch and reused after")
        }
        callbacks.forEach { $0.trainBegin(state) }
        var interrupted = false
        epochs: for epoch in position.epoch..<max(position.epoch, epochs) {
            callbacks.forEach { $0.epochBegin(epoch, state) }
            progress.epochBegin(epoch, of: epochs, startingAt: position.batch)
            let batches = training.labeledBatches(epoch: epoch, startingAt: position.batch)
            var step = position.batch
            while let batch = batches.next() {
                step += 1
                guard !batch.labels.isEmpty else { continue }
                let values = try trainStep(batch, compilation: compilation, classWeight: classWeight, seed: seed,
                                           cache: trainingCache)
                running.add(values, samples: batch.labels.count)
                let logs = running.logs
                callbacks.forEach { $0.batchEnd(step - 1, logs: logs, state) }
                progress.stepEnd(step, logs: logs)
                if interruption?.isRequested == true {
                    try backup?.save(model: self, optimizer: optimizer, epoch: epoch, batch: step, running: running,
                                     history: state.history)
                    output.line("")
                    output.line("Interrupted at epoch \(epoch + 1), step \(step)/\(training.batchCount)"
                                + (backup.map { "; saved \($0.file.path)" } ?? ""))
                    interrupted = true
                    break epochs
                }
                if state.stopsTraining { break }
            }
            position.batch = 0
            var logs = running.logs
            running = RunningMeans()
            if let validationData {
                for (key, value) in try evaluate(validationData, verbose: .silent, output: output, eachBatch: nil,
                                                 cache: validationCache).pairs {
                    logs["val_" + key] = value
                }
            }
            logs["learning_rate"] = Double(optimizer.currentLearningRate)
            var shown = logs
            shown["learning_rate"] = nil
            progress.end(logs: shown)
            callbacks.forEach { $0.epochEnd(epoch, logs: &logs, state) }
            state.history.append(epoch: epoch, logs: logs)
            try backup?.save(model: self, optimizer: optimizer, epoch: epoch + 1, batch: 0, running: RunningMeans(),
                             history: state.history)
            if state.stopsTraining { break }
        }
        callbacks.forEach { $0.trainEnd(state) }
        if !interrupted { try backup?.remove() }
        return state.history
    }

    /// Keras's `train_on_batch`: one optimizer step on `batch`; returns its loss and metrics.
    @discardableResult
    public func trainOnBatch(_ batch: LabeledBatch, classWeight: [Int: Float]? = nil, seed: UInt64 = 0) throws -> Logs {
        guard let compilation else { throw TrainingError.notCompiled }
        return Logs(try trainStep(batch, compilation: compilation, classWeight: classWeight, seed: seed, cache: nil))
    }

    /// One optimizer step on a batch; returns the batch's loss and metric values.
    private func trainStep(_ batch: LabeledBatch, compilation: Compilation, classWeight: [Int: Float]?,
                           seed: UInt64, cache: FeatureCache?) throws -> [(String, Double)] {
        try check(batch)
        synchronizeTrainability()
        let parameters = trainableWeights.map(\.variable)
        parameters.forEach { $0.gradient = nil }
        let optimizer = compilation.optimizer
        var context = ForwardContext(training: true,
                                     randomKey: RandomKey(seed: seed).derived(RandomDomain.dropout, optimizer.iterations))
        let output = forward(batch, cache: cache, context: &context)
        let logits = context.softmax.flatMap { $0.output === output ? $0.input : nil }
        let weights = classWeight.map { weights in batch.labels.map { weights[$0] ?? 1 } }
        let loss = try compilation.loss.value(output: output, logits: logits, labels: batch.labels, softLabels: batch.targets,
                                              sampleWeights: weights)
        if loss.requiresGradient {
            loss.backward()
            optimizer.update(parameters)
        }
        return [("loss", Double(loss.value.scalar))]
            + compilation.metrics.map { ($0.name, Double($0.value(predictions: output.value, labels: batch.labels))) }
    }

    /// The model's output for `batch`, through the cached front when there is one.
    private func forward(_ batch: LabeledBatch, cache: FeatureCache?, context: inout ForwardContext) -> Variable {
        guard let cache, cache.update() else { return self(Variable(batch.images), context: &context) }
        let features = cache.features(of: batch, context: &context)
        return cache.model(features, layersIn: cache.frontCount..<cache.model.layers.count, context: &context)
    }

    private func check(_ batch: LabeledBatch) throws {
        let shape = Array(batch.images.shape.dropFirst())
        guard shape == inputShape else { throw TrainingError.inputShapeMismatch(model: inputShape, data: shape) }
        let classes = outputShape[0]
        if let bad = batch.labels.first(where: { !(0..<classes).contains($0) }) {
            throw TrainingError.labelOutOfRange(label: bad, classes: classes)
        }
        if let targets = batch.targets, targets.shape[1] != classes {
            throw TrainingError.softLabelWidth(columns: targets.shape[1], classes: classes)
        }
    }

    /// Keras's `evaluate`: the loss and metrics over one pass of `data`, in inference mode.
    /// `eachBatch`, if given, sees every batch's labels and the model's outputs for it (a
    /// confusion matrix needs no second pass).
    public func evaluate(_ data: any BatchSource, verbose: Verbosity = .silent, output: TrainingOutput = .standard,
                         eachBatch: ((_ labels: [Int], _ outputs: Tensor) -> Void)? = nil) throws -> Logs {
        try evaluate(data, verbose: verbose, output: output, eachBatch: eachBatch, cache: nil)
    }

    func evaluate(_ data: any BatchSource, verbose: Verbosity, output: TrainingOutput,
                  eachBatch: ((_ labels: [Int], _ outputs: Tensor) -> Void)?, cache: FeatureCache?) throws -> Logs {
        guard let compilation else { throw TrainingError.notCompiled }
        guard data.batchCount > 0 else { throw TrainingError.noData("evaluation") }
        let progress = ProgressLogger(verbosity: verbose, output: output, steps: data.batchCount)
        progress.begin()
        var running = RunningMeans()
        var step = 0
        try withoutGradientRecording {
            for batch in data.labeledBatches(epoch: 0, startingAt: 0) {
                step += 1
                guard !batch.labels.isEmpty else { continue }
                try check(batch)
                var context = ForwardContext(training: false)
                let output = forward(batch, cache: cache, context: &context)
                let logits = context.softmax.flatMap { $0.output === output ? $0.input : nil }
                let loss = try compilation.loss.value(output: output, logits: logits, labels: batch.labels,
                                                      softLabels: batch.targets, sampleWeights: nil)
                running.add([("loss", Double(loss.value.scalar))]
                            + compilation.metrics.map { ($0.name, Double($0.value(predictions: output.value, labels: batch.labels))) },
                            samples: batch.labels.count)
                eachBatch?(batch.labels, output.value)
                progress.stepEnd(step, logs: running.logs)
            }
        }
        progress.end(logs: running.logs)
        return running.logs
    }

    /// Keras's `predict`: the model's outputs for every image of `data`, stacked in order.
    public func predict(_ data: any BatchSource) throws -> Tensor {
        var rows: [Float] = []
        var count = 0
        try withoutGradientRecording {
            for batch in data.labeledBatches(epoch: 0, startingAt: 0) where !batch.labels.isEmpty {
                let shape = Array(batch.images.shape.dropFirst())
                guard shape == inputShape else { throw TrainingError.inputShapeMismatch(model: inputShape, data: shape) }
                var context = ForwardContext(training: false)
                rows += self(Variable(batch.images), context: &context).value.scalars
                count += batch.labels.count
            }
        }
        return Tensor(shape: [count] + outputShape, scalars: rows)
    }

}
