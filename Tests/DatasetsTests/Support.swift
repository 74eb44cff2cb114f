import Foundation
import Imaging

/// A uniquely named folder under the temporary directory, removed by `remove()`.
final class TemporaryDirectory {
    let path: String

    init(_ label: String = #function) {
        let safe = label.filter { $0.isLetter || $0.isNumber }.prefix(40)
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("invariant-\(safe)-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Removes the folder (links inside are removed, not followed).
    func remove() { try? FileManager.default.removeItem(atPath: path) }

    func url(_ relative: String) -> URL { URL(fileURLWithPath: path + "/" + relative) }

    /// Writes `data` at `relative`, creating parent folders.
    @discardableResult
    func write(_ relative: String, _ data: Data) -> String {
        let target = path + "/" + relative
        try! FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        try! data.write(to: URL(fileURLWithPath: target))
        return target
    }

    func makeFolder(_ relative: String) {
        try! FileManager.default.createDirectory(atPath: path + "/" + relative, withIntermediateDirectories: true)
    }

    /// A symbolic link at `relative` whose content is `destination` (as given, often relative).
    func link(_ relative: String, to destination: String) {
        try! FileManager.default.createSymbolicLink(atPath: path + "/" + relative, withDestinationPath: destination)
    }
}

/// Small encoded images whose content identifies them.
enum Images {
    /// A `width × height` image with every sample `value` (plus a gradient so that resizing
    /// and orientation are visible when wanted).
    static func pixels(width: Int, height: Int, channels: Int, value: UInt8, gradient: Bool = false) -> Image<UInt8> {
        var samples = [UInt8](repeating: value, count: width * height * channels)
        if gradient {
            for y in 0..<height {
                for x in 0..<width {
                    for c in 0..<channels {
                        samples[(y * width + x) * channels + c] = UInt8(truncatingIfNeeded: Int(value) + 7 * x + 13 * y + 29 * c)
                    }
                }
            }
        }
        return Image(width: width, height: height, channels: channels, pixels: samples)
    }

    static func png(width: Int = 5, height: Int = 4, channels: Int = 3, value: UInt8 = 100, gradient: Bool = false) -> Data {
        try! ImageEncoder.png(pixels(width: width, height: height, channels: channels, value: value, gradient: gradient))
    }

    static func jpeg(width: Int = 16, height: Int = 16, channels: Int = 3, value: UInt8 = 100, gradient: Bool = true) -> Data {
        try! ImageEncoder.jpeg(pixels(width: width, height: height, channels: channels, value: value, gradient: gradient))
    }
}

/// The golden fixtures of the imaging tests (`Fixtures/imaging/inputs/…`).
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/imaging")

    static func data(_ relative: String) -> Data {
        guard let data = try? Data(contentsOf: root.appendingPathComponent(relative)) else {
            fatalError("missing fixture \(relative)")
        }
        return data
    }
}

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
