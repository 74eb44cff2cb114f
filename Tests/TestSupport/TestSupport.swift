import Foundation
import Imaging

/// A uniquely named folder under the temporary directory, removed by `remove()`.
public final class TemporaryDirectory {
    public let path: String

    public init(_ label: String = #function) {
        let safe = label.filter { $0.isLetter || $0.isNumber }.prefix(40)
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("invariant-\(safe)-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Removes the folder (links inside are removed, not followed).
    public func remove() { try? FileManager.default.removeItem(atPath: path) }

    public func url(_ relative: String) -> URL { URL(fileURLWithPath: path + "/" + relative) }

    /// Writes `data` at `relative`, creating parent folders.
    @discardableResult
    public func write(_ relative: String, _ data: Data) -> String {
        let target = path + "/" + relative
        try! FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        try! data.write(to: URL(fileURLWithPath: target))
        return target
    }

    public func makeFolder(_ relative: String) {
        try! FileManager.default.createDirectory(atPath: path + "/" + relative, withIntermediateDirectories: true)
    }

    /// A symbolic link at `relative` whose content is `destination` (as given, often relative).
    public func link(_ relative: String, to destination: String) {
        try! FileManager.default.createSymbolicLink(atPath: path + "/" + relative, withDestinationPath: destination)
    }
}

/// Small encoded images whose content identifies them.
public enum Images {
    /// A `width × height` image with every sample `value` (plus a gradient so that resizing
    /// and orientation are visible when wanted).
    public static func pixels(width: Int, height: Int, channels: Int, value: UInt8, gradient: Bool = false) -> Image<UInt8> {
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

    public static func png(width: Int = 5, height: Int = 4, channels: Int = 3, value: UInt8 = 100, gradient: Bool = false) -> Data {
        try! ImageEncoder.png(pixels(width: width, height: height, channels: channels, value: value, gradient: gradient))
    }

    public static func jpeg(width: Int = 16, height: Int = 16, channels: Int = 3, value: UInt8 = 100, gradient: Bool = true) -> Data {
        try! ImageEncoder.jpeg(pixels(width: width, height: height, channels: channels, value: value, gradient: gradient))
    }
}

/// A folder of golden files under `Fixtures/` (written by `Tools/make_fixtures.sh`).
public struct FixtureFolder: Sendable {
    public let root: URL

    /// `Fixtures/<name>` of this repository.
    public init(_ name: String) {
        root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)")
    }

    public func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    public func data(_ relative: String) -> Data {
        guard let data = try? Data(contentsOf: url(relative)) else { fatalError("missing fixture \(root.lastPathComponent)/\(relative)") }
        return data
    }

    public func bytes(_ relative: String) -> [UInt8] { [UInt8](data(relative)) }

    /// A decodable JSON file, e.g. the folder's `manifest.json`.
    public func decode<T: Decodable>(_ type: T.Type, from relative: String = "manifest.json") -> T {
        do { return try JSONDecoder().decode(type, from: data(relative)) } catch {
            fatalError("unreadable fixture \(root.lastPathComponent)/\(relative): \(error)")
        }
    }
}
