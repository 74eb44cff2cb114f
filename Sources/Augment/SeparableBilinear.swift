import Imaging

// Bilinear resampling of an axis-aligned affine map (a scale and a translation per axis, either
// sign) as two one-dimensional passes, as `cv2.resize` does: every needed source row is
// interpolated horizontally once into a 16-bit row (reused by consecutive output rows that
// share it), and each output row blends two such rows vertically.
//
// Fixed point: samples enter as level·256, weights are 16-bit (w₀ + w₁ = 2¹⁶), and each product
// keeps its high 16 bits (`pmulhuw` on SSE2, eight lanes at a time). The four truncations lose
// about 2/256 of a level on average, which the final rounding adds back (+130 instead of +128):
// flat regions come out exact and other levels within 0.02 of the float64 blend.

/// One axis of the separable resampling: for every output index, the first of its two source
/// taps and the second tap's weight, from the inverse map `source = scale · output + offset`.
struct BilinearAxis {
    /// Source index of the first tap (the second is the next one); either may lie outside the image.
    let taps: [Int]
    /// Weight of the second tap, w₁ = round((source − first tap) · 2¹⁶) < 2¹⁶.
    let weights: [UInt16]

    init(scale: Double, offset: Double, count: Int) {
        let entries = (0..<count).map { i -> (tap: Int, weight: UInt16) in
            // Truncations, not `rounded`: without SSE4.1 those are calls into libm.
            let position = scale * Double(i) + offset
            var tap = Int(position)
            if Double(tap) > position { tap -= 1 }
            let weight = Int((position - Double(tap)) * 65536 + 0.5)
            return weight == 65536 ? (tap + 1, 0) : (tap, UInt16(weight))
        }
        taps = entries.map(\.tap)
        weights = entries.map(\.weight)
    }

    /// Weight of the first tap for a second tap's `weight`: 2¹⁶ − w₁, or 2¹⁶ − 1 where w₁ = 0 (to fit 16 bits).
    @inline(__always)
    static func firstWeight(_ weight: UInt16) -> UInt16 { weight == 0 ? 65535 : UInt16(65536 - Int(weight)) }

    /// The output indices whose two taps both lie in `0..<size`: one run, since the taps move
    /// monotonically with the output index.
    func inside(size: Int) -> Range<Int> {
        guard let first = taps.firstIndex(where: { $0 >= 0 && $0 + 1 < size }) else { return 0..<0 }
        let end = taps[first...].firstIndex(where: { $0 < 0 || $0 + 1 >= size }) ?? taps.count
        return first..<end
    }
}

/// The separable bilinear resampling of one image through an axis-aligned inverse map.
struct SeparableBilinear {
    let width: Int, height: Int, channels: Int
    let border: BorderMode
    let fill: UInt8
    let columns: BilinearAxis, rows: BilinearAxis

    /// Nil unless the map is axis-aligned and the image has 1 to 8 channels (the vector lanes).
    init?(inverse: AffineTransform, source: ImageSize, channels: Int, output: ImageSize, border: BorderMode, fill: UInt8) {
        guard inverse.b == 0 && inverse.d == 0, (1...8).contains(channels), output.width > 0, output.height > 0
        else { return nil }
        columns = BilinearAxis(scale: inverse.a, offset: inverse.c, count: output.width)
        rows = BilinearAxis(scale: inverse.e, offset: inverse.f, count: output.height)
        (width, height, self.channels) = (source.width, source.height, channels)
        self.border = border
        self.fill = fill
    }

