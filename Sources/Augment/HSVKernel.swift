// This file is compiled twice: into `Augment` for every CPU (SIMD4: SSE2), and into
// `AugmentWideKernels` for x86-64-v4 CPUs (SIMD16: AVX-512), where WIDE_LANES is defined.
// The kernels do the same float operations at either width, so both give identical results.
// It must stay self-contained: nothing from Augment, no Swift imports, and no stdlib generics
// that stay out-of-line (see `invariant_load_word`); a test checks the built module for that.

import CPixelKernels

/// albumentations' `shift_hsv` (OpenCV's 8-bit RGB→HSV, shifts, OpenCV's float HSV→RGB) on
/// whole rows, several pixels at a time in SIMD arithmetic — the same integers and the same
/// float operations as `ColorOperations.shiftHSVPixelwise`, so the result is identical, but
/// with no per-pixel table lookups (SSE2 has no gathers) and no branches:
///
/// - OpenCV's divisor tables `round((255 << 12) / v)` and `round((180 << 12) / (6·d))` are
///   float divisions rounded to nearest (exact for every v, d in 1…255, which the test on
///   every 8-bit colour covers), and the products `d·divisor` stay below 2²¹, exact in Float;
/// - `(x + 2¹¹) >> 12` of such an integer x is `round((x + ½) / 2¹²)` (never a tie), and
///   rounding is the 1.5·2²³ trick: no float↔int conversions, which scalarise on baseline x86-64;
/// - the value and saturation tables must be `level + k` clipped to 0…255, and the hue table
///   a rotation (h + offset mod 180); `init(hueTable:saturationTable:valueTable:)` checks both
///   against the tables themselves.
struct HSVRowKernel: PackedKernel {
    typealias Floats = PackedRows.Floats
    typealias Words = PackedRows.Words

    let hueOffset: Float, saturationOffset: Float, valueOffset: Float

    init(hueOffset: Float, saturationOffset: Float, valueOffset: Float) {
        self.hueOffset = hueOffset
        self.saturationOffset = saturationOffset
        self.valueOffset = valueOffset
    }

    /// `saturate_cast<uchar>(x)` as the low byte of a word, for x in [0, 255.5) — no clipping:
    /// every tab entry is value·(1 − saturation·t)·255 with value, saturation and t in [0, 1].
    @inline(__always) private static func level(_ x: Floats) -> Words {
        unsafeBitCast(x + Floats(repeating: PackedRows.magic), to: Words.self) & 0xFF
    }

    /// Pixels packed as R | G << 8 | B << 16 (any higher byte ignored) in, likewise out.
    @inline(__always)
    func pixels(_ packed: Words) -> Words {
        let r = PackedRows.floats(packed & 0xFF), g = PackedRows.floats((packed &>> 8) & 0xFF), b = PackedRows.floats((packed &>> 16) & 0xFF)
        // RGB2HSV_b: v, s = (diff·round((255 << 12) / v) + 2¹¹) >> 12, h likewise.
        let v = PackedRows.maximum(PackedRows.maximum(r, g), b), diff = v - PackedRows.minimum(PackedRows.minimum(r, g), b)
        let one = Floats(repeating: 1), half = Floats(repeating: 0.5), scale = Floats(repeating: 1 / 4096 as Float)
        let saturationDivisor = PackedRows.rounded(Floats(repeating: 1_044_480) / PackedRows.maximum(v, one))
        let s = PackedRows.rounded((diff * saturationDivisor + half) * scale)
        let hueDivisor = PackedRows.rounded(Floats(repeating: 122_880) / PackedRows.maximum(diff, one))
        let numerator = (r - g + 4 * diff).replacing(with: b - r + 2 * diff, where: v .== g).replacing(with: g - b, where: v .== r)
        // The hue, rotated: h + offset modulo 180 (h itself is in −30…179 before OpenCV's + 180).
        let turn = Floats(repeating: 180), zero = Floats(repeating: 0)
        var h = PackedRows.rounded((numerator * hueDivisor + half) * scale) + Floats(repeating: hueOffset)
        h += zero.replacing(with: turn, where: h .< 0) - zero.replacing(with: turn, where: h .>= 180)
        // Saturation and value move and clip; grey stays grey.
        let saturation = PackedRows.clipped(s + Floats(repeating: saturationOffset)).replacing(with: 0, where: s .== 0) * (1 / 255 as Float)
        let value = PackedRows.clipped(v + Floats(repeating: valueOffset)) * (1 / 255 as Float)
        // HSV2RGB_b: each channel is one of tab = (value, low, falling, rising) by the sector
        // h / 30, that is value·(1 − saturation·t) with t = 0, 1, fraction or 1 − fraction —
        // the same float operations (x·0 and x·1 are exact). The rounding of (h − 14.5) / 30
        // is at least 1/60 from a tie.
        let sectorStart = PackedRows.rounded((h - 14.5) * (1 / 30 as Float)) * 30
        let fraction = (h - sectorStart) * (1 / 30 as Float)
        // Sector masks as words: logic on SIMDMask values scalarises.
        let c30 = Self.mask(h .>= 30), c60 = Self.mask(h .>= 60), c90 = Self.mask(h .>= 90)
        let c120 = Self.mask(h .>= 120), c150 = Self.mask(h .>= 150)
        // The channel that moves within the sector falls in odd sectors and rises in even ones.
        let odd = (c30 & ~c60) | (c90 & ~c120) | c150
        let moving = (odd & Self.bits(fraction)) | (~odd & Self.bits(1 - fraction))
        /// value·(1 − saturation·t): t = 0 where `full`, 1 where `low`, else the moving fraction.
        @inline(__always) func channel(full: Words, low: Words) -> Words {
            let t = unsafeBitCast((moving & ~(full | low)) | (low & Self.bits(Floats(repeating: 1))), to: Floats.self)
            return Self.level(value * (1 - saturation * t) * 255)
        }
        return channel(full: ~c30 | c150, low: c60 & ~c120)
            | channel(full: c30 & ~c90, low: c120) &<< 8
            | channel(full: c90 & ~c150, low: ~c60) &<< 16
    }

