/// The models `invariant train --model` and `invariant bench train-step --model` name.
public enum Architecture: String, Sendable, CaseIterable {
    /// Conv 32 3×3 ReLU, Conv 64 3×3 ReLU (`valid`), MaxPool 2, Flatten, Dense 128 ReLU,
    /// Dense softmax: the Keras MNIST example's network, the tensor engine's benchmark model.
    case smallCNN = "small-cnn"
    /// A compact VGG-style network for small images: three blocks of a `same` 3×3 ReLU
    /// convolution (32, 64, 128 filters), batch normalisation and 2×2 max pooling, then
    /// Dense 256 ReLU, dropout 0.4 and Dense softmax (about 16 MFLOP per 28×28 image).
    case compactVGG = "vgg-mini"
    /// VGG16's convolutional base (Keras's layer names) behind its `caffe` preprocessing, with
    /// a head given by `head`.
    case vgg16

    /// The model for images of `inputShape` and `classes` classes. `head` lists the layers put
    /// on a convolutional base (VGG16): by default Flatten, Dense 512 ReLU — the lesson's.
    public func make(inputShape: [Int], classes: Int, head: [any Layer]? = nil, seed: UInt64 = 0) throws -> Sequential {
        let output = Dense(units: classes, activation: .softmax, name: "predictions")
        switch self {
        case .smallCNN:
            return try Sequential(name: "small_cnn", inputShape: inputShape, layers: [
                Rescaling(scale: 1 / 255),
                Conv2D(filters: 32, kernelSize: (3, 3), activation: .relu),
                Conv2D(filters: 64, kernelSize: (3, 3), activation: .relu),
                Pooling2D(.max),
                Flatten(),
                Dense(units: 128, activation: .relu),
                output,
            ], seed: seed)
        case .compactVGG:
            var layers: [any Layer] = [Rescaling(scale: 1 / 255)]
            for (block, filters) in [32, 64, 128].enumerated() {
                layers.append(Conv2D(filters: filters, kernelSize: (3, 3), padding: .same, activation: .relu,
                                     name: "block\(block + 1)_conv1"))
                layers.append(BatchNormalization(name: "block\(block + 1)_bn"))
                layers.append(Pooling2D(.max, name: "block\(block + 1)_pool"))
            }
            layers += [Flatten(), Dense(units: 256, activation: .relu, name: "fc1"), Dropout(rate: 0.4), output]
            return try Sequential(name: "vgg_mini", inputShape: inputShape, layers: layers, seed: seed)
        case .vgg16:
            let base = try VGG16.make(includeTop: false, inputShape: inputShape, seed: seed)
            let head = head ?? [Flatten(), Dense(units: 512, activation: .relu)]
            return try Sequential(name: "vgg16_classifier", inputShape: inputShape,
                                  layers: [Preprocessing(.caffe), base] + head + [output], seed: seed &+ 1)
        }
    }
}