    /// Resamples `input` into `output` (both with their row strides).
    func run(from input: UnsafePointer<UInt8>, stride: Int, to output: UnsafeMutablePointer<UInt8>, outputStride: Int,
             size: ImageSize) {
        let samples = size.width * channels
        let horizontal = HorizontalPass(columns, width: width, channels: channels, border: border, fill: fill)
        // Rows the vector loads may not read straight from the image: the constant fill's row, and
        // the last rows, where the loads' slack past the last tap would pass the end of the image.
        let rowBytes = width * channels, readEnd = rowBytes + 16 + channels
        let fillRow = UnsafeMutablePointer<UInt8>.allocate(capacity: readEnd)
        fillRow.initialize(repeating: fill, count: readEnd)
        let copiedRow = UnsafeMutablePointer<UInt8>.allocate(capacity: readEnd)
        copiedRow.initialize(repeating: 0, count: readEnd)
        // Two horizontally interpolated rows (level·256), with slack for the 8- and 16-lane accesses.
        let rowLength = max(samples, 16) + 8
        let interpolated = UnsafeMutablePointer<UInt16>.allocate(capacity: 2 * rowLength)
        interpolated.initialize(repeating: 0, count: 2 * rowLength)
        defer {
            fillRow.deallocate()
            copiedRow.deallocate()
            interpolated.deallocate()
        }
        func sourceRow(_ index: Int) -> UnsafePointer<UInt8> {
            guard index >= 0 else { return UnsafePointer(fillRow) }
            let row = input + index * stride
            if (height - 1 - index) * stride + rowBytes >= readEnd { return row }
            copiedRow.update(from: row, count: rowBytes)
            return UnsafePointer(copiedRow)
        }
        // The source row each interpolated row holds: −1 for the constant fill's row, nil for none.
        var held: [Int?] = [nil, nil]
        // The slot holding source row `index`, interpolating it into the slot other than `keep` if needed.
        func slot(for index: Int, keeping keep: Int?) -> Int {
            if let slot = held.firstIndex(of: index) { return slot }
            let slot = keep.map { 1 - $0 } ?? (held[0] == nil ? 0 : 1)
            held[slot] = index
            horizontal.interpolate(sourceRow(index), into: interpolated + slot * rowLength)
            return slot
        }
        for y in 0..<size.height {
            let tap = rows.taps[y]
            let top = border.resolve(tap, size: height) ?? -1
            // A zero second weight reads nothing from the second row: the first stands in for it.
            let weight = rows.weights[y]
            let bottom = weight == 0 ? top : border.resolve(tap + 1, size: height) ?? -1
            // The row already held stays; the other is interpolated into the other slot.
            let upper: Int, lower: Int
            if held.contains(bottom) {
                lower = slot(for: bottom, keeping: nil)
                upper = slot(for: top, keeping: lower)
            } else {
                upper = slot(for: top, keeping: nil)
                lower = slot(for: bottom, keeping: upper)
            }
            blendRows(interpolated + upper * rowLength, BilinearAxis.firstWeight(weight), interpolated + lower * rowLength, weight,
                      into: output + y * outputStride, count: samples)
        }
    }
}

/// The horizontal pass. Output columns whose taps both lie inside the row (one run in the
/// middle) read them as vectors at one offset; the columns at the ends read their taps as
/// resolved through the border — as vectors at two offsets, or one sample at a time with the
/// same arithmetic where a tap is the constant fill.
private struct HorizontalPass {
    let channels: Int
    let fill: UInt8
    /// The run of inside columns and each one's first tap offset in the row.
    let inside: Range<Int>
    let offsets: [Int]
    /// The end columns with both taps in the row: column and both taps' offsets.
    let ends: [(column: Int, first: Int, second: Int)]
    /// The end columns with a tap on the constant fill: column, taps' offsets (nil: the fill).
    let filled: [(column: Int, first: Int?, second: Int?)]
    /// Per column, the weights of both taps repeated over eight 16-bit lanes (first tap's, second tap's).
    let lanes: [SIMD8<UInt16>]
    let weights: [UInt16]

    init(_ axis: BilinearAxis, width: Int, channels: Int, border: BorderMode, fill: UInt8) {
        self.channels = channels
        self.fill = fill
        let inside = axis.inside(size: width)
        self.inside = inside
        offsets = axis.taps[inside].map { $0 * channels }
        var ends: [(column: Int, first: Int, second: Int)] = [], filled: [(column: Int, first: Int?, second: Int?)] = []
        for x in axis.taps.indices where !inside.contains(x) {
            let first = border.resolve(axis.taps[x], size: width).map { $0 * channels }
            let second = border.resolve(axis.taps[x] + 1, size: width).map { $0 * channels }
            if let first, let second {
                ends.append((x, first, second))
            } else {
                filled.append((x, first, second))
            }
        }
        self.ends = ends
        self.filled = filled
        var lanes: [SIMD8<UInt16>] = []
        lanes.reserveCapacity(2 * axis.weights.count)
        for weight in axis.weights {
            lanes.append(SIMD8(repeating: BilinearAxis.firstWeight(weight)))
            lanes.append(SIMD8(repeating: weight))
        }
        self.lanes = lanes
        weights = axis.weights
    }