    @inline(__always) private static func bits(_ x: Floats) -> Words { unsafeBitCast(x, to: Words.self) }

    /// All ones where `condition` holds.
    @inline(__always) private static func mask(_ condition: SIMDMask<Words.MaskStorage>) -> Words {
        Words(repeating: 0).replacing(with: .max, where: condition)
    }
}

/// albumentations' saturation blend on uint8, `(v·w + grey·(2¹⁶ − w) + 2¹⁵) >> 16` with w the
/// factor in 16-bit fixed point, a vector of pixels at a time in float: that is
/// ⌊grey + ½ + (v − grey)·w/2¹⁶⌋, exact in Float wherever it lies in −256…256 (a 2⁻¹⁶ grid
/// on 24 bits) and clipped to 0 or 255 beyond; OpenCV's grey is exact likewise.
struct SaturationKernel: PackedKernel {
    typealias Floats = PackedRows.Floats
    typealias Words = PackedRows.Words

    let weight: Float

    /// nil for weights whose integer products would overflow 32 bits (factors of 128 and more).
    init?(weight: Int32) {
        guard abs(weight) < 1 << 23 else { return nil }
        self.init(weight: Float(weight) / 65536)
    }

    /// `weight`: the fixed-point weight over 2¹⁶.
    init(weight: Float) { self.weight = weight }

    @inline(__always)
    func pixels(_ packed: Words) -> Words {
        let r = PackedRows.floats(packed & 0xFF), g = PackedRows.floats((packed &>> 8) & 0xFF)
        let b = PackedRows.floats((packed &>> 16) & 0xFF)
        let grey = PackedRows.grey(packed)
        let base = grey + 0.5
        @inline(__always) func channel(_ level: Floats) -> Words {
            let x = PackedRows.clipped(base + (level - grey) * weight)
            // ⌊x⌋: the rounded level, less one where rounding went up.
            let shifted = x + Floats(repeating: PackedRows.magic)
            let up = Words(repeating: 0).replacing(with: .max, where: shifted - Floats(repeating: PackedRows.magic) .> x)
            return (unsafeBitCast(shifted, to: Words.self) &+ up) & 0xFF
        }
        return channel(r) | channel(g) &<< 8 | channel(b) &<< 16
    }
}

/// A per-pixel colour kernel on packed words R | G << 8 | B << 16, a vector of them at a time.
/// (A protocol rather than a closure: passes specialise on it, so the kernel is inlined.)
protocol PackedKernel {
    func pixels(_ packed: PackedRows.Words) -> PackedRows.Words
}

/// `first`, then `second`, in one pass.
struct ComposedKernel<First: PackedKernel, Second: PackedKernel>: PackedKernel {
    let first: First, second: Second
    @inline(__always) func pixels(_ packed: PackedRows.Words) -> PackedRows.Words { second.pixels(first.pixels(packed)) }
}

