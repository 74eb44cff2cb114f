import Augment
import Foundation
import Imaging
import InvariantCore
import Testing

/// The two builds of the SIMD kernel files (portable, and x86-64-v4 in `AugmentWideKernels`)
/// give identical results, and the wide build is safe to link next to the portable one.
/// Serialized: these tests switch `KernelBuild.prefersWide`, which other suites never touch
/// (and whose results do not depend on it).
@Suite(.serialized) struct KernelBuildTests {
    /// `body` run with the portable build, then with the wide one (the same build twice on a
    /// CPU without x86-64-v4).
    static func bothBuilds<Result>(_ body: () -> Result) -> (portable: Result, wide: Result) {
        KernelBuild.prefersWide = false
        let portable = body()
        KernelBuild.prefersWide = true
        return (portable, body())
    }

    @Test func colourKernelsAgree() {
        let steps: [[ImageOperation]] = [
            [.hsv(hue: 15.7, saturation: 25.5, value: -22.4)], [.hsv(hue: -179.5, saturation: 300, value: -300)],
            [.saturation(factor: 0.3)], [.saturation(factor: 1.6)], [.contrast(factor: 0.8)],
            [.saturation(factor: 1.2), .hsv(hue: 40, saturation: -10, value: 5)],
            [.lookup(ColorJitter.brightnessTable(factor: 1.13)), .contrast(factor: 0.87), .hsv(hue: -12.6, saturation: 0, value: 0),
             .saturation(factor: 1.17)],
        ]
        for operations in steps {
            for image in ColourKernelTests.images(seed: 5) + [Self.photoLike(width: 150, height: 97)] {
                let results = Self.bothBuilds { ImageOperation.execute(operations, on: image) }
                #expect(results.portable == results.wide, "\(operations) on \(image.width)×\(image.height)×\(image.channels)")
            }
        }
    }

    /// Every 8-bit colour once (a 4096 × 4096 image) through one HSV shift.
    @Test func hsvAgreesOnEveryColour() {
        let colours = Image(width: 4096, height: 4096, channels: 3) { pixels, _ in
            for colour in 0..<(1 << 24) {
                pixels[3 * colour] = UInt8(truncatingIfNeeded: colour >> 16)
                pixels[3 * colour + 1] = UInt8(truncatingIfNeeded: colour >> 8)
                pixels[3 * colour + 2] = UInt8(truncatingIfNeeded: colour)
            }
        }
        let results = Self.bothBuilds { ImageOperation.execute([.hsv(hue: 33.3, saturation: -20.2, value: 12.9)], on: colours) }
        #expect(results.portable == results.wide)
    }

    /// The elastic field's smoothing, widths below, at and above the 32-output block.
    @Test(arguments: [(37, 23, 2.0), (150, 150, 50.0), (5, 3, 1.0)])
    func fieldSmoothingAgrees(width: Int, height: Int, sigma: Double) {
        let values = (0..<width * height).map { sin(Double($0) * 0.7) * 3 + Double($0 % 5) }
        let results = Self.bothBuilds { DisplacementField.gaussianSmoothed(values, width: width, height: height, sigma: sigma) }
        #expect(results.portable == results.wide)
    }

    /// The warps' RGB blend (C, 16 pixels at a time, where the CPU has AVX-512 VBMI) against the
    /// Swift blend: affine and projective warps, elastic and grid remaps, every border mode
    /// (within one fold and beyond), fused lookups (shared and per-channel), crop views, rows
    /// of every length modulo 16, images of one and two pixels' width.
    @Test func warpBlendsAgree() {
        let photo = Self.photoLike(width: 61, height: 45)
        let images = [photo, photo.cropped(to: PixelRect(x: 3, y: 2, width: 50, height: 40)),
                      Self.photoLike(width: 2, height: 2), Self.photoLike(width: 1, height: 3), Self.photoLike(width: 17, height: 2),
                      Self.photoLike(width: 5, height: 1)]
        let brighter = PixelLookup { UInt8(min(255, $0 * 5 / 4)) }
        let perChannel = PixelLookup(tables: [(0..<256).map { UInt8(255 - $0) }, (0..<256).map { UInt8($0 / 2) }, PixelLookup.identity.tables[0]])
        for image in images {
            let centre = AffineTransform.center(of: (image.width, image.height))
            let corners = [(0.0, 0.0), (Double(image.width), 0), (Double(image.width), Double(image.height)), (0, Double(image.height))]
            let tilted = corners.enumerated().map { index, corner in (x: corner.0 + Double(index % 3) * 1.7 - 1, y: corner.1 - Double(index) * 0.9) }
            let perspective = ProjectiveTransform.mapping(corners.map { (x: $0.0, y: $0.1) }, to: tilted)!
            var cases: [[ImageOperation]] = []
            let borders: [(Int, BorderMode)] = [(image.width, .reflect101), (image.width + 7, .constant), (image.width + 18, .wrap),
                                                (image.width + 3, .replicate), (image.width + 5, .reflect)]
            for (width, border) in borders {
                let size = ImageSize(width: width, height: image.height + 1)
                // Shrunk about the centre to a fifth: the output's edges read up to two image
                // lengths outside, beyond one fold of the border.
                let shrunk = AffineTransform(a: 0.2, b: 0.03, c: centre.x * 0.8, d: -0.02, e: 0.2, f: centre.y * 0.8)
                cases.append([.warp(shrunk, size: size, interpolation: .bilinear, border: border, fill: 77)])
                cases.append([.warp(.rotation(degrees: 17, about: centre), size: size, interpolation: .bilinear, border: border, fill: 9)])
                cases.append([.warp(.rotation(degrees: -31, about: centre), size: size, interpolation: .bilinear, border: border, fill: 0),
                              .lookup(brighter)])
                cases.append([.warp(.rotation(degrees: 8, about: centre), size: size, interpolation: .bilinear, border: border, fill: 0),
                              .lookup(perChannel)])
                cases.append([.perspective(perspective, size: size, interpolation: .bilinear, border: border, fill: 200)])
            }
            cases.append([.distort(DisplacementField(kind: .elastic(seed: 4, alpha: 3, sigma: 2)))])
            cases.append([.distort(DisplacementField(kind: .grid(xSteps: [0.7, 1.3, 1], ySteps: [1.2, 0.8]), border: .constant))])
            for operations in cases {
                let results = Self.bothBuilds { ImageOperation.execute(operations, on: image) }
                #expect(results.portable == results.wide, "\(operations) on \(image.width)×\(image.height)")
            }
        }
    }

