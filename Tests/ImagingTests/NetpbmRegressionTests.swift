import Foundation
import Imaging
import Testing

/// Crashes found by `FuzzTests`, reduced to a few bytes. Each runs in a child process (an
/// exit test) so that a trap fails the test instead of the whole run.
@Suite struct NetpbmRegressionTests {
    /// ASCII samples larger than maxval: with maxval 255 (or 65535) `scale` used to return the
    /// value unclamped and `UInt8(_:)` / `UInt16(_:)` trapped ("Not enough bits to represent
    /// the passed value", NetpbmDecoder.swift). Either clamping or an `ImageError` is fine.
    @Test(arguments: ["P2\n1 1\n255\n300\n", "P3\n1 1\n255\n0 0 256\n", "P2\n2 1\n65535\n1 70000\n"])
    func asciiSampleAboveMaxvalDoesNotTrap(_ text: String) async {
        await #expect(processExitsWith: .success, "decoding \(text.debugDescription)") { [text = text as String] in
            do {
                _ = try ImageDecoder().decode(Data(text.utf8))
            } catch is ImageError {
                // A clear error is acceptable too.
            } catch {
                exit(2)
            }
        }
    }

    /// The same file passes header validation, so a dataset indexed at the default depth
    /// reaches the loader with it.
    @Test func headerValidationAcceptsIt() throws {
        let data = Data("P2\n1 1\n255\n300\n".utf8)
        let header = try data.withUnsafeBytes { try ImageDecoder.validate($0, depth: .header) }
        #expect(header.format == .netpbm && header.width == 1 && header.height == 1 && header.bitDepth == 8)
    }

    /// Below 255 the sample is clamped to maxval before scaling: this path does not trap.
    @Test func sampleAboveSmallMaxvalIsClamped() throws {
        let image = try ImageDecoder(options: DecodeOptions(colorMode: .original)).decode(Data("P2\n2 1\n100\n300 50\n".utf8))
        #expect(image.image.eightBit.pixels == [255, 128])
    }
}
