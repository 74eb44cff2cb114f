import Foundation
import Imaging
import Learning
import Tensors

/// `invariant features IMAGE… --model vgg16 --weights FILE`: the pretrained base's output for
/// each image (Keras's `conv_base.predict`), as text or one JSON object per image.
enum FeaturesCommand: Command {
    enum ModelName: String, CaseIterable { case vgg16 }

    static let spec = CommandSpec(
        name: "features", usage: "IMAGE… --model vgg16 --weights FILE|NAME [--size N|WxH] [--pooling avg|max|none] [--json]",
        summary: "Print a pretrained convolutional base's output (features) for each image; the weights in any dialect "
            + "(Keras .h5, Keras 3 .weights.h5, torchvision or Invariant safetensors), by path or by name in the Keras cache.",
        options: [
            OptionSpec("model", value: "NAME", help: "the base: vgg16 (default)"),
            OptionSpec("weights", value: "FILE|NAME", help: "weights file, or a file name in $KERAS_HOME/models or ~/.keras/models"),
            OptionSpec("size", value: "N|WxH", help: "image size the base sees (default 150)"),
            OptionSpec("pooling", value: "MODE", help: "none (default: the 4×4×512 map at 150), avg or max (one value per channel)"),
            OptionSpec("json", help: "one JSON object per image: path, shape, features (flat, HWC order)"),
        ])

    static func run(_ arguments: ParsedArguments, console: Console) throws -> Int32 {
        _ = try arguments.choice("model", default: ModelName.vgg16)
        guard let weightsName = arguments.string("weights") else {
            throw UsageError("invariant features: --weights FILE|NAME is required (a .h5, .weights.h5 or .safetensors file)")
        }
        guard !arguments.positionals.isEmpty else { throw UsageError("invariant features: missing IMAGE… (see invariant features --help)") }
        let size = try imageSize(arguments.string("size"), default: ImageSize(width: 150, height: 150))
        guard size.width >= 32, size.height >= 32 else {
            throw UsageError("--size: VGG16 needs images of at least 32×32 (five 2×2 poolings), got '\(arguments.string("size") ?? "")'")
        }
        let pooling = try arguments.choice("pooling", default: VGG16.Pooling.none)
        let json = arguments.flag("json")
        let url = try WeightsFile.locate(weightsName)
        let (extractor, report) = try FeatureExtractor.vgg16(weights: url, height: size.height, width: size.width, pooling: pooling)
        (json ? console.printError : console.print)("Loaded \(url.path): \(report)")
        var failures = 0
        for path in arguments.positionals {
            let features: Tensor
            do { features = try extractor.features(ofImageAt: path) } catch {
                let message = String(describing: error)
                console.printError(message.hasPrefix(path) ? message : "\(path): \(message)")
                failures += 1
                continue
            }
            if json {
                let object: [String: Any] = ["path": path, "shape": features.shape, "features": features.scalars.map(Double.init)]
                console.print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self))
            } else {
                console.print("\(path): \(features.shape.map(String.init).joined(separator: "×"))")
                console.print(features.scalars.map { String(format: "%.6g", $0) }.joined(separator: " "))
            }
        }
        return failures == 0 ? 0 : 1
    }
}
