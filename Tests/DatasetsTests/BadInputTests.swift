import Datasets
import Foundation
import Imaging
import Testing

/// Unusable directories throw `DatasetError`s that name the path; unusable files become
/// `FileProblem`s naming the file (or, with the strict policy, one error listing them all).
@Suite struct BadInputTests {
    // MARK: The directory itself

    @Test func missingDirectory() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("invariant-missing-\(UUID().uuidString)").path
        do {
            _ = try ImageDataset.index(directory: path)
            Issue.record("expected missingDirectory")
        } catch let error as DatasetError {
            #expect(error == .missingDirectory(path))
            #expect(error.description.contains(path))
            #expect(error.description.contains("DIR/<class>/<image>"))
        }
    }

    @Test func fileInsteadOfDirectory() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let file = folder.write("image.png", Images.png())
        #expect(throws: DatasetError.notADirectory(file)) { try ImageDataset.index(directory: file) }
        #expect(DatasetError.notADirectory(file).description.contains(file))
    }

    @Test func noClassFolders() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        #expect(throws: DatasetError.noClassFolders(folder.path)) { try ImageDataset.index(directory: folder.path) }
        // Images directly in the root are not a class.
        folder.write("loose.png", Images.png())
        folder.write(".hidden/x.png", Images.png())
        #expect(throws: DatasetError.noClassFolders(folder.path)) { try ImageDataset.index(directory: folder.path) }
        #expect(DatasetError.noClassFolders(folder.path).description.contains("DIR/<class>/<image>"))
    }

    @Test func classFoldersWithoutImages() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        folder.write("cats/readme.txt", Data("cats".utf8))
        folder.makeFolder("dogs")
        do {
            _ = try ImageDataset.index(directory: folder.path)
            Issue.record("expected noImages")
        } catch let error as DatasetError {
            #expect(error == .noImages(folder.path, classes: ["cats", "dogs"]))
            #expect(error.description.contains(folder.path) && error.description.contains("cats, dogs"))
            #expect(error.description.contains("png"))
        }
    }

    // MARK: Single files

    /// Indexes `files` (relative path → bytes) next to one good image and returns the dataset.
    func index(_ files: [String: Data], options: IndexOptions = IndexOptions(), in folder: TemporaryDirectory) throws -> ImageDataset {
        folder.write("good/ok.png", Images.png())
        for (relative, data) in files { folder.write(relative, data) }
        return try ImageDataset.index(directory: folder.path, options: options)
    }

    @Test func emptyFile() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let dataset = try index(["bad/empty.jpg": Data()], in: folder)
        #expect(dataset.samples.map(\.relativePath) == ["good/ok.png"])
        #expect(dataset.problems == [FileProblem(path: folder.path + "/bad/empty.jpg", reason: "empty file (0 bytes)")])
    }

    @Test func truncatedJPEG() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let jpeg = Images.jpeg(width: 32, height: 32)
        let dataset = try index(["bad/half.jpg": jpeg.prefix(jpeg.count / 2)], in: folder)
        #expect(dataset.samples.count == 1)
        let problem = try #require(dataset.problems.first)
        #expect(problem.path == folder.path + "/bad/half.jpg")
        #expect(problem.reason.contains("truncated JPEG"))
        #expect(problem.description.hasPrefix(folder.path + "/bad/half.jpg: "))
    }

    @Test func randomBytesNamedJPEG() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        var random = SystemRandomNumberGenerator()
        var bytes = (0..<512).map { _ in UInt8.random(in: 0...255, using: &random) }
        bytes[0] = 0x42  // never a known signature
        bytes[1] = 0x00
        let dataset = try index(["bad/noise.jpg": Data(bytes)], in: folder)
        let problem = try #require(dataset.problems.first)
        #expect(problem.path == folder.path + "/bad/noise.jpg")
        #expect(problem.reason.hasPrefix("unknown image format (leading bytes 42 00"))
    }

    @Test func jpegNamedPNGIsDetectedByContent() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let dataset = try index(["other/photo.png": Images.jpeg(width: 8, height: 6)], in: folder)
        #expect(dataset.problems.isEmpty)
        let sample = try #require(dataset.samples.first { $0.relativePath == "other/photo.png" })
        #expect(sample.header.format == .jpeg)
        #expect(sample.header.width == 8 && sample.header.height == 6)
        let loader = try BatchLoader(dataset: dataset, options: LoaderOptions(imageSize: ImageSize(width: 8, height: 6),
                                                                             batchSize: 8, shuffles: false, workers: 0))
        let batch = try #require(loader.batches().next())
        #expect(batch.count == 2 && loader.problems.isEmpty)
    }

    @Test(.timeLimit(.minutes(1)))
    func headerDeclaringHugeImageIsRefusedWithoutAllocating() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let bomb = pngDeclaring(width: 30_000, height: 30_000)
        #expect(bomb.count < 100)
        // The header is readable: only the size is the problem.
        let header = try ImageDecoder.header(of: bomb)
        #expect(header.width == 30_000 && header.height == 30_000)
        let start = Date()
        let dataset = try index(["bad/bomb.png": bomb], in: folder)
        let problem = try #require(dataset.problems.first)
        #expect(problem.path == folder.path + "/bad/bomb.png")
        #expect(problem.reason.contains("30000×30000"))
        #expect(problem.reason.contains("over the limit of \(DecodeOptions.defaultPixelLimit)"))
        #expect(throws: ImageError.tooManyPixels(width: 30_000, height: 30_000, limit: DecodeOptions.defaultPixelLimit)) {
            try ImageDecoder().decode(bomb)
        }
        // A full validation stops at the header too.
        #expect(throws: ImageError.tooManyPixels(width: 30_000, height: 30_000, limit: 1_000)) {
            try bomb.withUnsafeBytes { try ImageDecoder.validate($0, depth: .full, pixelLimit: 1_000) }
        }
        // 2.7 GB of pixels were never allocated or decoded: this takes milliseconds.
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test func cmykJPEGDecodesToRGB() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let dataset = try index(["print/cmyk.jpg": imagingFixtures.data("inputs/cmyk.jpg")], in: folder)
        let sample = try #require(dataset.samples.first { $0.relativePath == "print/cmyk.jpg" })
        #expect(sample.header.format == .jpeg && sample.header.channels == 3)
        let decoded = try ImageDecoder(options: DecodeOptions(colorMode: .original)).decode(fileAt: sample.path).image
        #expect(decoded.channels == 3 && decoded.width == 35 && decoded.height == 27)
        // Same pixels as Pillow's convert('RGB') (±1 for libjpeg builds).
        let expected = [UInt8](imagingFixtures.data("expected/cmyk.jpg.rgb.raw"))
        let pixels = decoded.eightBit.pixels
        #expect(pixels.count == expected.count)
        #expect(zip(pixels, expected).allSatisfy { abs(Int($0) - Int($1)) <= 1 })
    }

    @Test func sixteenBitPNGKeepsItsBitDepth() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let dataset = try index(["deep/gray16.png": imagingFixtures.data("inputs/gray16.png")], in: folder)
        let sample = try #require(dataset.samples.first { $0.relativePath == "deep/gray16.png" })
        #expect(sample.header.bitDepth == 16 && sample.header.channels == 1 && sample.header.format == .png)
        #expect(dataset.samples.first { $0.relativePath == "good/ok.png" }?.header.bitDepth == 8)
    }

    @Test func palettePNGWithTransparency() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let dataset = try index(["pal/palette_trns.png": imagingFixtures.data("inputs/palette_trns.png")], in: folder)
        let sample = try #require(dataset.samples.first { $0.relativePath == "pal/palette_trns.png" })
        // Palette + tRNS expands to RGBA.
        #expect(sample.header.channels == 4 && sample.header.bitDepth == 8)
        #expect(sample.header.width == 35 && sample.header.height == 27)
        let rgba = try ImageDecoder(options: DecodeOptions(colorMode: .rgba)).decode(fileAt: sample.path).image.eightBit
        #expect(rgba.pixels == [UInt8](imagingFixtures.data("expected/palette_trns.rgba.raw")))
    }

    @Test func exifRotatedJPEG() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let dataset = try index(["rot/exif6.jpg": imagingFixtures.data("inputs/exif_orientation_6.jpg")], in: folder)
        let sample = try #require(dataset.samples.first { $0.relativePath == "rot/exif6.jpg" })
        #expect(sample.header.width == 35 && sample.header.height == 27)
        #expect(sample.header.orientation == .rotatedClockwise)
        #expect(sample.header.orientedSize == ImageSize(width: 27, height: 35))

        let rotated = ImageSize(width: 27, height: 35)
        let single = dataset.subset([sample])
        let loader = try BatchLoader(dataset: single, options: LoaderOptions(imageSize: rotated, workers: 0,
                                                                            pixelType: .uint8))
        let batch = try #require(loader.batches().next())
        #expect(batch.count == 1 && batch.width == 27 && batch.height == 35 && batch.channels == 3)
        // At its own (rotated) size nothing is resized: the batch holds the upright image.
        let upright = try ImageDecoder().decode(fileAt: sample.path).image.eightBit
        #expect(upright.width == 27 && upright.height == 35)
        #expect(batch.pixels == .uint8(upright.pixels))
        // Without orientation the stored 35×27 image is stretched instead: different pixels.
        let unrotated = try BatchLoader(dataset: single, options: LoaderOptions(imageSize: rotated, workers: 0,
                                                                               pixelType: .uint8, appliesOrientation: false))
        #expect(unrotated.batches().next()?.pixels != batch.pixels)
    }

    @Test func classNamesWithSpacesAndNonASCIILetters() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        for (index, name) in ["red fox", "\u{C4}rger", "\u{732B}"].enumerated() {
            folder.write("\(name)/\(name) \(index).png", Images.png(value: UInt8(index * 50)))
        }
        let dataset = try ImageDataset.index(directory: folder.path)
        #expect(dataset.classNames == ["red fox", "\u{C4}rger", "\u{732B}"])
        #expect(dataset.samples.map(\.relativePath) == ["red fox/red fox 0.png", "\u{C4}rger/\u{C4}rger 1.png",
                                                          "\u{732B}/\u{732B} 2.png"])
        #expect(dataset.problems.isEmpty)
        let loader = try BatchLoader(dataset: dataset, options: LoaderOptions(imageSize: ImageSize(width: 5, height: 4),
                                                                             batchSize: 3, shuffles: false, workers: 0,
                                                                             pixelType: .uint8))
        let batch = try #require(loader.batches().next())
        #expect(batch.labels == .sparse([0, 1, 2]))
        guard case .uint8(let pixels) = batch.pixels else { Issue.record("expected uint8"); return }
        #expect(pixels[0] == 0 && pixels[60] == 50 && pixels[120] == 100)
    }

    @Test func strayNotebookCheckpointsAreSkipped() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        folder.write("cats/a.png", Images.png())
        folder.write("cats/.ipynb_checkpoints/a-checkpoint.png", Images.png())
        folder.write(".ipynb_checkpoints/x-checkpoint.png", Images.png())
        let dataset = try ImageDataset.index(directory: folder.path)
        #expect(dataset.classNames == ["cats"])
        #expect(dataset.samples.map(\.relativePath) == ["cats/a.png"])
        #expect(Set(dataset.hiddenPaths) == [".ipynb_checkpoints", "cats/.ipynb_checkpoints"])
    }

    // MARK: Symbolic links

    /// `cats/loop -> .` points at its own class folder.
    @Test(.timeLimit(.minutes(1)))
    func symlinkLoopToItsOwnFolder() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        folder.write("cats/a.png", Images.png())
        folder.write("dogs/b.png", Images.png())
        folder.link("cats/loop", to: ".")
        let followed = try ImageDataset.index(directory: folder.path, options: IndexOptions(followsSymlinks: true))
        #expect(followed.samples.map(\.relativePath) == ["cats/a.png", "dogs/b.png"])
        #expect(followed.skippedLinks.map(\.path) == [folder.path + "/cats/loop"])
        #expect(followed.skippedLinks.first?.reason.contains("loop") == true)

        let notFollowed = try ImageDataset.index(directory: folder.path)
        #expect(notFollowed.samples.map(\.relativePath) == ["cats/a.png", "dogs/b.png"])
        #expect(notFollowed.skippedLinks.map(\.path) == [folder.path + "/cats/loop"])
        #expect(notFollowed.skippedLinks.first?.reason.contains("not followed") == true)
    }

    /// `cats/loop -> ..` points at the dataset root, i.e. at every class folder.
    @Test(.timeLimit(.minutes(1)))
    func symlinkLoopToTheRoot() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        folder.write("cats/a.png", Images.png())
        folder.write("dogs/b.png", Images.png())
        folder.link("cats/loop", to: "..")
        let followed = try ImageDataset.index(directory: folder.path, options: IndexOptions(followsSymlinks: true))
        #expect(followed.skippedLinks.contains { $0.reason.contains("loop") })
        // Every file once, in its own class: dogs/b.png must not also appear as a cat
        // through cats/loop/dogs/b.png.
        #expect(followed.samples.map(\.relativePath) == ["cats/a.png", "dogs/b.png"])
        #expect(followed.classCounts == [1, 1])

        let notFollowed = try ImageDataset.index(directory: folder.path)
        #expect(notFollowed.samples.map(\.relativePath) == ["cats/a.png", "dogs/b.png"])
        #expect(notFollowed.skippedLinks == [FileProblem(path: folder.path + "/cats/loop",
            reason: "symbolic link to a folder (not followed; enable following links)")])
    }

    @Test func linkedFolderIsFollowedOnlyWhenAsked() throws {
        let folder = TemporaryDirectory()
        let outside = TemporaryDirectory()
        defer { folder.remove(); outside.remove() }
        outside.write("x.png", Images.png())
        folder.write("cats/a.png", Images.png())
        folder.link("cats/more", to: outside.path)
        folder.link("cats/broken", to: outside.path + "/nothing")
        let plain = try ImageDataset.index(directory: folder.path)
        #expect(plain.samples.map(\.relativePath) == ["cats/a.png"])
        #expect(Set(plain.skippedLinks.map(\.path)) == [folder.path + "/cats/more", folder.path + "/cats/broken"])
        #expect(plain.skippedLinks.first { $0.path.hasSuffix("broken") }?.reason == "broken symbolic link")
        let followed = try ImageDataset.index(directory: folder.path, options: IndexOptions(followsSymlinks: true))
        #expect(followed.samples.map(\.relativePath) == ["cats/a.png", "cats/more/x.png"])
    }

    // MARK: Policies and depth

    @Test func strictPolicyThrowsListingEveryBadFile() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        folder.write("a/ok.png", Images.png())
        folder.write("a/empty.png", Data())
        folder.write("b/noise.jpg", Data("this is not a jpeg at all".utf8))
        folder.write("b/ok.jpg", Images.jpeg())
        let jpeg = Images.jpeg(width: 32, height: 32)
        folder.write("b/sub/cut.jpg", jpeg.prefix(jpeg.count / 2))
        let bad = ["a/empty.png", "b/noise.jpg", "b/sub/cut.jpg"].map { folder.path + "/" + $0 }
        do {
            _ = try ImageDataset.index(directory: folder.path, options: IndexOptions(policy: .strict))
            Issue.record("expected invalidFiles")
        } catch let error as DatasetError {
            guard case .invalidFiles(let root, let problems) = error else { Issue.record("got \(error)"); return }
            #expect(root == folder.path)
            #expect(problems.map(\.path) == bad)
            for path in bad { #expect(error.description.contains(path)) }
            #expect(error.description.contains("3 unreadable images"))
        }
        // The default policy skips them instead.
        let skipped = try ImageDataset.index(directory: folder.path)
        #expect(skipped.samples.map(\.relativePath) == ["a/ok.png", "b/ok.jpg"])
        #expect(skipped.problems.map(\.path) == bad)
    }

    @Test func onlyBadFilesThrowEvenWhenSkipping() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        folder.write("a/empty.png", Data())
        #expect(throws: DatasetError.invalidFiles(folder.path, [FileProblem(path: folder.path + "/a/empty.png",
                                                                            reason: "empty file (0 bytes)")])) {
            try ImageDataset.index(directory: folder.path)
        }
    }

    @Test func pixelLimitOption() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        folder.write("a/small.png", Images.png(width: 4, height: 4))
        folder.write("a/large.png", Images.png(width: 40, height: 40))
        let dataset = try ImageDataset.index(directory: folder.path, options: IndexOptions(pixelLimit: 100))
        #expect(dataset.samples.map(\.relativePath) == ["a/small.png"])
        #expect(dataset.problems.first?.reason.contains("40×40 = 1600 pixels, over the limit of 100") == true)
    }

    /// A JPEG whose entropy-coded middle is overwritten, header and end marker intact.
    /// An unexpected marker lands in the entropy-coded data. libjpeg only warns ("Corrupt
    /// JPEG data: …") and returns its best effort, as Pillow does; the full depth turns that
    /// warning into a problem naming the file. (Damage that still parses as valid Huffman
    /// codes cannot be detected: JPEG has no checksum.)
    @Test func jpegCorruptedInTheMiddle() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let original = Images.jpeg(width: 64, height: 64)
        let bytes = [UInt8](original)
        let sos = try #require((0..<bytes.count - 1).last { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xDA })
        let scanStart = sos + 2 + (Int(bytes[sos + 2]) << 8 | Int(bytes[sos + 3]))
        let middle = (scanStart + bytes.count - 2) / 2
        let damaged = original.corrupting(middle..<middle + 40, with: [0xFF, 0xD3])
        #expect(damaged.suffix(2) == Data([0xFF, 0xD9]))
        folder.write("a/damaged.jpg", damaged)
        folder.write("a/ok.png", Images.png())

        // Header depth cannot see inside the data: accepted.
        let shallow = try ImageDataset.index(directory: folder.path)
        #expect(shallow.samples.map(\.relativePath) == ["a/damaged.jpg", "a/ok.png"])

        // Full depth: flagged as corrupt JPEG data.
        let deep = try ImageDataset.index(directory: folder.path, options: IndexOptions(depth: .full))
        #expect(deep.samples.map(\.relativePath) == ["a/ok.png"])
        let problem = try #require(deep.problems.first)
        #expect(problem.path == folder.path + "/a/damaged.jpg")
        #expect(problem.reason.hasPrefix("corrupt JPEG file: Corrupt JPEG data"))

        // Plain decoding keeps Pillow's behaviour: the repaired image.
        let decoded = try ImageDecoder().decode(damaged).image
        #expect(decoded.width == 64 && decoded.height == 64)
    }
}

