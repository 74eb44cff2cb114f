import Foundation
import Imaging
import Testing

/// Resizing uint8 images reproduces Pillow's `Image.resize` exactly (tolerance 0): the
/// implementation follows Pillow's coefficients and 22-bit fixed-point arithmetic.
@Suite struct ResizingTests {
    @Test(arguments: Fixtures.manifest.resize)
    func matchesPillow(_ fixture: Fixtures.ResizeCase) throws {
        let source = try ImageDecoder(options: DecodeOptions(colorMode: .original))
            .decode(Fixtures.data(fixture.input)).image.eightBit
        let region = fixture.box.map { SourceRegion(left: $0[0], top: $0[1], right: $0[2], bottom: $0[3]) }
        let resized = source.resized(to: ImageSize(width: fixture.width, height: fixture.height),
                                     filter: ResamplingFilter(rawValue: fixture.filter)!, region: region)
        #expect(resized.channels == fixture.channels)
        #expect(maxDifference(resized.pixels, Fixtures.bytes(fixture.expected)) == 0)
    }

    /// JPEG DCT-domain reduction follows Pillow's `draft`, then an exact resize.
    @Test func draftDecodeMatchesPillow() throws {
        for fixture in Fixtures.manifest.draft {
            let target = ImageSize(width: fixture.target[0], height: fixture.target[1])
            let decoded = try ImageDecoder(options: DecodeOptions(targetSize: target)).decode(Fixtures.data(fixture.input))
            #expect(decoded.reduction == 2)
            let draft = decoded.image.eightBit
            #expect(draft.width == fixture.draft_width && draft.height == fixture.draft_height)
            #expect(maxDifference(draft.pixels, Fixtures.bytes(fixture.draft_expected)) <= 1)
            let resized = draft.resized(to: target, filter: .bilinear)
            #expect(maxDifference(resized.pixels, Fixtures.bytes(fixture.resized_expected)) <= 1)
        }
    }

    @Test func centerCropFollowsKerasArithmetic() {
        let image = Image<UInt8>(width: 97, height: 73, channels: 1)
        #expect(image.centerCropRect(for: ImageSize(width: 50, height: 50)) == PixelRect(x: 12, y: 0, width: 73, height: 73))
        #expect(image.centerCropRect(for: ImageSize(width: 100, height: 20)) == PixelRect(x: 0, y: 27, width: 97, height: 19))
    }

    @Test func letterboxKeepsAspectAndPads() {
        let image = Image<UInt8>(width: 40, height: 20, channels: 1, pixels: [UInt8](repeating: 200, count: 800))
        let boxed = image.resized(to: ImageSize(width: 30, height: 30), filter: .bilinear, aspect: .letterbox(fill: 7))
        #expect(boxed.width == 30 && boxed.height == 30)
        #expect(boxed[0, 0, 0] == 7 && boxed[0, 29, 0] == 7)  // padding above and below
        #expect(boxed[15, 15, 0] == 200)
        // 15 rows of image centred: rows 7…21.
        #expect(boxed[0, 6, 0] == 7 && boxed[0, 7, 0] == 200 && boxed[0, 21, 0] == 200 && boxed[0, 22, 0] == 7)
    }

    @Test func floatImagesResizeLikeEightBit() {
        let pixels = (0..<(9 * 7)).map { UInt8(($0 * 37) % 256) }
        let bytes = Image(width: 9, height: 7, channels: 1, pixels: pixels)
        let floats = bytes.converted { Float($0) }
        let size = ImageSize(width: 4, height: 3)
        let a = bytes.resized(to: size, filter: .bicubic).pixels.map(Int.init)
        let b = floats.resized(to: size, filter: .bicubic).pixels.map { Int(max(0, min(255, $0.rounded()))) }
        #expect(maxDifference(a, b) <= 1)
    }
}
