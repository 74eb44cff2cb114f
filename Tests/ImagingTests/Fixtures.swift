import Foundation
import Imaging
import TestSupport

/// The golden fixtures written by `Tools/make_imaging_fixtures.py` from Pillow.
enum Fixtures {
    static let folder = FixtureFolder("imaging")

    static func data(_ relative: String) -> Data { folder.data(relative) }

    static func bytes(_ relative: String) -> [UInt8] { folder.bytes(relative) }

    /// Little-endian uint16 samples.
    static func samples16(_ relative: String) -> [UInt16] {
        let raw = bytes(relative)
        return stride(from: 0, to: raw.count, by: 2).map { UInt16(raw[$0]) | UInt16(raw[$0 + 1]) << 8 }
    }

    static let manifest = folder.decode(Manifest.self)

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
