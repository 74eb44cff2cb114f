import Augment
import Imaging

extension AugmentationPipeline {
    /// The pipeline as a loader transform: each sample is augmented with its own key, a pure
    /// function of (seed, epoch, sample index). The pipeline must keep the loader's image
    /// size (crop or resize back to it when it changes the canvas).
    public var sampleTransform: SampleTransform {
        let pipeline = self
        return { image, context in image = pipeline.apply(to: image, key: context.key) }
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
