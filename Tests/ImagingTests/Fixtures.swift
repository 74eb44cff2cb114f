import Foundation
import Imaging

/// The golden fixtures written by `Tools/make_imaging_fixtures.py` from Pillow.
enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/imaging")

    static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    static func data(_ relative: String) -> Data {
        guard let data = try? Data(contentsOf: url(relative)) else { fatalError("missing fixture \(relative)") }
        return data
    }

    static func bytes(_ relative: String) -> [UInt8] { [UInt8](data(relative)) }

    /// Little-endian uint16 samples.
    static func samples16(_ relative: String) -> [UInt16] {
        let raw = bytes(relative)
        return stride(from: 0, to: raw.count, by: 2).map { UInt16(raw[$0]) | UInt16(raw[$0 + 1]) << 8 }
    }

    static let manifest: Manifest = {
        do { return try JSONDecoder().decode(Manifest.self, from: data("manifest.json")) } catch {
            fatalError("unreadable fixture manifest: \(error)")
        }
    }()

    struct Manifest: Decodable {
        let decode: [DecodeCase]
        let resize: [ResizeCase]
        let draft: [DraftCase]
    }

    struct DecodeCase: Decodable, Sendable, CustomStringConvertible {
        let input: String
        let mode: String
        let oriented: Bool
        let expected: String
        let width: Int
        let height: Int
        let channels: Int
        let dtype: String
        let pillow_16bit: Bool
        let u16: String?
        let u16_channels: Int?
        var description: String { "\(input) as \(mode)\(oriented ? " oriented" : "")" }
    }

    struct ResizeCase: Decodable, Sendable, CustomStringConvertible {
        let input: String
        let filter: String
        let width: Int
        let height: Int
        let box: [Double]?
        let channels: Int
        let expected: String
        var description: String { "\(input) \(filter) \(width)×\(height)\(box.map { " box \($0)" } ?? "")" }
    }

    struct DraftCase: Decodable, Sendable {
        let input: String
        let target: [Int]
        let draft_width: Int
        let draft_height: Int
        let draft_expected: String
        let resized_expected: String
        let filter: String
        let channels: Int
    }
}

/// The largest absolute difference between two sample sequences; Int.max when their
/// lengths differ.
func maxDifference<A: BinaryInteger, B: BinaryInteger>(_ a: [A], _ b: [B]) -> Int {
    guard a.count == b.count else { return .max }
    return zip(a, b).map { abs(Int($0) - Int($1)) }.max() ?? 0
}