/// Rows of RGB pixels for the colour kernels, as words R | G << 8 | B << 16 that a kernel maps
/// a vector at a time, and the float helpers those kernels share (no float↔int conversions, which
/// scalarise on baseline x86-64).
enum PackedRows {
    #if WIDE_LANES
    typealias Floats = SIMD16<Float>
    typealias Words = SIMD16<UInt32>
    #else
    typealias Floats = SIMD4<Float>
    typealias Words = SIMD4<UInt32>
    #endif

    /// Words a row of `count` pixels takes: `count` rounded up to whole vectors.
    @inline(__always) static func paddedCount(_ count: Int) -> Int {
        (count + Words.scalarCount - 1) & ~(Words.scalarCount - 1)
    }

    static let magic: Float = 12_582_912  // 1.5·2²³: x + magic holds round(x) in its low bits

    /// x rounded to the nearest integer, ties to even, for |x| < 2²².
    @inline(__always) static func rounded(_ x: Floats) -> Floats { (x + Floats(repeating: magic)) - Floats(repeating: magic) }

    /// Integer-valued floats from 32-bit integers below 2²³.
    @inline(__always) static func floats(_ x: Words) -> Floats {
        unsafeBitCast(x | 0x4B00_0000, to: Floats.self) - Floats(repeating: 8_388_608)
    }

    @inline(__always) static func maximum(_ a: Floats, _ b: Floats) -> Floats { a.replacing(with: b, where: b .> a) }
    @inline(__always) static func minimum(_ a: Floats, _ b: Floats) -> Floats { a.replacing(with: b, where: b .< a) }

    /// x clipped to 0…255 (`clamped(lowerBound:upperBound:)` is not inlined).
    @inline(__always) static func clipped(_ x: Floats) -> Floats {
        minimum(maximum(x, Floats(repeating: 0)), Floats(repeating: 255))
    }

    /// One row of `count` pixels of `channels` (≥ 3) samples through `kernel`; channels past the
    /// third are copied. `scratch` holds at least 2·`paddedCount(count)` words. With
    /// `tables` (R, G, B tables of 256 levels one after the other; only for 3 channels), the
    /// row is read through them: a lookup fused in.
    @inline(__always)
    static func map<Kernel: PackedKernel>(row from: UnsafePointer<UInt8>, to: UnsafeMutablePointer<UInt8>, count: Int, channels: Int,
                                          scratch: UnsafeMutablePointer<UInt32>, through tables: UnsafePointer<UInt8>?, _ kernel: Kernel) {
        guard count > 0 else { return }
        let padded = paddedCount(count), words = scratch, results = scratch + padded
        load(row: from, count: count, channels: channels, into: words, through: tables)
        for i in stride(from: 0, to: padded, by: Words.scalarCount) {
            let word = kernel.pixels(UnsafeRawPointer(words + i).loadUnaligned(as: Words.self))
            UnsafeMutableRawPointer(results + i).storeBytes(of: word, as: Words.self)
        }
        var bytewise = 0
        if channels == 3 {
            // Four-byte stores, each fourth byte overwritten by the next pixel; the last pixel bytewise.
            var output = UnsafeMutableRawPointer(to)
            for i in 0..<(count - 1) {
                output.storeBytes(of: results[i], as: UInt32.self)
                output += 3
            }
            bytewise = count - 1
        }
        for i in bytewise..<count {
            let word = results[i], q = to + i * channels
            q[0] = UInt8(truncatingIfNeeded: word)
            q[1] = UInt8(truncatingIfNeeded: word >> 8)
            q[2] = UInt8(truncatingIfNeeded: word >> 16)
            for c in 3..<channels { q[c] = from[i * channels + c] }
        }
    }

    /// Packs a row's pixels into `words` (zeros up to `paddedCount(count)`).
    @inline(__always)
    static func load(row from: UnsafePointer<UInt8>, count: Int, channels: Int, into words: UnsafeMutablePointer<UInt32>,
                     through tables: UnsafePointer<UInt8>?) {
        if let tables {
            var p = from
            for i in 0..<count {
                words[i] = UInt32(tables[Int(p[0])]) | UInt32(tables[256 &+ Int(p[1])]) << 8 | UInt32(tables[512 &+ Int(p[2])]) << 16
                p += channels
            }
        } else {
            // Each pixel as one four-byte load (its R, G, B and a byte beyond), except a last
            // RGB pixel, whose fourth byte may lie past the image.
            let whole = channels == 3 ? count - 1 : count
            var pixel = UnsafeRawPointer(from)
            for i in 0..<whole {
                words[i] = invariant_load_word(pixel)
                pixel += channels
            }
            for i in whole..<count {
                let p = from + i * channels
                words[i] = UInt32(p[0]) | UInt32(p[1]) &<< 8 | UInt32(p[2]) &<< 16
            }
        }
        for i in count..<paddedCount(count) { words[i] = 0 }
    }

