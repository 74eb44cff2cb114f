import CPixelKernels
import Imaging

/// A per-level lookup table for 8-bit images: one table of 256 levels shared by every
/// channel, or one per channel. Consecutive pixel-wise transforms compose into one table,
/// so a chain of them costs one pass over the image.
public struct PixelLookup: Hashable, Sendable, Codable {
    /// Tables of 256 entries; a single table applies to every channel.
    public var tables: [[UInt8]]

    public init(tables: [[UInt8]]) {
        precondition(!tables.isEmpty && tables.allSatisfy { $0.count == 256 }, "lookup tables need 256 entries")
        self.tables = tables
    }

    /// Decoding validates what the initialiser requires: a record is input like any other.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let tables = try container.decode([[UInt8]].self, forKey: .tables)
        guard !tables.isEmpty, tables.allSatisfy({ $0.count == 256 }) else {
            throw DecodingError.dataCorruptedError(forKey: .tables, in: container,
                                                   debugDescription: "lookup tables need 256 entries each")
        }
        self.tables = tables
    }

    /// One table from a function of the level; results are clamped to 0…255 by `level`.
    public init(_ level: (Int) -> UInt8) {
        self.init(tables: [(0..<256).map(level)])
    }

    public static let identity = PixelLookup { UInt8($0) }

    func table(for channel: Int) -> [UInt8] { tables.count == 1 ? tables[0] : tables[channel] }

    /// The table each of `channels` channels goes through, as `apply` maps them.
    func tables(forChannels channels: Int) -> [[UInt8]] {
        (0..<channels).map { channel in
            tables.count == 1 ? tables[0] : channel < tables.count ? tables[channel] : PixelLookup.identity.tables[0]
        }
    }

    /// The tables of `channels` channels side by side, 256 levels each: what kernels that map
    /// levels as they store them index (`channel · 256 + level`).
    func sideBySide(channels: Int) -> [UInt8] { tables(forChannels: channels).flatMap { $0 } }

    /// This table followed by `next`.
    public func followed(by next: PixelLookup) -> PixelLookup {
        let count = max(tables.count, next.tables.count)
        return PixelLookup(tables: (0..<count).map { channel in
            let first = table(for: channel), second = next.table(for: channel)
            return first.map { second[Int($0)] }
        })
    }

    /// Maps every channel through its table: one shared table maps all channels; with one
    /// table per channel, channels beyond the tables (alpha) stay as they are, so RGB tables
    /// on a gray image map it with the first.
    ///
    /// A shared table that is an inversion (255 − x), a bit mask (posterize: x & m) or a
    /// solarization (x ≥ t inverted) runs as
    /// that arithmetic, which vectorises; other shared tables are looked up 8 samples per
    /// 64-bit load; per-channel tables on RGB map each pixel's three samples in one
    /// pass.
    public func apply(to image: Image<UInt8>) -> Image<UInt8> {
        let channels = image.channels, rowLength = image.width * image.channels
        let tables = tables(forChannels: channels)
        let shared = self.tables.count == 1 ? Self.sharedKind(of: self.tables[0]) : nil
        // Reads the input and writes a fresh image: one pass, no copy-then-modify.
        return Image(width: image.width, height: image.height, channels: image.channels) { output, outputStride in
            image.withUnsafeSamples { input, inputStride in
                for y in 0..<image.height {
                    let from = input + y * inputStride, to = output + y * outputStride
                    switch shared {
                    case .inversion?:
                        for i in 0..<rowLength { to[i] = ~from[i] }
                    case .mask(let mask)?:
                        for i in 0..<rowLength { to[i] = from[i] & mask }
                    case .solarization(let threshold)?:
                        for i in 0..<rowLength { to[i] = from[i] >= threshold ? ~from[i] : from[i] }
                    case .table?:
                        tables[0].withUnsafeBufferPointer { Self.lookUpRow(from, to, count: rowLength, table: $0.baseAddress!) }
                    case nil where channels == 3:
                        tables[0].withUnsafeBufferPointer { red in
                            tables[1].withUnsafeBufferPointer { green in
                                tables[2].withUnsafeBufferPointer { blue in
                                    let (red, green, blue) = (red.baseAddress!, green.baseAddress!, blue.baseAddress!)
                                    var source = from, target = to
                                    let end = from + rowLength
                                    while source < end {
                                        target[0] = red[Int(source[0])]
                                        target[1] = green[Int(source[1])]
                                        target[2] = blue[Int(source[2])]
                                        source += 3
                                        target += 3
                                    }
                                }
                            }
                        }
                    case nil:
                        for c in 0..<channels {
                            tables[c].withUnsafeBufferPointer { table in
                                var i = c
                                while i < rowLength {
                                    to[i] = table[Int(from[i])]
                                    i += channels
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// What a shared table computes, when it is simple arithmetic.
    private enum SharedKind: Equatable {
        case inversion, mask(UInt8), solarization(UInt8), table
    }

    private static func sharedKind(of table: [UInt8]) -> SharedKind {
        if (0..<256).allSatisfy({ table[$0] == 255 - UInt8($0) }) { return .inversion }
        let mask = table[255]
        if (0..<256).allSatisfy({ table[$0] == UInt8($0) & mask }) { return .mask(mask) }
        // The first inverted level; a table that inverts none is the identity, left to `.table`.
        if let threshold = (0..<256).first(where: { table[$0] != UInt8($0) }),
           (0..<256).allSatisfy({ table[$0] == ($0 >= threshold ? 255 - UInt8($0) : UInt8($0)) }) {
            return .solarization(UInt8(threshold))
        }
        return .table
    }

    /// `to[i] = table[from[i]]`: 64 samples per instruction pair where the CPU has AVX-512
    /// VBMI (`invariant_look_up`), otherwise eight samples per 64-bit load, each stored on its
    /// own (no chain of dependent shifts and ors to assemble a word).
    private static func lookUpRow(_ from: UnsafePointer<UInt8>, _ to: UnsafeMutablePointer<UInt8>, count: Int,
                                  table: UnsafePointer<UInt8>) {
        if invariant_look_up(from, count, table, to) { return }
        // Pointer steps and wrapping shifts: checked index arithmetic cost more than the lookups.
        var source = from, target = to
        let blocksEnd = from + (count & ~7), end = from + count
        while source < blocksEnd {
            let word = UnsafeRawPointer(source).loadUnaligned(as: UInt64.self)
            target[0] = table[Int(truncatingIfNeeded: word & 0xFF)]
            target[1] = table[Int(truncatingIfNeeded: (word &>> 8) & 0xFF)]
            target[2] = table[Int(truncatingIfNeeded: (word &>> 16) & 0xFF)]
            target[3] = table[Int(truncatingIfNeeded: (word &>> 24) & 0xFF)]
            target[4] = table[Int(truncatingIfNeeded: (word &>> 32) & 0xFF)]
            target[5] = table[Int(truncatingIfNeeded: (word &>> 40) & 0xFF)]
            target[6] = table[Int(truncatingIfNeeded: (word &>> 48) & 0xFF)]
            target[7] = table[Int(truncatingIfNeeded: word &>> 56)]
            source += 8
            target += 8
        }
        while source < end {
            target.pointee = table[Int(source.pointee)]
            source += 1
            target += 1
        }
    }
}

/// `body` with the array's storage, or with nil when there is no array.
func withOptionalBuffer<Element, R>(_ array: [Element]?, _ body: (UnsafePointer<Element>?) -> R) -> R {
    guard let array else { return body(nil) }
    return array.withUnsafeBufferPointer { body($0.baseAddress!) }
}
