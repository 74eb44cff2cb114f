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

    /// OpenCV's `COLOR_RGB2HSV` on 8 bits (hue 0…179), in integers exactly as `RGB2HSV_b`.
    @inline(__always)
    static func hsv(_ r: Int32, _ g: Int32, _ b: Int32) -> (h: Int32, s: Int32, v: Int32) {
        let v = max(r, g, b), diff = v - min(r, g, b)
        let s = (diff &* saturationDivisors[Int(v)] &+ 2048) >> 12
        var h: Int32
        if v == r { h = g - b } else if v == g { h = b - r + 2 * diff } else { h = r - g + 4 * diff }
        h = (h &* hueDivisors[Int(diff)] &+ 2048) >> 12
        if h < 0 { h += 180 }
        return (h, s, v)
    }

    /// OpenCV's `COLOR_HSV2RGB` on 8 bits: the float conversion of `HSV2RGB_b` (hue scaled by
    /// 6/180, sector table, `saturate_cast<uchar>(x·255)`, ties to even), written to `out`.
    @inline(__always)
    static func rgb(h: Int32, s: Int32, v: Int32, to out: UnsafeMutablePointer<UInt8>) {
        let value = Float(v) * (1 / 255 as Float), saturation = Float(s) * (1 / 255 as Float)
        var r = value, g = value, b = value
        if saturation != 0 {
            var hue = Float(h) * (6 / 180 as Float)
            while hue >= 6 { hue -= 6 }
            var sector = Int(hue)  // hue in [0, 6): no trap
            hue -= Float(sector)
            if sector < 0 || sector >= 6 { sector = 0; hue = 0 }
            let tab0 = value, tab1 = value * (1 - saturation), tab2 = value * (1 - saturation * hue)
            let tab3 = value * (1 - saturation * (1 - hue))
            @inline(__always) func pick(_ i: Int) -> Float { i == 0 ? tab0 : i == 1 ? tab1 : i == 2 ? tab2 : tab3 }
            // OpenCV's sector_data rows give (b, g, r).
            switch sector {
            case 0: (b, g, r) = (pick(1), pick(3), pick(0))
            case 1: (b, g, r) = (pick(1), pick(0), pick(2))
            case 2: (b, g, r) = (pick(3), pick(0), pick(1))
            case 3: (b, g, r) = (pick(0), pick(2), pick(1))
            case 4: (b, g, r) = (pick(0), pick(1), pick(3))
            default: (b, g, r) = (pick(2), pick(1), pick(0))
            }
        }
        out[0] = level(r * 255)
        out[1] = level(g * 255)
        out[2] = level(b * 255)
    }

    /// `saturate_cast<uchar>` of a float: nearest, ties to even, clamped.
    @inline(__always)
    static func level(_ value: Float) -> UInt8 {
        value <= 0 ? 0 : value >= 255 ? 255 : UInt8(truncatingIfNeeded: roundedInteger(Double(value)))
    }

    /// albumentations' `shift_hsv`: tables on OpenCV's hue, saturation and value, then back.
    static func shiftHSV(_ image: Image<UInt8>, hue: Double, saturation: Double, value: Double) -> Image<UInt8> {
        if hue == 0 && saturation == 0 && value == 0 { return image }
        let valueTable = (0..<256).map { shiftedLevel($0, by: value) }
        guard image.channels >= 3 else {
            // A grey image: albumentations converts it to RGB and back; only the value moves.
            return image.channels == 1 ? PixelLookup(tables: [valueTable]).apply(to: image) : image
        }
        // np.mod(level + shift, 180) truncated to uint8.
        let hueTable: [Int32] = (0..<256).map { level in
            var shifted = (Double(level) + hue).truncatingRemainder(dividingBy: 180)
            if shifted < 0 { shifted += 180 }
            return Int32(shifted)  // in [0, 180): no trap
        }
        let saturationTable: [Int32] = (0..<256).map { $0 == 0 ? 0 : Int32(shiftedLevel($0, by: saturation)) }
        let values = (0..<256).map { Int32(shiftedLevel($0, by: value)) }
        var result = image.compacted()
        let channels = image.channels, count = image.width * image.height
        result.withUnsafeMutableSamples { pixels, _ in
            for i in 0..<count {
                let p = pixels + i * channels
                let (h, s, v) = hsv(Int32(p[0]), Int32(p[1]), Int32(p[2]))
                rgb(h: hueTable[Int(h)], s: saturationTable[Int(s)], v: values[Int(v)], to: p)
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

    /// The mean of OpenCV's grey image (the image itself when it has fewer than 3 channels).
    static func meanGray(_ image: Image<UInt8>) -> Double {
        var total = 0
        let channels = image.channels
        image.withUnsafeSamples { pixels, stride in
            for y in 0..<image.height {
                let row = pixels + y * stride
                for x in 0..<image.width {
                    let p = row + x * channels
                    total += channels >= 3 ? Int(gray(p[0], p[1], p[2])) : Int(p[0])
                }
            }
        }
        return image.width * image.height == 0 ? 0 : Double(total) / Double(image.width * image.height)
    }

    /// albumentations' `adjust_contrast_torchvision` on uint8 (albucore's `multiply_add` table).
    static func contrast(_ image: Image<UInt8>, factor: Double) -> Image<UInt8> {
        if factor == 1 { return image }
        let mean = meanGray(image)
        if factor == 0 {
            let level = clampedLevel((mean + 0.5).rounded(.down))
            return PixelLookup { _ in level }.apply(to: image)
        }
        return PixelLookup { truncatedLevel($0, factor: factor, offset: mean * (1 - factor)) }.apply(to: image)
    }

    /// albumentations' `adjust_saturation_torchvision` on uint8: `addWeighted(image, f, grey, 1 − f)`
    /// in 16-bit fixed point (within a level of OpenCV's float arithmetic).
    static func saturation(_ image: Image<UInt8>, factor: Double) -> Image<UInt8> {
        guard factor != 1, image.channels >= 3 else { return image }
        let weight = Int32((factor * 65536).rounded()), grayWeight = 65536 - weight
        var result = image.compacted()
        let channels = image.channels, count = image.width * image.height
        result.withUnsafeMutableSamples { pixels, _ in
            for i in 0..<count {
                let p = pixels + i * channels
                let g = gray(p[0], p[1], p[2]) &* grayWeight &+ 32768
                for c in 0..<3 {
                    let value = (Int32(p[c]) &* weight &+ g) >> 16
                    p[c] = value < 0 ? 0 : value > 255 ? 255 : UInt8(truncatingIfNeeded: value)
                }
            }
        }
        return result
    }
}
