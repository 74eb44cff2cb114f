import Foundation
import Imaging
import Learning
import Testing

/// The lesson's pipeline end to end at small scale: a VGG16 base with pretrained (here random)
/// weights from a file, the lesson's head and augmentation, the base frozen, then its top block
/// fine-tuned at a lower rate — and the same with the base's features cached.
@Suite struct LessonPipelineTests {
    /// Two colour classes (warm and cool), 6 images each per split, 32×32 (VGG16's smallest).
    func makeDataset(in folder: TemporaryDirectory) {
        for split in ["train", "test"] {
            for (label, color) in [(0, (200, 80, 40)), (1, (40, 90, 200))] {
                for index in 0..<6 {
                    let pixels = (0..<(32 * 32)).flatMap { position -> [UInt8] in
                        let jitter = (position * 5 + index * 11) % 41
                        return [UInt8(color.0 - 20 + jitter), UInt8(color.1 - 20 + jitter), UInt8(color.2 - 20 + jitter)]
                    }
                    folder.write("\(split)/class\(label)/\(index).png",
                                 try! ImageEncoder.png(Image(width: 32, height: 32, channels: 3, pixels: pixels)))
                }
            }
        }
    }

    /// A random-weight VGG16 base, saved as a weights file.
    func writeBaseWeights(in folder: TemporaryDirectory) throws -> String {
        let prefix = folder.url("vgg16_random")
        try VGG16.make(includeTop: false, inputShape: [32, 32, 3], seed: 9).save(to: prefix)
        return prefix.path + ".safetensors"
    }

    @Test func frozenBaseThenFineTunedTopBlock() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        makeDataset(in: folder)
        let weights = try writeBaseWeights(in: folder)
        let out = folder.path + "/run"
        let result = invariant("train", "--data", folder.path + "/train", "--validation", folder.path + "/test",
                               "--size", "32", "--batch", "4", "--epochs", "1", "--model", "vgg16", "--weights", weights,
                               "--head", "flatten,dense:16:relu", "--augment", "vflip,zoom=0.2,brightness=0.8:1.2,rotate=20",
                               "--freeze", "base", "--fine-tune-epochs", "1", "--unfreeze", "block5",
                               "--tensorboard", folder.path + "/logs", "--verbose", "2", "--out", out)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("Loaded the vgg16 base's weights from \(weights): Invariant safetensors: applied 26 tensors"))
        #expect(result.output.contains("Epoch 2: fine-tuning block5_conv1, block5_conv2, block5_conv3, block5_pool at learning rate 1e-05"))
        let history = try String(contentsOfFile: out + "/history.csv", encoding: .utf8).split(separator: "\n")
        #expect(history.count == 3)
        #expect(history.last?.contains(",9.999999747378752e-06,") == true, "\(history)")  // Float(1e-5) as CSVLogger writes it
        for run in ["train", "validation"] {
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path + "/logs/" + run).count == 1)
        }
        // The saved model keeps the base's trainable flags and loads back.
        #expect(invariant("summary", out).output.contains("Trainable params: "))
    }

    /// Without augmentation a frozen base's features are computed once and reused.
    @Test func frozenBaseWithoutAugmentationCachesFeatures() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        makeDataset(in: folder)
        let weights = try writeBaseWeights(in: folder)
        let result = invariant("train", "--data", folder.path + "/train", "--validation", folder.path + "/test",
                               "--size", "32", "--batch", "4", "--epochs", "2", "--weights", weights, "--freeze", "base",
                               "--augment", "none", "--verbose", "2", "--out", folder.path + "/run")
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("Layers preprocessing … vgg16 are frozen and the data is not augmented"))
    }

    @Test func badFreezingFlagsNameTheFlag() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        makeDataset(in: folder)
        let common = ["train", "--data", folder.path + "/train", "--size", "32", "--model", "vgg16", "--out", folder.path + "/run"]
        let unknown = invariant(common + ["--freeze", "block9"])
        #expect(unknown.status == 2 && unknown.error.contains("--freeze: no layer name starts with 'block9'; the model's layers: "))
        let early = invariant(common + ["--fine-tune-epochs", "1", "--early-stopping", "2"])
        #expect(early.status == 2 && early.error.contains("--early-stopping and --fine-tune-epochs exclude each other"))
        let small = invariant(common.dropLast(4) + ["--model", "small-cnn", "--out", folder.path + "/run", "--freeze", "base"])
        #expect(small.status == 2 && small.error.contains("--freeze: no layer name starts with 'base' (the vgg16 base: give --model vgg16)"))
        let orphan = invariant(common + ["--unfreeze", "block5"])
        #expect(orphan.status == 2 && orphan.error.contains("--unfreeze applies to the fine-tuning phase: give --fine-tune-epochs N too"))
    }
}
