import Augment
import Imaging
import InvariantCore
import Testing

/// The quirks of Keras's `ImageDataGenerator` listed in the reference notes, checked on a
/// 9×9 image with one lit pixel (as the notes verified them against Keras's own code).
@Suite struct KerasSemanticsTests {
    func lit(_ x: Int, _ y: Int) -> Image<Float> {
        var image = Image<Float>(width: 9, height: 9, channels: 1)
        image[x, y, 0] = 100
        return image
    }

    func brightest(_ image: Image<Float>) -> (x: Int, y: Int) {
        var best = (x: 0, y: 0, value: -Float.infinity)
        for y in 0..<image.height { for x in 0..<image.width where image[x, y, 0] > best.value { best = (x, y, image[x, y, 0]) } }
        return (best.x, best.y)
    }

    let generator = KerasImageDataGenerator()

    @Test func positiveRotationIsCounterClockwise() {
        let turned = generator.apply(.init(theta: 90), to: lit(4, 0))  // top centre
        #expect(brightest(turned) == (0, 4))  // → left centre
    }

    /// `tx` (drawn from height_shift_range) moves content horizontally; positive moves it left.
    @Test func heightShiftMovesContentHorizontally() {
        let shifted = generator.apply(.init(tx: 2), to: lit(4, 4))
        #expect(brightest(shifted) == (2, 4))
        let other = generator.apply(.init(ty: 2), to: lit(4, 4))
        #expect(brightest(other) == (4, 2))
    }

    /// Zoom multiplies output → input coordinates: 0.5 doubles distances from the centre.
    @Test func zoomBelowOneEnlarges() {
        let zoomed = generator.apply(.init(zx: 0.5, zy: 0.5), to: lit(5, 4))
        #expect(brightest(zoomed) == (6, 4))
    }

    @Test func channelShiftIsOneOffsetClippedToTheImageRange() {
        let image = Image<Float>(width: 2, height: 1, channels: 3, pixels: [10, 50, 90, 30, 70, 200])
        let shifted = generator.apply(.init(channelShiftIntensity: 20), to: image)
        #expect(shifted.pixels == [30, 70, 110, 50, 90, 200])
    }

    @Test func brightnessTruncatesToBytesThenUsesPIL() {
        let image = Image<Float>(width: 3, height: 1, channels: 1, pixels: [100.9, 255, 0])
        let brighter = generator.apply(.init(brightness: 1.5), to: image)
        #expect(brighter.pixels == [150, 255, 0])  // trunc(100.9) = 100 → 150
    }

    @Test func drawsFollowTheConfiguredForms() {
        var generator = KerasImageDataGenerator()
        generator.widthShiftRange = .integer(2)  // {−1, 0, +1} pixels
        generator.heightShiftRange = .uniform(0.1)  // a fraction of the height
        generator.setZoom(0.2)
        var random = RandomKey(seed: 5).generator()
        for _ in 0..<200 {
            let p = generator.randomParameters(for: ImageSize(width: 40, height: 20), using: &random)
            #expect([-1.0, 0, 1].contains(p.ty))
            #expect(abs(p.tx) <= 2)
            #expect((0.8...1.2).contains(p.zx) && (0.8...1.2).contains(p.zy))
        }
    }
}
