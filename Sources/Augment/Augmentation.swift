import Imaging
import InvariantCore

/// One step of an augmentation pipeline: with probability `probability` it draws its
/// parameters and turns them into image operations.
public protocol Augmentation: Sendable {
    /// The step's name in spec strings and records (e.g. `rotate`).
    var name: String { get }
    var probability: Double { get set }
    /// Draws the parameters for an image of `size` and returns them with the operations.
    func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation
}

/// What one step did to one image: its drawn parameters and the resulting operations.
public struct AppliedAugmentation: Hashable, Sendable, Codable {
    public var name: String
    public var parameters: [String: Double]
    public var operations: [ImageOperation]

    public init(name: String, parameters: [String: Double], operations: [ImageOperation]) {
        self.name = name
        self.parameters = parameters
        self.operations = operations
    }
}

/// Steps applied in order, each with its own random stream.
///
/// Step *i* of the pipeline draws from `key.derived(i)`, where `key` is the sample's key —
/// a pure function of (seed, epoch, sample index) — so an image gets the same augmentation
/// whatever thread or batch position handles it, and a different one in every epoch.
public struct AugmentationPipeline: Sendable {
    public var steps: [any Augmentation]

    public init(_ steps: [any Augmentation]) { self.steps = steps }

    /// The steps that fire for an image of `size` under `key`, with their parameters.
    public func record(for size: ImageSize, key: RandomKey) -> [AppliedAugmentation] {
        var current = size
        return steps.enumerated().compactMap { position, step in
            var random = key.derived(position).generator()
            guard random.nextUnit() < step.probability else { return nil }
            let applied = step.draw(for: current, using: &random)
            current = applied.operations.outputSize(from: current)  // crops and resizes change the canvas
            return applied
        }
    }

    /// Augments `image`; the result is a pure function of the image and `key`.
    public func apply(to image: Image<UInt8>, key: RandomKey) -> Image<UInt8> {
        replay(record(for: ImageSize(width: image.width, height: image.height), key: key), on: image)
    }

    /// Runs recorded steps again: the same image and record give the same result.
    public func replay(_ record: [AppliedAugmentation], on image: Image<UInt8>) -> Image<UInt8> {
        ImageOperation.execute(record.flatMap(\.operations), on: image)
    }
}

/// Settings shared by the geometric steps.
public struct GeometryOptions: Hashable, Sendable {
    public var interpolation: Interpolation
    public var border: BorderMode
    public var fill: Double

    public init(interpolation: Interpolation = .bilinear, border: BorderMode = .reflect101, fill: Double = 0) {
        self.interpolation = interpolation
        self.border = border
        self.fill = fill
    }

    func warp(_ transform: AffineTransform, size: ImageSize) -> ImageOperation {
        .warp(transform, size: size, interpolation: interpolation, border: border, fill: fill)
    }
}
