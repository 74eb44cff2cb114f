import Foundation
import Imaging
@_exported import TestSupport

/// The golden fixtures of the imaging tests (`Fixtures/imaging/inputs/…`).
let imagingFixtures = FixtureFolder("imaging")

/// CRC-32 (ISO-HDLC, as PNG chunks use).
func crc32(_ bytes: some Sequence<UInt8>) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}

/// A real PNG whose IHDR is patched to declare `width × height` (with a valid CRC), so that
/// only the header claims the size.
func pngDeclaring(width: Int, height: Int) -> Data {
    var bytes = [UInt8](Images.png(width: 1, height: 1, channels: 3))
    // Signature (8) + length (4) + "IHDR" (4): width at 16, height at 20, CRC at 29.
    precondition(Array(bytes[12..<16]) == Array("IHDR".utf8))
    func put(_ value: UInt32, at offset: Int) {
        for i in 0..<4 { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (24 - 8 * UInt32(i))) }
    }
    put(UInt32(width), at: 16)
    put(UInt32(height), at: 20)
    put(crc32(bytes[12..<29]), at: 29)
    return Data(bytes)
}

extension Data {
    /// The bytes with the range `range` replaced by a repeating pattern.
    func corrupting(_ range: Range<Int>, with pattern: [UInt8] = [0x13, 0x57, 0x9B, 0xDF, 0x02]) -> Data {
        var bytes = [UInt8](self)
        for i in range { bytes[i] = pattern[i % pattern.count] }
        return Data(bytes)
    }
}