    /// Interpolates the row into `out` (level·256 per sample). A vector column stores all eight
    /// lanes (the next columns overwrite those past `channels`), so columns go left to right and
    /// the single-sample ones come last.
    func interpolate(_ row: UnsafePointer<UInt8>, into out: UnsafeMutablePointer<UInt16>) {
        let channels = self.channels
        lanes.withUnsafeBufferPointer { lanes in
            let lanes = lanes.baseAddress!
            @inline(__always) func column(_ x: Int, _ first: Int, _ second: Int) {
                let sum = multiplyHigh(scaledLevels(row + first), lanes[2 * x]) &+ multiplyHigh(scaledLevels(row + second), lanes[2 * x + 1])
                UnsafeMutableRawPointer(out + x * channels).storeBytes(of: sum, as: SIMD8<UInt16>.self)
            }
            for end in ends where end.column < inside.lowerBound { column(end.column, end.first, end.second) }
            offsets.withUnsafeBufferPointer { offsets in
                var to = UnsafeMutableRawPointer(out + inside.lowerBound * channels)
                var weight = lanes + 2 * inside.lowerBound
                for offset in offsets {
                    let tap = row + offset
                    to.storeBytes(of: multiplyHigh(scaledLevels(tap), weight[0]) &+ multiplyHigh(scaledLevels(tap + channels), weight[1]),
                                  as: SIMD8<UInt16>.self)
                    to += 2 * channels
                    weight += 2
                }
            }
            for end in ends where end.column >= inside.upperBound { column(end.column, end.first, end.second) }
        }
        let fill = UInt32(self.fill)
        for (x, first, second) in filled {
            let w0 = UInt32(BilinearAxis.firstWeight(weights[x])), w1 = UInt32(weights[x])
            for k in 0..<channels {
                let p = first.map { UInt32(row[$0 + k]) } ?? fill, q = second.map { UInt32(row[$0 + k]) } ?? fill
                out[x * channels + k] = UInt16(truncatingIfNeeded: (p << 8 &* w0) >> 16 &+ (q << 8 &* w1) >> 16)
            }
        }
    }
}

/// Blends two interpolated rows with the vertical weights and rounds to levels.
@inline(__always)
private func blendRows(_ upper: UnsafePointer<UInt16>, _ upperWeight: UInt16, _ lower: UnsafePointer<UInt16>,
                       _ lowerWeight: UInt16, into output: UnsafeMutablePointer<UInt8>, count: Int) {
    let u = SIMD8(repeating: upperWeight), l = SIMD8(repeating: lowerWeight)
    @inline(__always) func levels(_ i: Int) -> SIMD16<UInt8> {
        let a = UnsafeRawPointer(upper + i), b = UnsafeRawPointer(lower + i)
        let low = (multiplyHigh(a.loadUnaligned(as: SIMD8<UInt16>.self), u)
            &+ multiplyHigh(b.loadUnaligned(as: SIMD8<UInt16>.self), l) &+ 130) &>> 8
        let high = (multiplyHigh(a.loadUnaligned(fromByteOffset: 16, as: SIMD8<UInt16>.self), u)
            &+ multiplyHigh(b.loadUnaligned(fromByteOffset: 16, as: SIMD8<UInt16>.self), l) &+ 130) &>> 8
        return SIMD16(lowHalf: lowBytes(low), highHalf: lowBytes(high))
    }
    guard count >= 16 else {
        // Rows this short: one vector from the padded rows, only `count` samples written.
        let vector = levels(0)
        for k in 0..<count { output[k] = vector[k] }
        return
    }
    var i = 0
    while i + 16 <= count {
        UnsafeMutableRawPointer(output + i).storeBytes(of: levels(i), as: SIMD16<UInt8>.self)
        i &+= 16
    }
    // The last partial vector ends at the row's end, rewriting a few samples with the same values.
    if i < count {
        UnsafeMutableRawPointer(output + count - 16).storeBytes(of: levels(count - 16), as: SIMD16<UInt8>.self)
    }
}

/// The first eight bytes at `pointer`, each as a 16-bit lane holding byte · 256 (the byte
/// interleaved with zeros: `punpcklbw`).
@inline(__always)
private func scaledLevels(_ pointer: UnsafePointer<UInt8>) -> SIMD8<UInt16> {
    let v = UnsafeRawPointer(pointer).loadUnaligned(as: SIMD16<UInt8>.self), z: UInt8 = 0
    return unsafeBitCast(SIMD16<UInt8>(z, v[0], z, v[1], z, v[2], z, v[3], z, v[4], z, v[5], z, v[6], z, v[7]),
                         to: SIMD8<UInt16>.self)
}
