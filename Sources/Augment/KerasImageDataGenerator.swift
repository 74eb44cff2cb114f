import Foundation
import Imaging
import InvariantCore

/// Keras's legacy `ImageDataGenerator` augmentation, reproduced with its actual behaviour
/// (from `keras/src/legacy/preprocessing/image.py`), quirks included:
///
/// - rotation, shift, shear and zoom form one matrix `R·T·S·Z`, offset by
///   `(h/2 − 0.5, w/2 − 0.5)` and then axis-swapped — so on a non-square image they turn about
///   (row, col) = (w/2 − 0.5, h/2 − 0.5), not the image centre — and resampled once by scipy's
///   `affine_transform` (order 1);
/// - the value drawn from `heightShiftRange` is scaled by the height and moves content
///   **horizontally**, `widthShiftRange` the other way round, and positive values move
///   content left/up (the channels-last axis swap);
/// - zoom factors multiply output → input coordinates, so **values below 1 enlarge**, and x
///   and y zoom are drawn independently;
/// - shear is an angle in degrees with matrix `[[1, −sin s], [0, cos s]]` (not a pure shear);
/// - `channelShiftRange` adds one offset to every channel, clipped to the image's own range;
/// - flips come after the affine step and the channel shift, each with probability 0.5;
/// - brightness goes through PIL's multiplicative enhancer on the image truncated to uint8.
///
/// Images are float (as Keras's arrays are); `fillMode` follows scipy's edge semantics.
public struct KerasImageDataGenerator: Sendable {
    /// [−|v|, |v|]: NumPy's `uniform(-v, v)` accepts a negative v, with the bounds swapped.
    private static func symmetric(_ v: Double) -> ClosedRange<Double> { -abs(v)...abs(v) }
    private func symmetric(_ v: Double) -> ClosedRange<Double> { Self.symmetric(v) }

    /// The forms Keras accepts for `width_shift_range` / `height_shift_range`.
    public enum ShiftRange: Hashable, Sendable {
        /// A float: uniform in [−v, v]; a fraction of the size when v < 1, pixels otherwise.
        case uniform(Double)
        /// An int n: k·(±1) with k uniform in 0..<n, in pixels.
        case integer(Int)
        /// A list: a random element times a random sign; fractions when all are below 1.
        case choices([Double])

        func draw(size: Int, using random: inout CounterRandom) -> Double {
            switch self {
            case .uniform(let v):
                let value = random.nextDouble(in: KerasImageDataGenerator.symmetric(v))
                return v < 1 ? value * Double(size) : value
            case .integer(let n):
                guard n > 0 else { return 0 }
                let sign: Double = random.nextInt(below: 2) == 0 ? -1 : 1
                return Double(random.nextInt(below: n)) * sign
            case .choices(let values):
                guard !values.isEmpty else { return 0 }
                let value = values[random.nextInt(below: values.count)] * (random.nextInt(below: 2) == 0 ? -1 : 1)
                return (values.max() ?? 0) < 1 ? value * Double(size) : value
            }
        }
    }

    /// scipy's `mode` values that Keras passes through as `fill_mode`.
    public enum FillMode: String, Hashable, Sendable, CaseIterable, Codable {
        case constant, nearest, reflect, wrap
    }

    /// One image's drawn parameters, named as in Keras's `get_random_transform`.
    public struct Parameters: Hashable, Sendable, Codable {
        public var theta = 0.0, tx = 0.0, ty = 0.0, shear = 0.0, zx = 1.0, zy = 1.0
        public var flipHorizontal = false, flipVertical = false
        public var channelShiftIntensity: Double?
        public var brightness: Double?

        public init(theta: Double = 0, tx: Double = 0, ty: Double = 0, shear: Double = 0, zx: Double = 1, zy: Double = 1,
                    flipHorizontal: Bool = false, flipVertical: Bool = false, channelShiftIntensity: Double? = nil,
                    brightness: Double? = nil) {
            (self.theta, self.tx, self.ty, self.shear, self.zx, self.zy) = (theta, tx, ty, shear, zx, zy)
            (self.flipHorizontal, self.flipVertical) = (flipHorizontal, flipVertical)
            self.channelShiftIntensity = channelShiftIntensity
            self.brightness = brightness
        }
    }

    public var rotationRange = 0.0
    public var widthShiftRange = ShiftRange.uniform(0)
    public var heightShiftRange = ShiftRange.uniform(0)
    public var shearRange = 0.0
    public var zoomRange: ClosedRange<Double> = 1...1
    public var channelShiftRange = 0.0
    public var fillMode = FillMode.nearest
    public var cval = 0.0
    public var horizontalFlip = false
    public var verticalFlip = false
    public var brightnessRange: ClosedRange<Double>?

    public init() {}

    /// Keras's scalar `zoom_range` z: [1 − z, 1 + z].
    public mutating func setZoom(_ z: Double) { zoomRange = (1 - z)...(1 + z) }

