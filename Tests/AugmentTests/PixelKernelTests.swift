import CPixelKernels
import Testing

/// The CPU-dispatched byte-shuffle kernels give exactly what their plain definitions give, at
/// every length around their block sizes (16 pixels, 64 bytes) and from unaligned addresses.
/// A kernel the CPU cannot run returns false; the Swift loops behind it are covered by the
/// lookup and warp tests.
@Suite struct PixelKernelTests {
    /// Bytes in which every position differs from its neighbours.
    static func bytes(_ count: Int, seed: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 73 &+ seed &* 31 &+ ($0 >> 8)) }
    }

    @Test func reversedRGBRowsEqualPixelsInReverseOrder() {
        for count in 0...70 {
            for offset in 0..<3 {
                let row = Self.bytes(3 * count + offset, seed: count)
                var output = [UInt8](repeating: 0xA5, count: 3 * count + 1)
                let ran = row.withUnsafeBufferPointer { row in
                    output.withUnsafeMutableBufferPointer { invariant_reverse_rgb(row.baseAddress! + offset, count, $0.baseAddress!) }
                }
                guard ran else { return }
                var expected: [UInt8] = []
                for pixel in (0..<count).reversed() {
                    let start = offset + 3 * pixel
                    expected += row[start..<(start + 3)]
                }
                #expect(Array(output.prefix(3 * count)) == expected, "\(count) pixels from offset \(offset)")
                #expect(output.last == 0xA5, "\(count) pixels wrote past the row")
            }
        }
    }

    @Test func tableLookupsEqualTheTable() {
        let table = Self.bytes(256, seed: 5).map { $0 ^ 0x5C }
        for count in [0, 1, 63, 64, 65, 127, 128, 200, 256 + 17, 1000] {
            for offset in [0, 1, 7] {
                let input = Self.bytes(count + offset, seed: count)
                var output = [UInt8](repeating: 0xA5, count: count + 1)
                let ran = input.withUnsafeBufferPointer { input in
                    output.withUnsafeMutableBufferPointer { output in
                        invariant_look_up(input.baseAddress! + offset, count, table, output.baseAddress!)
                    }
                }
                guard ran else { return }
                #expect(Array(output.prefix(count)) == input.dropFirst(offset).map { table[Int($0)] }, "\(count) bytes from offset \(offset)")
                #expect(output.last == 0xA5, "\(count) bytes wrote past the end")
            }
        }
        // Every level, in place.
        var levels = (0..<256).map { UInt8($0) }
        guard levels.withUnsafeMutableBufferPointer({ invariant_look_up($0.baseAddress!, 256, table, $0.baseAddress!) }) else { return }
        #expect(levels == table)
    }
}