/// Headers whose sizes are extreme: refused from the header, nothing large allocated,
/// messages that do not overflow.
@Suite struct ExtremeHeaderTests {
    /// A PNG declaring 2³¹−1 × 1 pixels of 16-bit RGBA: libpng would allocate two 16 GiB
    /// row buffers if expansion were set up before the pixel-limit check.
    @Test(.timeLimit(.minutes(1)))
    func wideRowPNGIsRefusedBeforeAllocation() throws {
        var bytes = [UInt8](pngDeclaring(width: 0x7FFF_FFFF, height: 1))
        bytes[24] = 16  // bit depth
        bytes[25] = 6   // RGBA
        let crc = crc32(bytes[12..<29])
        for i in 0..<4 { bytes[29 + i] = UInt8(truncatingIfNeeded: crc >> (24 - 8 * i)) }
        let data = Data(bytes)
        #expect(throws: ImageError.tooManyPixels(width: 0x7FFF_FFFF, height: 1, limit: DecodeOptions.defaultPixelLimit)) {
            try data.withUnsafeBytes { try ImageDecoder.validate($0) }
        }
        #expect(throws: ImageError.self) { try ImageDecoder().decode(data) }
    }

    /// A TIFF declaring 4294967295 × 4294967295 pixels: the error names the size without
    /// overflowing when it multiplies them.
    @Test func hugeTIFFIsAnErrorNotATrap() throws {
        var tiff: [UInt8] = Array("II*\0".utf8) + [8, 0, 0, 0]
        let entries: [(UInt16, UInt16, UInt32)] = [(256, 4, 0xFFFF_FFFF), (257, 4, 0xFFFF_FFFF), (258, 3, 8), (259, 3, 1),
                                                   (262, 3, 1), (273, 4, 8), (277, 3, 1), (278, 4, 0xFFFF_FFFF), (279, 4, 1)]
        func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }
        tiff += le(UInt16(entries.count))
        for (tag, type, value) in entries { tiff += le(tag) + le(type) + le(UInt32(1)) + le(value) }
        tiff += le(UInt32(0))
        let data = Data(tiff)
        do {
            _ = try ImageDecoder(options: DecodeOptions(pixelLimit: nil)).decode(data)
            Issue.record("a 2³²-sided TIFF decoded")
        } catch let error as ImageError {
            #expect(!error.description.isEmpty)
            if case .tooManyPixels = error { #expect(error.description.contains("more than")) }
        }
    }

    /// A 20-byte ASCII PPM claiming 9000 × 9000 pixels is truncated, found before anything is reserved.
    @Test func tinyASCIIHeaderWithHugeSizeIsTruncated() throws {
        let data = Data("P3\n9000 9000\n255\n1 2 3\n".utf8)
        #expect(throws: ImageError.self) { try data.withUnsafeBytes { try ImageDecoder.validate($0) } }
        do { _ = try ImageDecoder().decode(data) } catch let error as ImageError {
            guard case .truncated(.netpbm, let detail) = error else { Issue.record("got \(error)"); return }
            #expect(detail.contains("needs at least"))
        }
    }
}
