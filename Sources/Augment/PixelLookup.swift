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
    public func apply(to image: Image<UInt8>) -> Image<UInt8> {
        var result = Image<UInt8>(width: image.width, height: image.height, channels: image.channels)
        let channels = image.channels, rowLength = image.width * image.channels
        let tables = (0..<channels).map { channel in
            self.tables.count == 1 ? self.tables[0] : channel < self.tables.count ? self.tables[channel] : PixelLookup.identity.tables[0]
        }
        // Reads the input and writes a fresh image: one pass, no copy-then-modify.
        result.withUnsafeMutableSamples { output, outputStride in
            image.withUnsafeSamples { input, inputStride in
                for y in 0..<image.height {
                    let from = input + y * inputStride, to = output + y * outputStride
                    if self.tables.count == 1 {
                        tables[0].withUnsafeBufferPointer { table in
                            for i in 0..<rowLength { to[i] = table[Int(from[i])] }
                        }
                    } else {
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
        return result
    }
}