    /// OpenCV's grey of packed pixels: (4899 R + 9617 G + 1868 B + 2¹³) >> 14, that is
    /// round((… + ½) / 2¹⁴) — never a tie, and every term exact in Float.
    @inline(__always)
    static func grey(_ packed: Words) -> Floats {
        let r = floats(packed & 0xFF), g = floats((packed &>> 8) & 0xFF), b = floats((packed &>> 16) & 0xFF)
        return rounded((4899 * r + 9617 * g + 1868 * b + 0.5) * (1 / 16384 as Float))
    }

    /// The sum of OpenCV's grey over a row of `channels` (≥ 3) samples a pixel; `scratch` holds
    /// the row's pixels packed (`paddedCount(count)` words). Zero padding adds nothing.
    static func greySum(row from: UnsafePointer<UInt8>, count: Int, channels: Int, scratch: UnsafeMutablePointer<UInt32>) -> Int {
        load(row: from, count: count, channels: channels, into: scratch, through: nil)
        var total = 0, start = 0
        while start < count {
            // Float lane sums stay exact (below 2²⁴) over blocks of 4096 pixels.
            var sums = Floats(repeating: 0)
            for i in stride(from: start, to: min(count, start + 4096), by: Words.scalarCount) {
                sums += grey(UnsafeRawPointer(scratch + i).loadUnaligned(as: Words.self))
            }
            total += Int(sums.sum())
            start += 4096
        }
        return total
    }
}

/// A colour step that runs as a SIMD kernel on packed RGB words.
enum PixelKernel {
    case hsv(HSVRowKernel)
    case saturation(SaturationKernel)

    /// The kernel as plain numbers, its kind and then its parameters: how it crosses into the
    /// other build of this file.
    typealias Code = (kind: Float, Float, Float, Float)

    var code: Code {
        switch self {
        case .hsv(let kernel): (0, kernel.hueOffset, kernel.saturationOffset, kernel.valueOffset)
        case .saturation(let kernel): (1, kernel.weight, 0, 0)
        }
    }

    init(code: Code) {
        self = code.kind == 0 ? .hsv(HSVRowKernel(hueOffset: code.1, saturationOffset: code.2, valueOffset: code.3))
            : .saturation(SaturationKernel(weight: code.1))
    }
}

/// The colour kernels over a whole image's rows.
enum PackedColourPass {
    /// `first`, then `second` if given, from the `height` rows of `width` pixels at `input`
    /// (≥ 3 channels; more are copied) to those at `output`; each row is read through
    /// `tables` (RGB tables side by side; 3 channels only) if given.
    static func run(_ first: PixelKernel, _ second: PixelKernel?, from input: UnsafePointer<UInt8>, stride inputStride: Int,
                    to output: UnsafeMutablePointer<UInt8>, stride outputStride: Int, width: Int, height: Int, channels: Int,
                    through tables: UnsafePointer<UInt8>?) {
        /// Each combination is its own loop, with its kernels inlined.
        func rows<Kernel: PackedKernel>(_ kernel: Kernel) {
            guard width > 0 else { return }
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 2 * PackedRows.paddedCount(width)) { scratch in
                for y in 0..<height {
                    PackedRows.map(row: input + y * inputStride, to: output + y * outputStride, count: width, channels: channels,
                                   scratch: scratch.baseAddress!, through: tables, kernel)
                }
            }
        }
        switch (first, second) {
        case (.hsv(let a), nil): rows(a)
        case (.saturation(let a), nil): rows(a)
        case (.hsv(let a), .hsv(let b)?): rows(ComposedKernel(first: a, second: b))
        case (.hsv(let a), .saturation(let b)?): rows(ComposedKernel(first: a, second: b))
        case (.saturation(let a), .hsv(let b)?): rows(ComposedKernel(first: a, second: b))
        case (.saturation(let a), .saturation(let b)?): rows(ComposedKernel(first: a, second: b))
        }
    }

    /// The sum of OpenCV's grey over the `height` rows of `width` pixels of `channels` (≥ 3)
    /// samples at `pixels`.
    static func greySum(_ pixels: UnsafePointer<UInt8>, stride: Int, width: Int, height: Int, channels: Int) -> Int {
        guard width > 0 else { return 0 }
        return withUnsafeTemporaryAllocation(of: UInt32.self, capacity: PackedRows.paddedCount(width)) { scratch in
            var total = 0
            for y in 0..<height {
                total += PackedRows.greySum(row: pixels + y * stride, count: width, channels: channels, scratch: scratch.baseAddress!)
            }
            return total
        }
    }
}

