import Augment
import Foundation
import Imaging
import Testing

/// The colour fast paths (the SIMD HSV kernel, the saturation blend written straight into a
/// fresh image, runs of colour steps fused into fewer passes) against the straightforward
/// formulation, sample for sample: random images with odd widths, 1, 3 and 4 channels, and
/// crop views whose rows have a stride.
@Suite struct ColourKernelTests {
    /// albucore's `add_constant` on a level.
    static func shifted(_ level: Int, by shift: Double) -> Int {
        if shift >= 0 { return min(255, level + Int(min(shift, 512).rounded(.toNearestOrEven))) }
        let value = Float(level) + Float(max(shift, -512))
        return value <= 0 ? 0 : Int(value)
    }

    /// OpenCV's RGB2HSV_b (integer tables), the shifts, HSV2RGB_b in float — one pixel at a time.
    static func referenceHSV(_ image: Image<UInt8>, hue: Double, saturation: Double, value: Double) -> Image<UInt8> {
        var out = image.pixels
        let width = image.width, channels = image.channels
        for y in 0..<image.height {
            for x in 0..<width {
                let at = (y * width + x) * channels
                if channels < 3 {
                    if channels == 1 { out[at] = UInt8(shifted(Int(image[x, y, 0]), by: value)) }
                    continue
                }
                let r = Int(image[x, y, 0]), g = Int(image[x, y, 1]), b = Int(image[x, y, 2])
                let v = max(r, g, b), diff = v - min(r, g, b)
                let saturationDivisor = v == 0 ? 0 : Int((Double(255 << 12) / Double(v)).rounded(.toNearestOrEven))
                let hueDivisor = diff == 0 ? 0 : Int((Double(180 << 12) / Double(6 * diff)).rounded(.toNearestOrEven))
                let s = (diff * saturationDivisor + 2048) >> 12
                let numerator = v == r ? g - b : v == g ? b - r + 2 * diff : r - g + 4 * diff
                var h = (numerator * hueDivisor + 2048) >> 12
                if h < 0 { h += 180 }
                var rotated = (Double(h) + hue).truncatingRemainder(dividingBy: 180)
                if rotated < 0 { rotated += 180 }
                let h2 = Int(rotated), s2 = s == 0 ? 0 : shifted(s, by: saturation), v2 = shifted(v, by: value)
                let fv = Float(v2) * (1 / 255 as Float), fs = Float(s2) * (1 / 255 as Float)
                let sector = h2 / 30, fraction = Float(h2 - 30 * sector) * (1 / 30 as Float)
                let tab = [fv, fv * (1 - fs), fv * (1 - fs * fraction), fv * (1 - fs * (1 - fraction))]
                let picks = [[0, 3, 1], [2, 0, 1], [1, 0, 3], [1, 2, 0], [3, 1, 0], [0, 1, 2]][sector]
                for c in 0..<3 {
                    out[at + c] = UInt8(min(max(tab[picks[c]] * 255, 0), 255).rounded(.toNearestOrEven))
                }
            }
        }
        return Image(width: width, height: image.height, channels: channels, pixels: out)
    }

    /// OpenCV's grey, then `addWeighted` in 16-bit fixed point.
    static func referenceSaturation(_ image: Image<UInt8>, factor: Double) -> Image<UInt8> {
        guard image.channels >= 3, factor != 1 else { return image }
        var out = image.pixels
        let weight = Int((factor * 65536).rounded())
        for y in 0..<image.height {
            for x in 0..<image.width {
                let at = (y * image.width + x) * image.channels
                let grey = (4899 * Int(image[x, y, 0]) + 9617 * Int(image[x, y, 1]) + 1868 * Int(image[x, y, 2]) + 8192) >> 14
                for c in 0..<3 {
                    out[at + c] = UInt8(min(max((Int(image[x, y, c]) * weight + grey * (65536 - weight) + 32768) >> 16, 0), 255))
                }
            }
        }
        return Image(width: image.width, height: image.height, channels: image.channels, pixels: out)
    }

    /// The mean of OpenCV's grey, then albucore's float32 table.
    static func referenceContrast(_ image: Image<UInt8>, factor: Double) -> Image<UInt8> {
        var total = 0
        for y in 0..<image.height {
            for x in 0..<image.width {
                total += image.channels < 3 ? Int(image[x, y, 0])
                    : (4899 * Int(image[x, y, 0]) + 9617 * Int(image[x, y, 1]) + 1868 * Int(image[x, y, 2]) + 8192) >> 14
            }
        }
        let mean = Double(total) / Double(image.width * image.height)
        let table = (0..<256).map { level -> UInt8 in
            let value = Float(level) * Float(factor) + Float(mean * (1 - factor))
            return value <= 0 ? 0 : value >= 255 ? 255 : UInt8(value)
        }
        return Image(width: image.width, height: image.height, channels: image.channels, pixels: image.pixels.map { table[Int($0)] })
    }

    /// Random images (seeded), their crop views, odd widths, 1, 3 and 4 channels.
    static func images(seed: UInt64) -> [Image<UInt8>] {
        var state = seed
        func next() -> UInt8 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        var images: [Image<UInt8>] = []
        for (width, height) in [(1, 3), (3, 2), (7, 5), (33, 9)] {
            for channels in [1, 3, 4] {
                let full = Image(width: width + 4, height: height + 2, channels: channels,
                                 pixels: (0..<((width + 4) * (height + 2) * channels)).map { _ in next() })
                images.append(full)
                images.append(full.cropped(to: PixelRect(x: 2, y: 1, width: width, height: height)))
            }
        }
        // Grey pixels, pure and clipped colours.
        let special: [UInt8] = [0, 0, 0, 255, 255, 255, 128, 128, 128, 255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 0, 1, 0, 0, 254, 255, 255]
        images.append(Image(width: 9, height: 1, channels: 3, pixels: special))
        return images
    }

