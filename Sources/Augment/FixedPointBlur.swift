import Imaging

/// The fast path for separable kernels whose two factors are symmetric, non-negative and
/// sum to 1 — every Gaussian. It runs in 16-bit fixed point: eight lanes to an SSE2
/// register where Float has four, no integer↔float conversions, and each mirrored pair of
/// taps averaged (`pavgw`) before a single multiply (`pmulhuw`), which halves the multiplies.
///
/// Levels travel as level·256 (at most 65 280 in a UInt16). A factor's centre weight is held
/// in units of 2⁻¹⁶ and each side weight in units of 2⁻¹⁷ (a side weight of a normalised
/// symmetric factor is below ½), so the high half of avg(a, b)·w₁₇ is (a + b)·w in the same
/// 1/256 units. The quantised weights sum to exactly 1 (the centre takes the remainder), so
/// flat regions stay flat. Each product truncates (half a unit, 1/512 level, lost on
/// average); the final rounding adds that back, leaving results within a few hundredths of
/// a level of the float64 convolution — they differ from its rounding (by one) only for
/// sums next to a half level, about 0.3 % of samples.
///
/// Rows are filtered horizontally into a small ring (the vertical window, not the image),
/// 32 lanes at a time; the reflect-101 border columns are resolved once per image, the
/// window's rows once per output row. All scratch memory is one temporary allocation.
struct FixedPointSeparableKernel {
    /// Factors longer than this take the Float path: the rounding bias grows with the radius
    /// and must leave the 16-bit sums room below 65 536.
    static let maximumRadius = 32

    let horizontal: [Double]
    let vertical: [Double]

    init?(_ kernel: ConvolutionKernel) {
        guard let horizontal = kernel.horizontal, let vertical = kernel.vertical,
              Self.fits(horizontal), Self.fits(vertical) else { return nil }
        self.horizontal = horizontal
        self.vertical = vertical
    }

    /// Whether a factor is symmetric, non-negative, sums to 1 and quantises with a non-zero
    /// side weight and a centre weight below 1 (a factor of radius 0 is an identity pass).
    static func fits(_ taps: [Double]) -> Bool {
        let radius = taps.count / 2
        guard radius >= 1, radius <= maximumRadius else { return false }
        var total = 0.0, sides = 0
        for k in 0..<taps.count {
            guard taps[k] >= 0, abs(taps[k] - taps[taps.count - 1 - k]) <= 1e-12 else { return false }
            total += taps[k]
            if k > radius { sides += sideWeight(taps[k]) }
        }
        return abs(total - 1) <= 1e-9 && sides > 0 && sides < 65536
            && (radius + 1..<taps.count).allSatisfy { sideWeight(taps[$0]) <= Int(UInt16.max) }
    }

    private static func sideWeight(_ weight: Double) -> Int { Int((weight * 131_072).rounded()) }

    /// The factor's weights, each broadcast to a register: the centre, then the pair at each distance.
    private static func quantise(_ taps: [Double], into weights: UnsafeMutablePointer<SIMD8<UInt16>>) {
        let radius = taps.count / 2
        var sides = 0
        for k in 1...radius {
            let weight = sideWeight(taps[radius + k])
            sides += weight
            weights[k] = SIMD8(repeating: UInt16(weight))
        }
        weights[0] = SIMD8(repeating: UInt16(65536 - sides))
    }

