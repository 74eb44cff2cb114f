import Augment
import Imaging

extension AugmentationPipeline {
    /// The pipeline as a loader transform: each sample is augmented with its own key, a pure
    /// function of (seed, epoch, sample index). When a step changes the canvas (a crop, pad,
    /// or a quarter turn of a non-square image), the result is resized back to the loader's
    /// size (bilinear, Pillow's arithmetic) so that every image of a batch has one shape.
    public var sampleTransform: SampleTransform {
        let pipeline = self
        return { image, context in
            let size = ImageSize(width: image.width, height: image.height)
            let augmented = pipeline.apply(to: image, key: context.key)
            image = augmented.width == size.width && augmented.height == size.height ? augmented
                : augmented.resized(to: size, filter: .bilinear)
        }
    }
}

extension BatchLoader {
    /// A loader for training data that augments every sample on the worker threads.
    /// Validation data gets a loader without augmentation: `BatchLoader(dataset:options:)`.
    public convenience init(training dataset: ImageDataset, options: LoaderOptions,
                            augmentation: AugmentationPipeline) throws {
        try self.init(dataset: dataset, options: options, transform: augmentation.sampleTransform)
    }
}
