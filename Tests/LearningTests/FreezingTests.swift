import Foundation
import Learning
import Tensors
import Testing

/// Freezing a base, unfreezing its top block inside it, and the fine-tuning phase of a fit.
@Suite struct FreezingTests {
    @Test func unfreezingTheTopBlockLeavesTheRestOfTheBaseFrozen() throws {
        let model = try Architecture.vgg16.make(inputShape: [32, 32, 3], classes: 3)
        #expect(model.freezeLayers(matching: ["vgg16"]) == ["vgg16"])
        let head = 512 * 512 + 512 + 512 * 3 + 3  // Flatten (1×1×512) → Dense 512 → Dense 3
        #expect(model.parameterCounts.trainable == head)
        #expect(model.unfreezeLayers(matching: ["block5"]) == ["block5_conv1", "block5_conv2", "block5_conv3", "block5_pool"])
        #expect(model.layer(named: "vgg16")!.trainable)
        #expect(!model.layer(named: "block4_conv3")!.trainable)
        #expect(model.parameterCounts.trainable == head + 3 * (9 * 512 * 512 + 512))
        #expect(model.allLayerNames.contains("block1_conv1") && model.allLayerNames.first == "preprocessing")
    }

    /// Epoch 0 trains the head only; from epoch 1 the base's convolution trains too, at the
    /// fine-tuning rate.
    @Test func fineTuningPhaseUnfreezesAndSetsTheRate() throws {
        let base = try Sequential(name: "base", inputShape: [8, 8, 1], layers: [
            Conv2D(filters: 4, kernelSize: (3, 3), padding: .same, activation: .relu, name: "block1_conv"), Pooling2D(.max),
        ], seed: 2)
        let model = try Sequential(inputShape: [8, 8, 1], layers: [Rescaling(scale: 1 / 255), base, Flatten(),
                                                                   Dense(units: 4, activation: .softmax)], seed: 3)
        model.freezeLayers(matching: ["base"])
        model.compile(optimizer: Adam(learningRate: 0.01))
        final class Snapshot: Callback {
            var kernels: [Tensor] = []
            func epochEnd(_ epoch: Int, logs: inout Logs, _ fit: FitState) {
                kernels.append(fit.model.weightTensors["base.block1_conv.kernel"]!)
            }
        }
        let snapshot = Snapshot()
        let initial = model.weightTensors["base.block1_conv.kernel"]!
        let captured = CapturedOutput()
        let data = quadrantImages(count: 16, seed: 4)
        let history = try model.fit(TensorBatches(images: data.images, labels: data.labels, batchSize: 8), epochs: 3,
                                    callbacks: [FineTuning(startEpoch: 1, unfreezing: ["block1"], learningRate: 1e-4), snapshot],
                                    verbose: .silent, output: captured.output)
        #expect(snapshot.kernels[0] == initial)
        #expect(snapshot.kernels[1] != initial)
        #expect(history["learning_rate"]!.map { Float($0) } == [0.01, 1e-4, 1e-4])
        #expect(captured.lines.contains { $0.hasPrefix("Epoch 2: fine-tuning block1_conv at learning rate 0.0001") })
    }
}
