import Foundation
import Imaging
import InvariantCommands

/// A uniquely named folder under the temporary directory, removed by `remove()`.
final class TemporaryDirectory {
    let path: String

    init(_ label: String = #function) {
        let safe = label.filter { $0.isLetter || $0.isNumber }.prefix(40)
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("invariant-cli-\(safe)-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ relative: String, _ data: Data) -> String {
        let target = path + "/" + relative
        try! FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        try! data.write(to: URL(fileURLWithPath: target))
        return target
    }
}

enum Images {
    static func image(width: Int, height: Int, channels: Int, value: UInt8) -> Image<UInt8> {
        let samples = (0..<width * height * channels).map { UInt8(truncatingIfNeeded: Int(value) + $0 * 3) }
        return Image(width: width, height: height, channels: channels, pixels: samples)
    }

    static func png(width: Int = 5, height: Int = 4, value: UInt8 = 50) -> Data {
        try! ImageEncoder.png(image(width: width, height: height, channels: 3, value: value))
    }

    static func jpeg(width: Int = 16, height: Int = 12, value: UInt8 = 50) -> Data {
        try! ImageEncoder.jpeg(image(width: width, height: height, channels: 3, value: value))
    }
}

/// Runs `invariant ARGS` with a capturing console.
func invariant(_ arguments: String...) -> (status: Int32, output: String, error: String) {
    invariant(arguments)
}

func invariant(_ arguments: [String]) -> (status: Int32, output: String, error: String) {
    let (console, captured) = Console.capturing()
    let status = InvariantTool.run(arguments, console: console)
    return (status, captured.output, captured.error)
}
