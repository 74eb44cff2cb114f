import Augment
import Imaging
import Testing

/// The lookup's fast paths (inversion, bit masks and solarization as arithmetic, 8-sample loads, RGB in one
/// pass) give exactly what mapping each sample through its table gives, on odd row lengths
/// (a remainder after the 8-sample blocks) and on crop views (rows with a stride).
@Suite struct PixelLookupTests {
    static let lookups: [(String, PixelLookup)] = [
        ("inversion", PixelLookup { UInt8(255 - $0) }),
        ("mask", PixelLookup { UInt8($0 & 0xF0) }),
        ("solarization", PixelLookup { $0 >= 77 ? UInt8(255 - $0) : UInt8($0) }),
        ("table", PixelLookup { UInt8(($0 * 7 + 3) % 256) }),
        ("rgb tables", PixelLookup(tables: [(0..<256).map { UInt8(255 - $0) }, (0..<256).map { UInt8($0 / 2) },
                                            (0..<256).map { UInt8(min(255, $0 + 40)) }])),
    ]

    @Test(arguments: 0..<5)
    func fastPathsEqualThePlainTables(_ index: Int) {
        let (name, lookup) = Self.lookups[index]
        let pixels = (0..<(13 * 11 * 3)).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
        let full = Image(width: 13, height: 11, channels: 3, pixels: pixels)
        for image in [full, full.cropped(to: PixelRect(x: 2, y: 1, width: 9, height: 7))] {
            let mapped = lookup.apply(to: image)
            for y in 0..<image.height {
                for x in 0..<image.width {
                    for c in 0..<3 {
                        let table = lookup.tables.count == 1 ? lookup.tables[0] : lookup.tables[c]
                        #expect(mapped[x, y, c] == table[Int(image[x, y, c])], "\(name) at \(x),\(y),\(c)")
                    }
                }
            }
        }
    }

    /// Lookups right after a warp are mapped as the warp stores each level: the result equals
    /// the warp followed by the lookups, on every warp path (per-pixel bilinear, separable,
    /// permutation, translation), 1 and 3 channels, shared and per-channel tables, crop views.
    @Test(arguments: [1, 3])
    func lookupsFusedIntoWarpsEqualLookupsAfter(channels: Int) {
        let pixels = (0..<(23 * 17 * channels)).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
        let full = Image(width: 23, height: 17, channels: channels, pixels: pixels)
        let brighter = PixelLookup { UInt8(min(255, $0 * 5 / 4)) }, shifted = Self.lookups[3].1
        let maps: [(AffineTransform, ImageSize)] = [
            (.rotation(degrees: 17, about: AffineTransform.center(of: (23, 17))), ImageSize(width: 23, height: 17)),
            (AffineTransform(a: 0.8, b: 0, c: 1.5, d: 0, e: 1.2, f: -2), ImageSize(width: 19, height: 21)),
            (AffineTransform(a: -1, b: 0, c: 22, d: 0, e: 1, f: 0), ImageSize(width: 23, height: 17)),
            (.translation(x: 3, y: -2), ImageSize(width: 23, height: 17)),
        ]
        for image in [full, full.cropped(to: PixelRect(x: 2, y: 1, width: 19, height: 14))] {
            for (transform, size) in maps {
                let fused = ImageOperation.execute([.warp(transform, size: size, interpolation: .bilinear, border: .reflect101, fill: 0),
                                                    .lookup(brighter), .lookup(shifted)], on: image)
                let warped = image.warped(by: transform, to: size, interpolation: .bilinear, border: .reflect101)
                #expect(fused == shifted.apply(to: brighter.apply(to: warped)), "\(transform)")
            }
        }
    }
}
