import Foundation
import Imaging
import Tensors

/// A pretrained convolutional base used on its own: what Keras users get from
/// `conv_base.predict(preprocess_input(images))`. Images are resized (bilinear) to the base's
/// input size and preprocessed with the base's mode (`caffe` for VGG16).
public struct FeatureExtractor {
    public let base: Sequential
    public let preprocessing: Preprocessing.Mode

    public init(base: Sequential, preprocessing: Preprocessing.Mode) {
        self.base = base
        self.preprocessing = preprocessing
    }

    /// VGG16 without its top for `height`×`width` images, with `pooling`, its weights loaded
    /// from `weights` (any dialect); returns the load report too.
    public static func vgg16(weights: URL, height: Int = 150, width: Int = 150, pooling: VGG16.Pooling = .none,
                             options: WeightLoadOptions = WeightLoadOptions()) throws -> (FeatureExtractor, WeightLoadReport) {
        let base = try VGG16.make(includeTop: false, inputShape: [height, width, 3], pooling: pooling)
        let report = try base.loadWeights(from: weights, options: options)
        return (FeatureExtractor(base: base, preprocessing: .caffe), report)
    }

    /// The shape of one image's features (`[4, 4, 512]` for VGG16 at 150×150).
    public var featureShape: [Int] { base.outputShape }

    /// Features of a batch of RGB images in 0…255, NHWC at the base's input size.
    public func features(_ images: Tensor) -> Tensor {
        base(preprocessInput(images, mode: preprocessing))
    }

    /// Features of one image file (decoded as RGB, EXIF orientation applied, resized).
    public func features(ofImageAt path: String) throws -> Tensor {
        let image = try ImageDecoder(options: DecodeOptions(colorMode: .rgb)).decode(fileAt: path).image.eightBit
        let size = ImageSize(width: base.inputShape[1], height: base.inputShape[0])
        let resized = image.width == size.width && image.height == size.height ? image : image.resized(to: size, filter: .bilinear)
        let pixels = resized.compacted().pixels.map(Float.init)
        let output = features(Tensor(shape: [1] + base.inputShape, scalars: pixels))
        return Tensor(shape: featureShape, scalars: output.scalars)
    }
}
