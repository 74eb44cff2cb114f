import Foundation
import Learning
import Tensors
import Testing

/// A frozen base over data without augmentation runs once per image: the first epoch fills
/// the cache, later epochs train the head on the kept features.
@Suite struct FeatureCacheTests {
    /// Counts the images it sees; placed inside the frozen base.
    final class CountingLayer: Layer {
        var className: String { "Counting" }
        var name = "counting"
        var trainable = true
        var weights: [Weight] { [] }
        var images = 0
        func build(inputShape: [Int], initializer: inout WeightInitializer) throws -> [Int] { inputShape }
        func callAsFunction(_ input: Variable, context: inout ForwardContext) -> Variable {
            images += input.shape[0]
            return input
        }
        var settings: [String: JSONValue] { [:] }
    }

    /// Rescaling, a frozen base (conv + counter + pool), then a trainable head.
    func model(counter: CountingLayer) throws -> Sequential {
        let base = try Sequential(name: "base", inputShape: [8, 8, 1], layers: [
            Conv2D(filters: 4, kernelSize: (3, 3), padding: .same, activation: .relu), counter, Pooling2D(.max),
        ], seed: 5)
        base.trainable = false
        return try Sequential(name: "classifier", inputShape: [8, 8, 1], layers: [
            Rescaling(scale: 1 / 255), base, Flatten(), Dense(units: 4, activation: .softmax),
        ], seed: 6)
    }

    /// The same batches, but not declaring that samples repeat: no cache.
    struct Uncached: BatchSource {
        let source: TensorBatches
        var batchCount: Int { source.batchCount }
        func labeledBatches(epoch: Int, startingAt start: Int) -> AnyIterator<LabeledBatch> {
            source.labeledBatches(epoch: epoch, startingAt: start)
        }
    }

    /// 30 images: batches of 8 leave a last batch of 6, so cached rows come from batches of other sizes.
    let data = quadrantImages(count: 30, seed: 40)

    @Test func frozenBaseRunsOncePerImageAndTrainsTheSame() throws {
        let training = TensorBatches(images: data.images, labels: data.labels, batchSize: 8, shuffles: true, seed: 3)
        let validation = TensorBatches(images: data.images, labels: data.labels, batchSize: 16)
        let (cachedCounter, plainCounter) = (CountingLayer(), CountingLayer())
        let cached = try model(counter: cachedCounter), plain = try model(counter: plainCounter)
        cached.compile(optimizer: Adam(learningRate: 0.01))
        plain.compile(optimizer: Adam(learningRate: 0.01))
        let captured = CapturedOutput()
        let cachedHistory = try cached.fit(training, validationData: validation, epochs: 4, verbose: .oneLinePerEpoch,
                                           output: captured.output)
        let plainHistory = try plain.fit(Uncached(source: training), validationData: Uncached(source: validation), epochs: 4,
                                         verbose: .silent)
        #expect(cachedCounter.images == 30 + 30)  // the first epoch's training and validation passes
        #expect(plainCounter.images == 4 * (30 + 30))
        #expect(captured.lines.contains { $0.hasPrefix("Layers rescaling … base are frozen and the data is not augmented") })
        // The head sees the same features either way: a sample's row does not depend on the
        // batch it was computed in, so the runs agree exactly (and a resumed run, which fills
        // its cache from other batches, matches an uninterrupted one).
        for (key, values) in plainHistory.values {
            for (a, b) in zip(values, cachedHistory[key]!) { #expect(a == b, "\(key)") }
        }
    }

    /// Unfreezing the base (fine-tuning) ends the caching: every image goes through it again.
    @Test func unfreezingTheBaseStopsTheCache() throws {
        final class Unfreeze: Callback {
            func epochEnd(_ epoch: Int, logs: inout Logs, _ fit: FitState) {
                if epoch == 1 { (fit.model as! Sequential).layer(named: "base")!.trainable = true }
            }
        }
        let counter = CountingLayer()
        let model = try model(counter: counter)
        model.compile(optimizer: Adam(learningRate: 0.01))
        try model.fit(TensorBatches(images: data.images, labels: data.labels, batchSize: 8), epochs: 4,
                      callbacks: [Unfreeze()], verbose: .silent)
        #expect(counter.images == 30 + 2 * 30)  // epoch 1 fills the cache, epoch 2 uses it, epochs 3 and 4 train the base
    }
}
