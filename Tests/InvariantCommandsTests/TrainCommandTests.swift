import Foundation
import Imaging
import InvariantCommands
import Testing

/// `invariant train`, `evaluate`, `predict` and `summary` end to end on a tiny dataset, and
/// their bad-flag messages.
@Suite struct TrainCommandTests {
    /// Three classes told apart by colour, 10 images each, 12×12 RGB with some noise.
    func makeDataset(in folder: TemporaryDirectory, split: String) {
        for (label, color) in [(0, (220, 30, 30)), (1, (30, 220, 30)), (2, (30, 30, 220))] {
            for index in 0..<10 {
                var pixels: [UInt8] = []
                for position in 0..<(12 * 12) {
                    let jitter = (position * 7 + index * 13) % 31
                    pixels += [UInt8(color.0 - 15 + jitter), UInt8(color.1 - 15 + jitter), UInt8(color.2 - 15 + jitter)]
                }
                folder.write("\(split)/class\(label)/\(index).png",
                             try! ImageEncoder.png(Image(width: 12, height: 12, channels: 3, pixels: pixels)))
            }
        }
    }

    @Test func trainsEvaluatesPredictsAndSummarises() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        makeDataset(in: folder, split: "train")
        makeDataset(in: folder, split: "test")
        let out = folder.path + "/run"
        let result = invariant("train", "--data", folder.path + "/train", "--validation", folder.path + "/test", "--size", "12",
                               "--model", "small-cnn", "--epochs", "3", "--batch", "8", "--lr", "0.01", "--augment", "hflip",
                               "--verbose", "2", "--out", out)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("Found 30 images belonging to 3 classes."))
        #expect(result.output.contains("Epoch 3/3"))
        #expect(result.output.contains("4/4 - "))
        for file in ["model.json", "model.safetensors", "history.csv", "history.json", "history.png", "summary.json",
                     "best.json", "best.safetensors"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file) missing")
        }
        #expect(!FileManager.default.fileExists(atPath: out + "/backup.safetensors"))
        let csv = try String(contentsOfFile: out + "/history.csv", encoding: .utf8).split(separator: "\n")
        #expect(csv.first == "epoch,accuracy,learning_rate,loss,val_accuracy,val_loss")
        #expect(csv.count == 4)
        let summary = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/summary.json"))) as! [String: Any]
        #expect(summary["epochs"] as? Int == 3)
        #expect((summary["val_accuracy"] as? Double ?? 0) > 0.9)

        let evaluation = invariant("evaluate", out, folder.path + "/test")
        #expect(evaluation.status == 0, "\(evaluation.error)")
        #expect(evaluation.output.contains("per-class accuracy:") && evaluation.output.contains("confusion matrix"))
        #expect(evaluation.output.contains("class2"))
        #expect(evaluation.output.contains("Wrote \(out)/confusion_matrix.png"))
        let chart = try ImageDecoder.header(ofFileAt: out + "/confusion_matrix.png")
        #expect(chart.width > 100 && chart.height > 100)
        let prediction = invariant("predict", out + "/model.json", folder.path + "/test/class1/3.png", "--top", "1")
        #expect(prediction.status == 0)
        #expect(prediction.output.hasSuffix("3.png: class1 " + (prediction.output.split(separator: " ").last ?? "")))
        let json = invariant("predict", out, folder.path + "/test/class0", "--json")
        #expect(json.output.split(separator: "\n").count == 10)
        #expect(json.output.contains("\"class\":\"class0\""))
        let described = invariant("summary", out)
        #expect(described.output.contains("Total params: ") && described.output.contains("(Conv2D)"))
    }

    @Test(arguments: [
        (["--epochs", "0"], "--epochs: expected an integer"),
        (["--model", "resnet"], "--model: 'resnet' is not one of small-cnn, vgg-mini, vgg16"),
        (["--validation-split", "1.5"], "--validation-split: expected a fraction between 0 and 1"),
        (["--augment", "hflip,spin=3"], "--augment:"),
        (["--size", "3"], "--size: expected N or WxH"),
        (["--lr", "-1"], "--lr: expected a positive number"),
        (["--head", "flatten"], "--head applies to --model vgg16 only"),
        (["--model", "vgg16", "--head", "dense:abc"], "--head: 'dense:abc': units must be a positive integer"),
        (["--model", "vgg16", "--head", "wobble"], "--head: unknown layer 'wobble'"),
        (["--optimizer", "lion"], "--optimizer: 'lion' is not one of adam, adamw, sgd, rmsprop"),
        (["--frobnicate"], "unknown option --frobnicate"),
        (["--mix", "blend"], "--mix: expected mixup or cutmix, optionally with :ALPHA"),
        (["--mix", "cutmix:0"], "--mix: α must be a number above 0, got '0'"),
    ])
    func badFlagsNameTheFlag(_ flags: [String], _ message: String) {
        let result = invariant(["train", "--data", "/nonexistent"] + flags)
        #expect(result.status == 2)
        #expect(result.error.contains(message), "\(result.error)")
    }

    /// `--mix`: batches mixed with soft labels, trained with categorical cross-entropy;
    /// validation batches stay unmixed — the last epoch's val_loss is what `evaluate` gives
    /// for the same weights on the same (unmixed) images.
    @Test(arguments: ["mixup:0.4", "cutmix"])
    func trainsOnMixedBatches(_ mix: String) throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        makeDataset(in: folder, split: "train")
        makeDataset(in: folder, split: "test")
        let result = invariant("train", "--data", folder.path + "/train", "--validation", folder.path + "/test", "--size", "12",
                               "--model", "small-cnn", "--epochs", "2", "--batch", "8", "--lr", "0.01", "--mix", mix,
                               "--verbose", "2", "--out", folder.path + "/run")
        #expect(result.status == 0, "\(result.error)")
        let kind = mix.split(separator: ":")[0], alpha = mix.contains(":") ? "0.4" : "1.0"
        #expect(result.output.contains("mixing: \(kind) α \(alpha)"), "\(result.output)")
        #expect(result.output.contains("Epoch 2/2") && result.output.contains("val_accuracy"))
        let validationLoss = result.output.components(separatedBy: "val_loss: ").last?.prefix(6)
        let evaluation = invariant("evaluate", folder.path + "/run", folder.path + "/test")
        #expect(evaluation.status == 0, "\(evaluation.error)")
        #expect(validationLoss.map { evaluation.output.contains("loss: \($0) ") } == true,
                "val_loss \(validationLoss ?? "?") vs \(evaluation.output)")
    }

    @Test func missingDataIsAFailureNamingThePath() {
        let result = invariant("train", "--data", "/nonexistent/data", "--epochs", "1")
        #expect(result.status == 1)
        #expect(result.error.contains("/nonexistent/data"))
        let model = invariant("summary", "/nonexistent/model")
        #expect(model.status == 1 && model.error.contains("/nonexistent/model: no model there"))
    }

    @Test func resumeWithoutBackupSaysSo() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        makeDataset(in: folder, split: "train")
        let result = invariant("train", "--data", folder.path + "/train", "--validation-split", "0.2", "--size", "12",
                               "--model", "small-cnn", "--resume", "--out", folder.path + "/run", "--verbose", "0")
        #expect(result.status == 1)
        #expect(result.error.contains("no interrupted run to resume"))
    }
}