    func apply(to image: Image<UInt8>) -> Image<UInt8> {
        let width = image.width, height = image.height, channels = image.channels
        let rx = horizontal.count / 2, ry = vertical.count / 2
        let rowLength = width * channels
        // Filtered rows are written in whole blocks; the padded source row has room for the
        // last block's reads past the row.
        let capacity = (rowLength + Block.lanes - 1) / Block.lanes * Block.lanes
        let paddedLength = capacity + 2 * rx * channels
        // Row r lives in slot r mod ringRows; every row in use lies within ry of the output row.
        let ringRows = 2 * ry + 1
        let byteCount = (rx + ry + 2) * MemoryLayout<SIMD8<UInt16>>.stride + 2 * rx * MemoryLayout<Int>.stride
            + (2 * ry + 1 + ringRows) * MemoryLayout<UnsafePointer<UInt16>>.stride + (paddedLength + ringRows * capacity) * 2 + 5 * 16
        return withUnsafeTemporaryAllocation(byteCount: byteCount, alignment: 16) { scratch in
            var cursor = scratch.baseAddress!
            func take<T>(_ type: T.Type, _ count: Int) -> UnsafeMutablePointer<T> {
                let region = cursor.bindMemory(to: T.self, capacity: count)
                cursor += (count * MemoryLayout<T>.stride + 15) / 16 * 16
                assert(cursor <= scratch.baseAddress! + scratch.count, "scratch layout overruns its allocation")
                return region
            }
            let horizontalWeights = take(SIMD8<UInt16>.self, rx + 1), verticalWeights = take(SIMD8<UInt16>.self, ry + 1)
            Self.quantise(horizontal, into: horizontalWeights)
            Self.quantise(vertical, into: verticalWeights)
            // Where each border column reads from, as a sample offset into the padded row:
            // left border outer to inner, then the right border inner to outer.
            let borderColumns = take(Int.self, 2 * rx)
            for k in 0..<rx {
                borderColumns[k] = (rx + BorderMode.reflect101.resolve(k - rx, size: width)!) * channels
                borderColumns[rx + k] = (rx + BorderMode.reflect101.resolve(width + k, size: width)!) * channels
            }
            let window = take(UnsafePointer<UInt16>.self, 2 * ry + 1)
            let padded = take(UInt16.self, paddedLength), ring = take(UInt16.self, ringRows * capacity)
            let slots = take(UnsafeMutablePointer<UInt16>.self, ringRows)
            for slot in 0..<ringRows { slots[slot] = ring + slot * capacity }
            let paddedEnd = (width + 2 * rx) * channels
            (padded + paddedEnd).initialize(repeating: 0, count: paddedLength - paddedEnd)
            // Rounding to the nearest level, plus the half unit each truncating product loses
            // on average. 127, not 128: sums landing exactly on a half then go down as often
            // as up (measured against float64 on noise: ties otherwise all round up).
            let rounding = SIMD8<UInt16>(repeating: UInt16(127 + (rx + ry + 2) / 2))

            return image.withUnsafeSamples { input, inputStride in
                Image<UInt8>(width: width, height: height, channels: channels) { output, outputStride in
                    var filtered = 0, centreSlot = 0  // centreSlot: y's slot, y mod ringRows
                    for y in 0..<height {
                        while filtered < min(height, y + ry + 1) {
                            padRow(input + filtered * inputStride, into: padded, rowLength: rowLength, border: rx * channels,
                                   borderColumns: borderColumns, channels: channels)
                            filterRow(padded + rx * channels, step: channels, weights: horizontalWeights, radius: rx,
                                      into: slots[ringSlot(filtered, from: y, at: centreSlot, count: ringRows)], count: capacity)
                            filtered += 1
                        }
                        for k in 0...(2 * ry) {
                            let row = BorderMode.reflect101.resolve(y - ry + k, size: height)!
                            window[k] = UnsafePointer(slots[ringSlot(row, from: y, at: centreSlot, count: ringRows)])
                        }
                        filterColumns(window, radius: ry, weights: verticalWeights, rounding: rounding,
                                      into: output + y * outputStride, count: rowLength)
                        centreSlot = centreSlot + 1 == ringRows ? 0 : centreSlot + 1
                    }
                }
            }
        }
    }
}

/// The slot of `row` in a ring of `count` rows where row `y` has slot `slot`; every row in
/// use lies within `count / 2` of `y` (reflected rows too: reflection only moves inwards).
@inline(__always)
private func ringSlot(_ row: Int, from y: Int, at slot: Int, count: Int) -> Int {
    let offset = slot + row - y
    return offset < 0 ? offset + count : offset >= count ? offset - count : offset
}

/// The source row as level·256, with its reflected border columns.
@inline(never)
private func padRow(_ source: UnsafePointer<UInt8>, into padded: UnsafeMutablePointer<UInt16>, rowLength: Int, border: Int,
                    borderColumns: UnsafePointer<Int>, channels: Int) {
    let inside = padded + border
    var i = 0
    while i &+ 16 <= rowLength {
        let levels = UnsafeRawPointer(source + i).loadUnaligned(as: SIMD16<UInt8>.self)
        store(widened(levels.lowHalf) &<< 8, inside + i)
        store(widened(levels.highHalf) &<< 8, inside + i + 8)
        i &+= 16
    }
    while i < rowLength {
        inside[i] = UInt16(source[i]) << 8
        i &+= 1
    }
    let columns = border / channels
    for k in 0..<columns {
        for c in 0..<channels {
            padded[k * channels + c] = padded[borderColumns[k] + c]
            inside[rowLength + k * channels + c] = padded[borderColumns[columns + k] + c]
        }
    }
}

