import Foundation
import Imaging
import InvariantCore

/// albumentations' `Perspective` (keep_size, no fit_output): a scale σ drawn from `scales`,
/// each corner moved inwards by |N(0, σ)| mod 0.32 of the side (pixel-centre extent), and the
/// quadrilateral they span stretched back onto the whole canvas by one homography. It is a
/// projective warp: it fuses with neighbouring affine warps into one resampling
/// (albumentations warps to the quadrilateral's size and resizes back: two resamplings).
public struct Perspective: Augmentation {
    public var name: String { "perspective" }
    public var scales: ClosedRange<Double>
    public var geometry: GeometryOptions
    public var probability: Double

    public init(scales: ClosedRange<Double> = 0.05...0.1, geometry: GeometryOptions = GeometryOptions(), probability: Double = 0.5) {
        self.scales = scales
        self.geometry = geometry
        self.probability = probability
    }

    public func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        let scale = random.nextDouble(in: scales)
        let offsets = (0..<8).map { _ in (abs(scale * random.nextStandardNormal())).truncatingRemainder(dividingBy: 0.32) }
        var parameters = ["scale": scale]
        for (k, offset) in offsets.enumerated() { parameters["corner\(k / 2).\(k % 2 == 0 ? "x" : "y")"] = offset }
        guard offsets.contains(where: { $0 != 0 }) else { return AppliedAugmentation(name: name, parameters: parameters, operations: []) }
        let w = Double(size.width - 1), h = Double(size.height - 1)
        let quad = [(offsets[0] * w, offsets[1] * h), ((1 - offsets[2]) * w, offsets[3] * h),
                    ((1 - offsets[4]) * w, (1 - offsets[5]) * h), (offsets[6] * w, (1 - offsets[7]) * h)]
        let corners = [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)]
        guard let map = ProjectiveTransform.mapping(quad.map { (x: $0.0, y: $0.1) }, to: corners.map { (x: $0.0, y: $0.1) }) else {
            return AppliedAugmentation(name: name, parameters: parameters, operations: [])
        }
        return AppliedAugmentation(name: name, parameters: parameters, operations: [
            .perspective(map, size: size, interpolation: geometry.interpolation, border: geometry.border, fill: geometry.fill),
        ])
    }
}

/// Elastic deformation (albumentations' `ElasticTransform` with Gaussian noise): a smooth
/// random displacement field of σ `sigma` pixels scaled by `alpha` pixels, resampled once.
/// The field is not albumentations' (its noise comes from NumPy); the statistics are the same.
public struct ElasticTransform: Augmentation {
    public var name: String { "elastic" }
    public var alpha: Double
    public var sigma: Double
    public var geometry: GeometryOptions
    public var probability: Double

    public init(alpha: Double = 1, sigma: Double = 50, geometry: GeometryOptions = GeometryOptions(), probability: Double = 0.5) {
        self.alpha = alpha
        self.sigma = sigma
        self.geometry = geometry
        self.probability = probability
    }

    public func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        let seed = random.next()
        guard alpha != 0 else { return AppliedAugmentation(name: name, parameters: ["alpha": 0, "sigma": sigma], operations: []) }
        let field = DisplacementField(kind: .elastic(seed: seed, alpha: alpha, sigma: sigma), interpolation: geometry.interpolation,
                                      border: geometry.border, fill: geometry.fill)
        return AppliedAugmentation(name: name, parameters: ["alpha": alpha, "sigma": sigma], operations: [.distort(field)])
    }
}

/// albumentations' `GridDistortion`: `steps` columns and rows, each stretched by 1 + a factor
/// drawn from `limits`, resampled once.
public struct GridDistortion: Augmentation {
    public var name: String { "grid-distortion" }
    public var steps: Int
    public var limits: ClosedRange<Double>
    public var geometry: GeometryOptions
    public var probability: Double

    public init(steps: Int = 5, limits: ClosedRange<Double> = -0.3...0.3, geometry: GeometryOptions = GeometryOptions(),
                probability: Double = 0.5) {
        precondition(steps > 0 && limits.lowerBound > -1, "grid distortion needs steps > 0 and factors above -1")
        self.steps = steps
        self.limits = limits
        self.geometry = geometry
        self.probability = probability
    }

    public func draw(for size: ImageSize, using random: inout CounterRandom) -> AppliedAugmentation {
        let xSteps = (0..<steps).map { _ in 1 + random.nextDouble(in: limits) }
        let ySteps = (0..<steps).map { _ in 1 + random.nextDouble(in: limits) }
        var parameters: [String: Double] = [:]
        for k in 0..<steps { parameters["x\(k)"] = xSteps[k]; parameters["y\(k)"] = ySteps[k] }
        guard (xSteps + ySteps).contains(where: { $0 != 1 }) else {
            return AppliedAugmentation(name: name, parameters: parameters, operations: [])
        }
        let field = DisplacementField(kind: .grid(xSteps: xSteps, ySteps: ySteps), interpolation: geometry.interpolation,
                                      border: geometry.border, fill: geometry.fill)
        return AppliedAugmentation(name: name, parameters: parameters, operations: [.distort(field)])
    }
}
