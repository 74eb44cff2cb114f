import AugmentWideKernels
import Foundation
import Imaging

/// Colour operations on OpenCV's 8-bit conventions, as albumentations runs them on uint8.
enum ColorOperations {
    /// OpenCV's `(255 << 12) / v` and `(180 << 12) / (6·d)` tables, rounded (`saturate_cast<int>`).
    static let saturationDivisors: [Int32] = (0..<256).map { $0 == 0 ? 0 : Int32((Double(255 << 12) / Double($0)).rounded(.toNearestOrEven)) }
    static let hueDivisors: [Int32] = (0..<256).map { $0 == 0 ? 0 : Int32((Double(180 << 12) / (6 * Double($0))).rounded(.toNearestOrEven)) }

    /// OpenCV's `COLOR_RGB2GRAY` on 8 bits: (4899 R + 9617 G + 1868 B + 2¹³) >> 14.
    @inline(__always)
    static func gray(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> Int32 {
        (Int32(r) &* 4899 &+ Int32(g) &* 9617 &+ Int32(b) &* 1868 &+ 8192) >> 14
    }

    /// OpenCV's `COLOR_HSV2RGB` on 8 bits: the float conversion of `HSV2RGB_b` (sector table,
    /// `saturate_cast<uchar>(x·255)`, ties to even), written to `out`. The sector and its
    /// fraction come from the integer hue (h / 30, (h mod 30) / 30) instead of OpenCV's
    /// float h·(6/180), which differs only in the last float bits.
    @inline(__always)
    static func rgb(h: Int32, s: Int32, v: Int32, to out: UnsafeMutablePointer<UInt8>) {
        let value = Float(v) * (1 / 255 as Float), saturation = Float(s) * (1 / 255 as Float)
        let sector = h / 30, fraction = Float(h &- sector &* 30) * (1 / 30 as Float)
        // (value, low, falling, rising), picked per channel through OpenCV's sector table by
        // index rather than by branches (random hues would mispredict them). Saturation 0
        // gives value everywhere by itself.
        var tab: (Float, Float, Float, Float) = (value, value * (1 - saturation), value * (1 - saturation * fraction),
                                                 value * (1 - saturation * (1 - fraction)))
        // Per sector, 2-bit indices of (value, low, falling, rising) for R, G, B:
        // [0,3,1, 2,0,1, 1,0,3, 1,2,0, 3,1,0, 0,1,2] packed from the lowest bits.
        let picks: UInt64 = 0x90727149C >> (UInt64(truncatingIfNeeded: sector) &* 6)
        withUnsafeMutablePointer(to: &tab) { tuple in
            tuple.withMemoryRebound(to: Float.self, capacity: 4) { tab in
                out[0] = level(tab[Int(truncatingIfNeeded: picks & 3)] * 255)
                out[1] = level(tab[Int(truncatingIfNeeded: (picks >> 2) & 3)] * 255)
                out[2] = level(tab[Int(truncatingIfNeeded: (picks >> 4) & 3)] * 255)
            }
        }
    }

    /// `saturate_cast<uchar>` of a float: nearest, ties to even, clamped — by adding 1.5·2²³,
    /// which leaves the integer in the low mantissa bits (no trapping conversion).
    @inline(__always)
    static func level(_ value: Float) -> UInt8 {
        UInt8(truncatingIfNeeded: (min(max(value, 0), 255) + 12_582_912).bitPattern)
    }

    /// albumentations' `shift_hsv`: OpenCV's `COLOR_RGB2HSV` on 8 bits (hue 0…179; integers
    /// exactly as `RGB2HSV_b`), tables on hue, saturation and value, then back — of `lookup`
    /// applied to `image` first, if given, which on RGB runs in the same pass.
    static func shiftHSV(_ image: Image<UInt8>, through lookup: PixelLookup? = nil, hue: Double, saturation: Double,
                         value: Double) -> Image<UInt8> {
        let identity = hue == 0 && saturation == 0 && value == 0
        // Elsewhere the kernel copies channels (alpha) that the lookup would map.
        if let lookup, identity || image.channels != 3 {
            return shiftHSV(lookup.apply(to: image), hue: hue, saturation: saturation, value: value)
        }
        if identity { return image }
        guard image.channels >= 3 else {
            // A grey image: albumentations converts it to RGB and back; only the value moves.
            return image.channels == 1 ? PixelLookup { shiftedLevel($0, by: value) }.apply(to: image) : image
        }
        let (hueTable, saturationTable, valueTable) = hsvTables(hue: hue, saturation: saturation, value: value)
        guard let kernel = HSVRowKernel(hueTable: hueTable, saturationTable: saturationTable, valueTable: valueTable) else {
            return shiftHSVPixelwise(lookup?.apply(to: image) ?? image, hueTable: hueTable, saturationTable: saturationTable,
                                     valueTable: valueTable)
        }
        return packedPass(image, through: lookup, .hsv(kernel))
    }

    /// shift_hsv's tables: np.mod(level + shift, 180) truncated to uint8 on hue, `add_constant`
    /// on saturation (grey stays grey) and value.
    private static func hsvTables(hue: Double, saturation: Double, value: Double) -> (hue: [Int32], saturation: [Int32], value: [Int32]) {
        let hueTable: [Int32] = (0..<256).map { level in
            var shifted = (Double(level) + hue).truncatingRemainder(dividingBy: 180)
            if shifted < 0 { shifted += 180 }
            return Int32(shifted)  // in [0, 180): no trap
        }
        return (hueTable, (0..<256).map { $0 == 0 ? 0 : Int32(shiftedLevel($0, by: saturation)) },
                (0..<256).map { Int32(shiftedLevel($0, by: value)) })
    }

    /// The SIMD kernel of a non-identity HSV shift, where the tables allow one.
    static func hsvKernel(hue: Double, saturation: Double, value: Double) -> HSVRowKernel? {
        if hue == 0 && saturation == 0 && value == 0 { return nil }
        let (hueTable, saturationTable, valueTable) = hsvTables(hue: hue, saturation: saturation, value: value)
        return HSVRowKernel(hueTable: hueTable, saturationTable: saturationTable, valueTable: valueTable)
    }

    /// A fresh image of `first` (then `second`) mapping the pixels of `image` (≥ 3 channels;
    /// more are copied), read through `lookup` (3 channels only) if given: the x86-64-v4 build of
    /// the kernels where the CPU runs it, the portable one otherwise.
    static func packedPass(_ image: Image<UInt8>, through lookup: PixelLookup?, _ first: PixelKernel,
                           _ second: PixelKernel? = nil) -> Image<UInt8> {
        let tables = lookup?.sideBySide(channels: 3)
        return Image(width: image.width, height: image.height, channels: image.channels) { output, outputStride in
            image.withUnsafeSamples { input, inputStride in
                withOptionalBuffer(tables) { tables in
                    if KernelBuild.runsWide {
                        wideColourPass(first.code, second?.code, from: input, stride: inputStride, to: output, stride: outputStride,
                                       width: image.width, height: image.height, channels: image.channels, through: tables)
                    } else {
                        PackedColourPass.run(first, second, from: input, stride: inputStride, to: output, stride: outputStride,
                                             width: image.width, height: image.height, channels: image.channels, through: tables)
                    }
                }
            }
        }
    }

    /// `shiftHSV` a pixel at a time through the tables (any tables).
    static func shiftHSVPixelwise(_ image: Image<UInt8>, hueTable: [Int32], saturationTable: [Int32], valueTable values: [Int32]) -> Image<UInt8> {
        var result = image.compacted()
        let channels = image.channels, count = image.width * image.height
        let saturationDivisors = ColorOperations.saturationDivisors, hueDivisors = ColorOperations.hueDivisors
        result.withUnsafeMutableSamples { pixels, _ in
            // Local buffers: no global-initialisation checks or bounds checks per pixel.
            saturationDivisors.withUnsafeBufferPointer { sd in
                hueDivisors.withUnsafeBufferPointer { hd in
                    hueTable.withUnsafeBufferPointer { hues in
                        saturationTable.withUnsafeBufferPointer { saturations in
                            values.withUnsafeBufferPointer { levels in
                                for i in 0..<count {
                                    let p = pixels + i &* channels
                                    let r = Int32(p[0]), g = Int32(p[1]), b = Int32(p[2])
                                    let v = max(max(r, g), b), diff = v &- min(min(r, g), b)
                                    let s = (diff &* sd[Int(v)] &+ 2048) >> 12
                                    // OpenCV's masks instead of branches (random colours would mispredict).
                                    let vr: Int32 = v == r ? -1 : 0, vg: Int32 = v == g ? -1 : 0
                                    var h = (vr & (g &- b)) &+ (~vr & ((vg & (b &- r &+ 2 &* diff)) &+ (~vg & (r &- g &+ 4 &* diff))))
                                    h = (h &* hd[Int(diff)] &+ 2048) >> 12
                                    h &+= (h >> 31) & 180
                                    rgb(h: hues[Int(h)], s: saturations[Int(s)], v: levels[Int(v)], to: p)
                                }
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    /// albucore's `add_constant` on a uint8 level: a non-negative shift is rounded and added with
    /// saturation (`cv2.add`); a negative one is added in float32 and the result truncated.
    static func shiftedLevel(_ level: Int, by shift: Double) -> UInt8 {
        if shift >= 0 { return UInt8(clamping: level + Int(min(shift, 512).rounded(.toNearestOrEven))) }
        let value = Float(level) + Float(max(shift, -512))
        return value <= 0 ? 0 : UInt8(value)
    }

    /// albucore's uint8 tables: level·factor + offset in float32, clipped, truncated.
    static func truncatedLevel(_ level: Int, factor: Double, offset: Double = 0) -> UInt8 {
        let value = Float(level) * Float(factor) + Float(offset)
        return value <= 0 ? 0 : value >= 255 ? 255 : UInt8(value)
    }

    /// A level rounded (half to even, as NumPy's `rint`) and clipped to 0…255.
    static func clampedLevel(_ value: Double) -> UInt8 {
        value <= 0 ? 0 : value >= 255 ? 255 : UInt8(value.rounded(.toNearestOrEven))
    }

    /// The mean of OpenCV's grey image (the image itself when it has fewer than 3 channels), of
    /// `lookup` applied to `image` when given.
    static func meanGray(_ image: Image<UInt8>, through lookup: PixelLookup? = nil) -> Double {
        let channels = image.channels, width = image.width
        if image.width * image.height == 0 { return 0 }
        var total = 0
        if channels >= 3, let lookup {
            // The grey weights folded into the tables: one load per sample.
            let weighted = zip([4899, 9617, 1868] as [Int32], 0..<3).flatMap { weight, channel in lookup.table(for: channel).map { weight &* Int32($0) } }
            weighted.withUnsafeBufferPointer { weighted in
                let red = weighted.baseAddress!, green = red + 256, blue = red + 512
                image.withUnsafeSamples { pixels, stride in
                    for y in 0..<image.height {
                        var p = pixels + y * stride
                        for _ in 0..<width {
                            total &+= Int((red[Int(p[0])] &+ green[Int(p[1])] &+ blue[Int(p[2])] &+ 8192) >> 14)
                            p += channels
                        }
                    }
                }
            }
        } else if channels >= 3 {
            image.withUnsafeSamples { pixels, stride in
                total = KernelBuild.runsWide
                    ? wideGreySum(pixels, stride: stride, width: width, height: image.height, channels: channels)
                    : PackedColourPass.greySum(pixels, stride: stride, width: width, height: image.height, channels: channels)
            }
        } else {
            let table = lookup?.table(for: 0) ?? PixelLookup.identity.tables[0]
            image.withUnsafeSamples { pixels, stride in
                for y in 0..<image.height {
                    var p = pixels + y * stride
                    for _ in 0..<width {
                        total &+= Int(table[Int(p[0])])
                        p += channels
                    }
                }
            }
        }
        return Double(total) / Double(image.width * image.height)
    }

    /// albumentations' `adjust_contrast_torchvision` on uint8 (albucore's `multiply_add` table).
    static func contrast(_ image: Image<UInt8>, factor: Double) -> Image<UInt8> {
        if factor == 1 { return image }
        return contrastLookup(meanGray: meanGray(image), factor: factor)!.apply(to: image)
    }

    /// The table contrast applies to an image whose grey mean is `meanGray`; nil for factor 1.
    static func contrastLookup(meanGray mean: Double, factor: Double) -> PixelLookup? {
        if factor == 1 { return nil }
        if factor == 0 {
            let level = clampedLevel((mean + 0.5).rounded(.down))
            return PixelLookup { _ in level }
        }
        return PixelLookup { truncatedLevel($0, factor: factor, offset: mean * (1 - factor)) }
    }

    /// albumentations' `adjust_saturation_torchvision` on uint8: `addWeighted(image, f, grey, 1 − f)`
    /// in 16-bit fixed point (within a level of OpenCV's float arithmetic) — of `lookup` applied
    /// to `image` first, if given, in the same pass.
    static func saturation(_ image: Image<UInt8>, through lookup: PixelLookup? = nil, factor: Double) -> Image<UInt8> {
        guard factor != 1, image.channels >= 3 else { return lookup?.apply(to: image) ?? image }
        // A lookup maps every channel, including those the blend leaves alone.
        if let lookup, image.channels != 3 { return saturation(lookup.apply(to: image), factor: factor) }
        let weight = saturationWeight(factor), grayWeight = 65536 - weight
        let channels = image.channels, width = image.width
        if let kernel = SaturationKernel(weight: weight) { return packedPass(image, through: lookup, .saturation(kernel)) }
        let tables = lookup?.sideBySide(channels: 3)
        let allTables = tables ?? (0..<3).flatMap { _ in PixelLookup.identity.tables[0] }
        return Image(width: width, height: image.height, channels: channels) { output, outputStride in
            image.withUnsafeSamples { input, inputStride in
                allTables.withUnsafeBufferPointer { tables in
                    let red = tables.baseAddress!, green = red + 256, blue = red + 512
                    for y in 0..<image.height {
                        var from = input + y * inputStride, to = output + y * outputStride
                        for _ in 0..<width {
                            let r = red[Int(from[0])], g = green[Int(from[1])], b = blue[Int(from[2])]
                            let grey = gray(r, g, b) &* grayWeight &+ 32768
                            to[0] = blend(r, weight: weight, plus: grey)
                            to[1] = blend(g, weight: weight, plus: grey)
                            to[2] = blend(b, weight: weight, plus: grey)
                            for c in 3..<channels { to[c] = from[c] }
                            from += channels
                            to += channels
                        }
                    }
                }
            }
        }
    }

    /// The saturation factor in 16-bit fixed point.
    static func saturationWeight(_ factor: Double) -> Int32 { Int32((factor * 65536).rounded()) }

    /// (level·weight + grey) >> 16, clipped to 0…255.
    @inline(__always)
    private static func blend(_ level: UInt8, weight: Int32, plus grey: Int32) -> UInt8 {
        UInt8(truncatingIfNeeded: min(max((Int32(level) &* weight &+ grey) >> 16, 0), 255))
    }

    /// Runs `operations` — lookups, contrast, saturation and HSV shifts — as the image would
    /// go through them one by one, in fewer passes: lookups (contrast's included, once the
    /// grey mean of its input is known) wait and are read through by the next pass over the
    /// image; contrast's mean reads the image through the waiting lookup without writing it.
    static func colourChain(_ operations: ArraySlice<ImageOperation>, on image: Image<UInt8>) -> Image<UInt8> {
        var image = image, waiting: PixelLookup?
        func wait(for table: PixelLookup) {
            guard let first = waiting else { return waiting = table }
            // Per-channel tables leave the channels past them alone, a shared table maps them:
            // such a pair composes into one lookup only where the tables cover every channel.
            if first.tables.count == table.tables.count || image.channels <= min(first.tables.count, table.tables.count) {
                waiting = first.followed(by: table)
            } else {
                image = first.apply(to: image)
                waiting = table
            }
        }
        var index = operations.startIndex
        while index < operations.endIndex {
            let operation = operations[index]
            index += 1
            // Two pixel kernels in a row on RGB: one pass, the second reading the first's words.
            if image.channels == 3, index < operations.endIndex, let first = PixelKernel(operation),
               let second = PixelKernel(operations[index]) {
                image = packedPass(image, through: waiting, first, second)
                waiting = nil
                index += 1
                continue
            }
            switch operation {
            case .lookup(let table):
                wait(for: table)
            case .contrast(let factor):
                if factor == 1 { continue }
                wait(for: contrastLookup(meanGray: meanGray(image, through: waiting), factor: factor)!)
            case .saturation(let factor):
                image = saturation(image, through: waiting, factor: factor)
                waiting = nil
            case .hsv(let hue, let saturation, let value):
                image = shiftHSV(image, through: waiting, hue: hue, saturation: saturation, value: value)
                waiting = nil
            default:
                preconditionFailure("\(operation) is not a colour step")
            }
        }
        return waiting?.apply(to: image) ?? image
    }
}

extension PixelKernel {
    /// The kernel of a colour step (nil for other steps, identity steps, and shifts whose
    /// tables need the pixelwise path).
    init?(_ operation: ImageOperation) {
        switch operation {
        case .hsv(let hue, let saturation, let value):
            guard let kernel = ColorOperations.hsvKernel(hue: hue, saturation: saturation, value: value) else { return nil }
            self = .hsv(kernel)
        case .saturation(let factor):
            guard factor != 1, let kernel = SaturationKernel(weight: ColorOperations.saturationWeight(factor)) else { return nil }
            self = .saturation(kernel)
        default:
            return nil
        }
    }
}

extension HSVRowKernel {
    /// nil when a table is not of that form (a shift a hair off an integer, where the sums
    /// round to the next level for some levels only): the pixelwise path handles those.
    init?(hueTable: [Int32], saturationTable: [Int32], valueTable: [Int32]) {
        let offset = hueTable[0]
        guard (0..<180).allSatisfy({ hueTable[$0] == (Int32($0) + offset) % 180 }),
              let saturationOffset = Self.offset(of: saturationTable, from: 1), let valueOffset = Self.offset(of: valueTable, from: 0)
        else { return nil }
        self.init(hueOffset: Float(offset), saturationOffset: Float(saturationOffset), valueOffset: Float(valueOffset))
    }

    /// k when `table[level] = min(max(level + k, 0), 255)` for every level from `first` on.
    private static func offset(of table: [Int32], from first: Int) -> Int32? {
        let k = table[255] == 255 ? table[first] - Int32(first) : table[255] - 255  // an unclipped end
        return (first..<256).allSatisfy({ table[$0] == min(max(Int32($0) + k, 0), 255) }) ? k : nil
    }
}
