import Foundation
import Imaging
import Testing

/// Decoding every fixture format matches Pillow's pixels the way Keras's `load_img` converts them.
///
/// Tolerances: lossless formats are exact. JPEG and lossy WebP allow ±1 level, because
/// Pillow's wheels bundle newer libjpeg-turbo/libwebp builds than Debian's, whose
/// rounding can differ by one level.
@Suite struct DecodingTests {
    static let cases = Fixtures.manifest.decode

    @Test(arguments: cases)
    func matchesPillow(_ fixture: Fixtures.DecodeCase) throws {
        let mode = ColorMode(rawValue: fixture.mode)!
        let keepsDepth = fixture.dtype == "uint16"
        let decoder = ImageDecoder(options: DecodeOptions(colorMode: mode, keepsSixteenBitDepth: keepsDepth,
                                                          appliesOrientation: fixture.oriented))
        let decoded = try decoder.decode(Fixtures.data(fixture.input)).image
        #expect(decoded.width == fixture.width)
        #expect(decoded.height == fixture.height)
        #expect(decoded.channels == fixture.channels)
        if keepsDepth {
            guard case .uint16(let image) = decoded else { Issue.record("expected 16-bit samples"); return }
            #expect(image.pixels == Fixtures.samples16(fixture.expected))
            return
        }
        let pixels = decoded.eightBit.pixels
        if fixture.pillow_16bit {
            // Pillow clips or truncates 16-bit data; Invariant scales: round(v × 255 / 65535).
            let scaled = Fixtures.samples16(fixture.u16!).map { UInt8((UInt32($0) * 255 + 32767) / 65535) }
            let reference = try Self.expand(scaled, channels: fixture.u16_channels!, to: mode)
            #expect(maxDifference(pixels, reference) == 0)
            return
        }
        let lossy = fixture.input.hasSuffix(".jpg") || fixture.input.hasSuffix("lossy.webp")
        #expect(maxDifference(pixels, Fixtures.bytes(fixture.expected)) <= (lossy ? 1 : 0))
    }

    @Test func keepsSixteenBitSamplesWhenAsked() throws {
        let options = DecodeOptions(colorMode: .original, keepsSixteenBitDepth: true)
        let decoded = try ImageDecoder(options: options).decode(Fixtures.data("inputs/rgb16.png")).image
        guard case .uint16(let image) = decoded else { Issue.record("expected 16-bit samples"); return }
        #expect(image.channels == 3)
        #expect(image.pixels == Fixtures.samples16("expected/rgb16.u16.raw"))
    }

    @Test func readsHeadersWithoutDecoding() throws {
        let header = try ImageDecoder.header(of: Fixtures.data("inputs/exif_orientation_6.jpg"))
        #expect(header.format == .jpeg)
        #expect(header.orientation == .rotatedClockwise)
        #expect(header.orientedSize == ImageSize(width: header.height, height: header.width))
        let png = try ImageDecoder.header(of: Fixtures.data("inputs/gray16.png"))
        #expect(png.format == .png && png.bitDepth == 16 && png.channels == 1)
    }

    @Test func detectsFormatFromBytesNotName() throws {
        let header = try ImageDecoder.header(of: Fixtures.data("inputs/rgb_baseline.jpg"))
        #expect(header.format == .jpeg)
        for (file, format) in [("rgb8.png", ImageFormat.png), ("lossless.webp", .webp), ("rgb.tif", .tiff),
                               ("palette.gif", .gif), ("rgb24.bmp", .bmp), ("rgb.ppm", .netpbm)] {
            #expect(ImageFormat.detect(Fixtures.bytes("inputs/" + file)) == format)
        }
    }

    /// Reference samples converted with Pillow's formulas from 1 or 3 channels.
    static func expand(_ samples: [UInt8], channels: Int, to mode: ColorMode) throws -> [UInt8] {
        let image = Image(width: samples.count / channels, height: 1, channels: channels, pixels: samples)
        let options = DecodeOptions(colorMode: mode)
        let png = try ImageEncoder.png(image)
        return try ImageDecoder(options: options).decode(png).image.eightBit.pixels
    }
}