    /// Random affine maps (any mix of scale 0.1–3, rotation, shear and shift up to three image
    /// lengths), random homographies (corners moved up to half a side), borders, fills, fused
    /// lookups and image sizes from 1 × 1: the two blends agree on all of them.
    @Test func randomWarpsAgree() {
        var random = RandomKey(seed: 77).generator()
        let darker = PixelLookup { UInt8($0 * 3 / 4) }
        for _ in 0..<300 {
            let width = 1 + random.nextInt(below: 40), height = 1 + random.nextInt(below: 30)
            let image = Self.photoLike(width: width, height: height)
            let border = BorderMode.allCases[random.nextInt(below: BorderMode.allCases.count)]
            let size = ImageSize(width: 1 + random.nextInt(below: 50), height: 1 + random.nextInt(below: 20))
            let fill = Double(random.nextInt(below: 256))
            var operations: [ImageOperation]
            if random.nextInt(below: 3) == 0 {
                let corners = [(0.0, 0.0), (Double(width), 0), (Double(width), Double(height)), (0, Double(height))]
                let moved = corners.map { corner in
                    (x: corner.0 + random.nextDouble(in: -0.5...0.5) * Double(width), y: corner.1 + random.nextDouble(in: -0.5...0.5) * Double(height))
                }
                guard let map = ProjectiveTransform.mapping(corners.map { (x: $0.0, y: $0.1) }, to: moved) else { continue }
                operations = [.perspective(map, size: size, interpolation: .bilinear, border: border, fill: fill)]
            } else {
                let angle = random.nextDouble(in: -Double.pi...Double.pi), scale = random.nextDouble(in: 0.1...3)
                let shear = random.nextDouble(in: -1...1)
                let map = AffineTransform(a: scale * cos(angle), b: -scale * sin(angle) + shear, c: random.nextDouble(in: -3...3) * Double(width),
                                          d: scale * sin(angle), e: scale * cos(angle), f: random.nextDouble(in: -3...3) * Double(height))
                operations = [.warp(map, size: size, interpolation: .bilinear, border: border, fill: fill)]
            }
            if random.nextInt(below: 2) == 0 { operations.append(.lookup(darker)) }
            let results = Self.bothBuilds { ImageOperation.execute(operations, on: image) }
            #expect(results.portable == results.wide, "\(operations) on \(width)×\(height)")
        }
    }

    /// A smooth image with detail, like a photo: colours that move slowly plus fine noise.
    static func photoLike(width: Int, height: Int) -> Image<UInt8> {
        Image(width: width, height: height, channels: 3) { pixels, stride in
            for y in 0..<height {
                for x in 0..<width {
                    for c in 0..<3 {
                        let smooth = 128 + 100 * sin(Double(x) * 0.05 + Double(c)) * cos(Double(y) * 0.04)
                        pixels[y * stride + 3 * x + c] = UInt8(max(0, min(255, smooth + Double((x * 7 + y * 13 + c * 5) % 11))))
                    }
                }
            }
        }
    }

    #if arch(x86_64)
    /// The wide build must define no code that the linker could pick for the portable build's
    /// calls: every global or shared (weak) function it defines is one of its own, with the
    /// module's name in its symbol. Shared copies of standard-library generics (or of Swift's
    /// runtime helpers) compiled for AVX-512 would otherwise run on any CPU.
    @Test func wideBuildDefinesOnlyItsOwnCode() throws {
        let buildFolder = try #require(Bundle.main.executableURL).deletingLastPathComponent()
        let moduleFolder = buildFolder.appendingPathComponent("AugmentWideKernels.build")
        let objects = try FileManager.default.contentsOfDirectory(atPath: moduleFolder.path).filter { $0.hasSuffix(".o") }
        #expect(!objects.isEmpty, "no object files in \(moduleFolder.path)")
        for object in objects {
            let nm = Process()
            nm.executableURL = URL(fileURLWithPath: "/usr/bin/nm")
            nm.arguments = ["--defined-only", "--format=posix", moduleFolder.appendingPathComponent(object).path]
            let output = Pipe()
            nm.standardOutput = output
            try nm.run()
            let listing = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            nm.waitUntilExit()
            #expect(nm.terminationStatus == 0)
            for line in listing.split(separator: "\n") {
                let fields = line.split(separator: " ")
                guard fields.count >= 2, ["T", "W"].contains(fields[1]) else { continue }
                #expect(fields[0].contains("18AugmentWideKernels"), "\(object) defines \(fields[0])")
            }
        }
    }
    #endif
}