/// A padded row filtered horizontally, in whole blocks: at each sample the centre tap,
/// then the pair `k·step` either side.
@inline(never)
private func filterRow(_ centre: UnsafePointer<UInt16>, step: Int, weights: UnsafePointer<SIMD8<UInt16>>, radius: Int,
                       into output: UnsafeMutablePointer<UInt16>, count: Int) {
    var i = 0
    while i < count {
        var before = centre + i, after = centre + i
        var sum = Block(before).times(weights[0])
        var k = 1
        while k <= radius {
            before -= step
            after += step
            sum.add(Block(before).average(Block(after)).times(weights[k]))
            k &+= 1
        }
        sum.store(to: output + i)
        i &+= Block.lanes
    }
}

/// One output row from the window of filtered rows (`rows[radius]` is the centre row).
@inline(never)
private func filterColumns(_ rows: UnsafePointer<UnsafePointer<UInt16>>, radius: Int, weights: UnsafePointer<SIMD8<UInt16>>,
                           rounding: SIMD8<UInt16>, into output: UnsafeMutablePointer<UInt8>, count: Int) {
    var i = 0
    while i < count {
        var sum = Block(rows[radius] + i).times(weights[0])
        var k = 1
        while k <= radius {
            sum.add(Block(rows[radius &- k] + i).average(Block(rows[radius &+ k] + i)).times(weights[k]))
            k &+= 1
        }
        let levels = sum.levels(rounding: rounding)
        if i &+ Block.lanes <= count {
            UnsafeMutableRawPointer(output + i).storeBytes(of: levels, as: SIMD32<UInt8>.self)
        } else {
            // The last, partial block (the filtered rows hold whole blocks).
            for j in 0..<(count - i) { output[i + j] = levels[j] }
        }
        i &+= Block.lanes
    }
}

/// Thirty-two 16-bit lanes in four SSE2 registers: the unit both passes work in. (Written
/// out per register: LLVM does not unroll 32-lane loops, and SIMD32 operations scalarise.)
private struct Block {
    static let lanes = 32
    var a, b, c, d: SIMD8<UInt16>

    @inline(__always)
    init(_ a: SIMD8<UInt16>, _ b: SIMD8<UInt16>, _ c: SIMD8<UInt16>, _ d: SIMD8<UInt16>) {
        (self.a, self.b, self.c, self.d) = (a, b, c, d)
    }

    @inline(__always)
    init(_ pointer: UnsafePointer<UInt16>) {
        self.init(load(pointer), load(pointer + 8), load(pointer + 16), load(pointer + 24))
    }

    @inline(__always)
    func store(to pointer: UnsafeMutablePointer<UInt16>) {
        Augment.store(a, pointer)
        Augment.store(b, pointer + 8)
        Augment.store(c, pointer + 16)
        Augment.store(d, pointer + 24)
    }

    @inline(__always)
    func average(_ other: Block) -> Block {
        Block(Augment.average(a, other.a), Augment.average(b, other.b), Augment.average(c, other.c), Augment.average(d, other.d))
    }

    @inline(__always)
    func times(_ weight: SIMD8<UInt16>) -> Block {
        Block(multiplyHigh(a, weight), multiplyHigh(b, weight), multiplyHigh(c, weight), multiplyHigh(d, weight))
    }

    @inline(__always)
    mutating func add(_ other: Block) {
        a &+= other.a
        b &+= other.b
        c &+= other.c
        d &+= other.d
    }

    /// Rounded to levels: (lane + rounding) / 256.
    @inline(__always)
    func levels(rounding: SIMD8<UInt16>) -> SIMD32<UInt8> {
        func bytes(_ lanes: SIMD8<UInt16>) -> SIMD8<UInt8> { lowBytes((lanes &+ rounding) &>> 8) }
        return SIMD32(lowHalf: SIMD16(lowHalf: bytes(a), highHalf: bytes(b)), highHalf: SIMD16(lowHalf: bytes(c), highHalf: bytes(d)))
    }
}

@inline(__always)
private func load(_ pointer: UnsafePointer<UInt16>) -> SIMD8<UInt16> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<UInt16>.self)
}

@inline(__always)
private func store(_ value: SIMD8<UInt16>, _ pointer: UnsafeMutablePointer<UInt16>) {
    UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: SIMD8<UInt16>.self)
}