    static let shifts: [(Double, Double, Double)] = [
        (15.7, 25.5, -22.4), (-40.2, -30.3, 18.6), (179, 0, 0), (-179.5, 300, -300), (0.4, -255.5, 255.5),
        (16.0.nextDown, 0, 0),  // a hue shift whose table is no rotation: the pixelwise path
        (0, 0, 7), (0, 12.5, 0), (90, -0.3, 0.3),
    ]

    @Test(arguments: 0..<shifts.count)
    func hsvMatchesTheReference(_ index: Int) {
        let (hue, saturation, value) = Self.shifts[index]
        for image in Self.images(seed: UInt64(index)) {
            let result = ImageOperation.execute([.hsv(hue: hue, saturation: saturation, value: value)], on: image)
            #expect(result == Self.referenceHSV(image, hue: hue, saturation: saturation, value: value),
                    "\(image.width)×\(image.height)×\(image.channels) stride \(image.rowStride)")
        }
    }

    /// Every 8-bit colour once (a 4096 × 4096 image).
    @Test(arguments: [(12.3, -17.8, 9.1), (-90.6, 40, -40)])
    func hsvMatchesTheReferenceOnEveryColour(_ shift: (Double, Double, Double)) {
        let colours = Image(width: 4096, height: 4096, channels: 3) { pixels, _ in
            for colour in 0..<(1 << 24) {
                pixels[3 * colour] = UInt8(truncatingIfNeeded: colour >> 16)
                pixels[3 * colour + 1] = UInt8(truncatingIfNeeded: colour >> 8)
                pixels[3 * colour + 2] = UInt8(truncatingIfNeeded: colour)
            }
        }
        let result = ImageOperation.execute([.hsv(hue: shift.0, saturation: shift.1, value: shift.2)], on: colours)
        let expected = Self.referenceHSV(colours, hue: shift.0, saturation: shift.1, value: shift.2)
        #expect(result == expected)
    }

    @Test(arguments: [0.0, 0.3, 0.8, 1.2, 1.6, 3.7])
    func saturationMatchesTheReference(_ factor: Double) {
        for image in Self.images(seed: 7) {
            #expect(ImageOperation.execute([.saturation(factor: factor)], on: image) == Self.referenceSaturation(image, factor: factor),
                    "\(image.width)×\(image.height)×\(image.channels) stride \(image.rowStride)")
        }
    }

    @Test(arguments: [0.3, 0.8, 1.2, 1.6])
    func contrastMatchesTheReference(_ factor: Double) {
        for image in Self.images(seed: 11) {
            #expect(ImageOperation.execute([.contrast(factor: factor)], on: image) == Self.referenceContrast(image, factor: factor),
                    "\(image.width)×\(image.height)×\(image.channels) stride \(image.rowStride)")
        }
    }

    /// Runs of colour steps (every order of ColorJitter's four, with lookups between) give what
    /// running the steps one at a time gives.
    @Test(arguments: 0..<24)
    func fusedColourStepsMatchOneByOne(_ permutation: Int) {
        var order = [0, 1, 2, 3], rest = permutation
        for position in 0..<4 {
            order.swapAt(position, position + rest % (4 - position))
            rest /= 4 - position
        }
        let steps: [ImageOperation] = [
            .lookup(ColorJitter.brightnessTable(factor: 1.13)), .contrast(factor: 0.87), .saturation(factor: 1.17),
            .hsv(hue: 180 * -0.07, saturation: 0, value: 0),
        ]
        let shift = PixelLookup(tables: [(0..<256).map { UInt8(min(255, $0 + 9)) }, (0..<256).map { UInt8($0 / 2) },
                                         (0..<256).map { UInt8(255 - $0) }])
        var operations = order.map { steps[$0] }
        operations.insert(.lookup(shift), at: permutation % 5)  // a per-channel lookup somewhere
        for image in Self.images(seed: UInt64(permutation)) {
            let oneByOne = operations.reduce(image) { image, operation in ImageOperation.execute([operation], on: image) }
            #expect(ImageOperation.execute(operations, on: image) == oneByOne,
                    "\(operations) on \(image.width)×\(image.height)×\(image.channels) stride \(image.rowStride)")
        }
    }

    /// Kernels that share one pass: every pair of HSV shift and saturation, and the pixelwise
    /// HSV path next to them.
    @Test func consecutiveKernelsMatchOneByOne() {
        let operations: [ImageOperation] = [
            .hsv(hue: 12, saturation: -9.5, value: 4), .hsv(hue: -70.3, saturation: 20, value: -3), .saturation(factor: 1.4),
            .saturation(factor: 0.6), .hsv(hue: 5, saturation: 0, value: 0), .hsv(hue: 16.0.nextDown, saturation: 3, value: 0),
            .saturation(factor: 1.1),
        ]
        for image in Self.images(seed: 99) {
            let oneByOne = operations.reduce(image) { image, operation in ImageOperation.execute([operation], on: image) }
            #expect(ImageOperation.execute(operations, on: image) == oneByOne,
                    "\(image.width)×\(image.height)×\(image.channels) stride \(image.rowStride)")
        }
    }
}