    /// Draws the parameters for an image of `size`, in Keras's order.
    public func randomParameters(for size: ImageSize, using random: inout CounterRandom) -> Parameters {
        var p = Parameters()
        if rotationRange != 0 { p.theta = random.nextDouble(in: symmetric(rotationRange)) }
        p.tx = heightShiftRange.draw(size: size.height, using: &random)
        p.ty = widthShiftRange.draw(size: size.width, using: &random)
        if shearRange != 0 { p.shear = random.nextDouble(in: symmetric(shearRange)) }
        if zoomRange != 1...1 {
            p.zx = random.nextDouble(in: zoomRange)
            p.zy = random.nextDouble(in: zoomRange)
        }
        p.flipHorizontal = horizontalFlip && random.nextUnit() < 0.5
        p.flipVertical = verticalFlip && random.nextUnit() < 0.5
        if channelShiftRange != 0 { p.channelShiftIntensity = random.nextDouble(in: symmetric(channelShiftRange)) }
        if let brightnessRange { p.brightness = random.nextDouble(in: brightnessRange) }
        return p
    }

    /// Keras's `apply_transform` for channels-last images.
    public func apply(_ p: Parameters, to image: Image<Float>) -> Image<Float> {
        var result = image
        if let (matrix, offset) = KerasImageDataGenerator.affine(p, height: image.height, width: image.width) {
            result = ScipyAffine.transform(result, matrix: matrix, offset: offset, mode: fillMode, cval: Float(cval))
        }
        if let intensity = p.channelShiftIntensity { result = KerasImageDataGenerator.channelShift(result, by: Float(intensity)) }
        if p.flipHorizontal { result = result.mirrored(horizontally: true) }
        if p.flipVertical { result = result.mirrored(horizontally: false) }
        if let brightness = p.brightness { result = KerasImageDataGenerator.brightness(result, factor: brightness) }
        return result
    }

    /// The (row, col) matrix and offset Keras hands to scipy, or nil when there is no affine step.
    public static func affine(_ p: Parameters, height: Int, width: Int) -> (matrix: [[Double]], offset: [Double])? {
        typealias M = [[Double]]
        func dot(_ a: M, _ b: M) -> M {
            (0..<3).map { i in (0..<3).map { j in (0..<3).reduce(0.0) { $0 + a[i][$1] * b[$1][j] } } }
        }
        var transform: M?
        func combine(_ next: M) { transform = transform.map { dot($0, next) } ?? next }
        if p.theta != 0 {
            let t = p.theta * .pi / 180
            combine([[cos(t), -sin(t), 0], [sin(t), cos(t), 0], [0, 0, 1]])
        }
        if p.tx != 0 || p.ty != 0 { combine([[1, 0, p.tx], [0, 1, p.ty], [0, 0, 1]]) }
        if p.shear != 0 {
            let s = p.shear * .pi / 180
            combine([[1, -sin(s), 0], [0, cos(s), 0], [0, 0, 1]])
        }
        if p.zx != 1 || p.zy != 1 { combine([[p.zx, 0, 0], [0, p.zy, 0], [0, 0, 1]]) }
        guard var matrix = transform else { return nil }
        // transform_matrix_offset_center(matrix, h, w): o_x from the height, o_y from the width.
        let ox = Double(height) / 2 - 0.5, oy = Double(width) / 2 - 0.5
        matrix = dot(dot([[1, 0, ox], [0, 1, oy], [0, 0, 1]], matrix), [[1, 0, -ox], [0, 1, -oy], [0, 0, 1]])
        // Channels last: swap the first two columns, then the first two rows.
        for i in 0..<3 { matrix[i].swapAt(0, 1) }
        matrix.swapAt(0, 1)
        return ([Array(matrix[0][0..<2]), Array(matrix[1][0..<2])], [matrix[0][2], matrix[1][2]])
    }

    /// `apply_channel_shift`: one offset for every channel, clipped to the image's range.
    static func channelShift(_ image: Image<Float>, by intensity: Float) -> Image<Float> {
        let samples = image.pixels
        let low = samples.min() ?? 0, high = samples.max() ?? 0
        return image.converted { min(max($0 + intensity, low), high) }
    }

    /// `apply_brightness_shift` with `scale=False`: PIL's enhancer on the image cast to uint8
    /// (truncated), min–max scaled first when the image leaves [0, 255].
    static func brightness(_ image: Image<Float>, factor: Double) -> Image<Float> {
        let samples = image.pixels
        let low = samples.min() ?? 0, high = samples.max() ?? 0
        let rescales = low < 0 || high > 255
        return image.converted { value -> Float in
            let level = rescales ? (high > low ? (value - low) / (high - low) * 255 : 0) : value
            // numpy's uint8 cast truncates (non-finite samples become 0 here rather than trap).
            let byte = level.isFinite ? UInt8(clamping: Int(max(-1, min(256, level)))) : 0
            let out = Float(Brightness.enhance(byte, by: factor))
            return rescales ? out / 255 * (high - low) + low : out
        }
    }
}

extension Image where Component == Float {
    /// The image mirrored left–right (`horizontally`) or top–bottom.
    func mirrored(horizontally: Bool) -> Image {
        var result = Image(width: width, height: height, channels: channels)
        for y in 0..<height {
            for x in 0..<width {
                let sx = horizontally ? width - 1 - x : x, sy = horizontally ? y : height - 1 - y
                for c in 0..<channels { result[x, y, c] = self[sx, sy, c] }
            }
        }
        return result
    }
}
