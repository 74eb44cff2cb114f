import Datasets
import Foundation
import Imaging
import Testing

/// Fashion-MNIST from Debian's `dataset-fashion-mnist` files, and the IDX reader's errors
/// and the export on tiny fake IDX files.
@Suite struct FashionMNISTTests {
    static let installed = FileManager.default.fileExists(atPath: FashionMNIST.defaultDirectory + "/t10k-labels-idx1-ubyte.gz")

    @Test(.enabled(if: installed, "Debian's dataset-fashion-mnist is not installed"))
    func testSplitHasTenThousandBalancedImages() throws {
        let test = try FashionMNIST.load(.test)
        #expect(test.count == 10_000)
        #expect(test.pixels.count == 10_000 * 28 * 28)
        #expect(test.labels.allSatisfy { $0 <= 9 })
        var counts = [Int](repeating: 0, count: 10)
        for label in test.labels { counts[Int(label)] += 1 }
        #expect(counts == [Int](repeating: 1_000, count: 10))
        // The first test image is an ankle boot (label 9, read from t10k-labels-idx1-ubyte.gz).
        #expect(test.labels.first == 9)
        #expect(FashionMNIST.classNames[9] == "Ankle boot")
        let first = test.image(0)
        #expect(first.width == 28 && first.height == 28 && first.channels == 1)
        #expect(first.pixels == Array(test.pixels[0..<784]))
        #expect(first.pixels.contains { $0 > 0 })
    }

    @Test func folderNamesKeepLabelOrderAndHaveNoSlashes() {
        #expect(FashionMNIST.folderNames.first == "0_T-shirt_top")
        #expect(FashionMNIST.folderNames.last == "9_Ankle_boot")
        #expect(FashionMNIST.folderNames.sorted() == FashionMNIST.folderNames)
        #expect(FashionMNIST.folderNames.allSatisfy { !$0.contains("/") && !$0.contains(" ") })
    }

    @Test func missingFilesNameTheDebianPackage() {
        let bogus = "/nonexistent/invariant-\(UUID().uuidString)"
        for split in FashionMNIST.Split.allCases {
            do {
                _ = try FashionMNIST.load(split, directory: bogus)
                Issue.record("expected a missing-file error")
            } catch let error as FashionMNIST.LoadError {
                guard case .missingFile(let path) = error else { Issue.record("got \(error)"); continue }
                let prefix = split == .train ? "train" : "t10k"
                #expect(path == bogus + "/\(prefix)-images-idx3-ubyte.gz")
                #expect(error.description.contains(path))
                #expect(error.description.contains("dataset-fashion-mnist"))
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
    }

    // MARK: Fake IDX files (uncompressed: zlib's gzread reads them transparently)

    static func idx(dimensions: [Int], data: [UInt8], magic: [UInt8]? = nil) -> Data {
        var bytes = magic ?? [0, 0, 0x08, UInt8(dimensions.count)]
        for size in dimensions { bytes += (0..<4).map { UInt8(truncatingIfNeeded: size >> (24 - 8 * $0)) } }
        return Data(bytes + data)
    }

    /// Image i is filled with a pattern from i, so exported files can be checked.
    static func pixels(count: Int) -> [UInt8] {
        (0..<count * 784).map { UInt8(truncatingIfNeeded: ($0 / 784) * 17 + ($0 % 784)) }
    }

    static func writeSplit(_ prefix: String, labels: [UInt8], in folder: TemporaryDirectory,
                           imageCount: Int? = nil, imageBytes: [UInt8]? = nil) {
        let count = imageCount ?? labels.count
        folder.write("\(prefix)-images-idx3-ubyte.gz", idx(dimensions: [count, 28, 28], data: imageBytes ?? pixels(count: count)))
        folder.write("\(prefix)-labels-idx1-ubyte.gz", idx(dimensions: [labels.count], data: labels))
    }

    @Test func readsUncompressedFakeIDX() throws {
        let source = TemporaryDirectory()
        defer { source.remove() }
        Self.writeSplit("t10k", labels: [9, 8, 7], in: source)
        let images = try FashionMNIST.load(.test, directory: source.path)
        #expect(images.count == 3 && images.labels == [9, 8, 7])
        #expect(images.pixels == Self.pixels(count: 3))
        #expect(images.image(2).pixels == Array(Self.pixels(count: 3)[1568..<2352]))
    }

    @Test func gzipCompressedFakeIDX() throws {
        let gzip = "/bin/gzip"
        try #require(FileManager.default.isExecutableFile(atPath: gzip))
        let source = TemporaryDirectory()
        defer { source.remove() }
        source.write("t10k-images-idx3-ubyte", Self.idx(dimensions: [2, 28, 28], data: Self.pixels(count: 2)))
        source.write("t10k-labels-idx1-ubyte", Self.idx(dimensions: [2], data: [4, 2]))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: gzip)
        process.arguments = ["-n", source.path + "/t10k-images-idx3-ubyte", source.path + "/t10k-labels-idx1-ubyte"]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let images = try FashionMNIST.load(.test, directory: source.path)
        #expect(images.labels == [4, 2] && images.pixels == Self.pixels(count: 2))
    }

    @Test func malformedIDXFilesAreReported() throws {
        func loadError(_ prepare: (TemporaryDirectory) -> Void) -> String? {
            let source = TemporaryDirectory()
            defer { source.remove() }
            prepare(source)
            do {
                _ = try FashionMNIST.load(.test, directory: source.path)
                return nil
            } catch let error as FashionMNIST.LoadError {
                guard case .malformed = error else { return "wrong case: \(error)" }
                return error.description
            } catch {
                return "unexpected \(error)"
            }
        }
        let wrongMagic = loadError { folder in
            folder.write("t10k-images-idx3-ubyte.gz", Self.idx(dimensions: [1, 28, 28], data: Self.pixels(count: 1),
                                                               magic: [0, 0, 0x0D, 3]))
            folder.write("t10k-labels-idx1-ubyte.gz", Self.idx(dimensions: [1], data: [0]))
        }
        #expect(wrongMagic?.contains("t10k-images-idx3-ubyte.gz: not a valid IDX file: magic") == true)

        let truncated = loadError { folder in
            Self.writeSplit("t10k", labels: [1, 2, 3], in: folder, imageBytes: Array(Self.pixels(count: 3).prefix(1000)))
        }
        #expect(truncated?.contains("ends after 1000 of 2352 bytes") == true)

        let mismatched = loadError { folder in Self.writeSplit("t10k", labels: [1, 2, 3], in: folder, imageCount: 4) }
        #expect(mismatched?.contains("does not match label shape") == true)

        let badLabel = loadError { folder in Self.writeSplit("t10k", labels: [1, 10], in: folder) }
        #expect(badLabel?.contains("label 10 outside 0…9") == true)

        let wrongSize = loadError { folder in
            folder.write("t10k-images-idx3-ubyte.gz", Self.idx(dimensions: [1, 14, 56], data: Self.pixels(count: 1)))
            folder.write("t10k-labels-idx1-ubyte.gz", Self.idx(dimensions: [1], data: [0]))
        }
        #expect(wrongSize?.contains("image shape [1, 14, 56]") == true)

        let empty = loadError { folder in Self.writeSplit("t10k", labels: [], in: folder) }
        #expect(empty?.contains("implausible shape [0, 28, 28]") == true)
    }

    @Test(.timeLimit(.minutes(1)))
    func exportWritesClassFoldersOfPNGs() throws {
        let source = TemporaryDirectory()
        let output = TemporaryDirectory()
        defer { source.remove(); output.remove() }
        let trainLabels: [UInt8] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 9]
        let testLabels: [UInt8] = [9, 8, 7, 6, 0]
        Self.writeSplit("train", labels: trainLabels, in: source)
        Self.writeSplit("t10k", labels: testLabels, in: source)
        let target = output.path + "/fashion"
        let counts = try FashionMNIST.export(to: target, from: source.path, threads: 2)
        #expect(counts == [.train: 12, .test: 5])

        let manager = FileManager.default
        for split in ["train", "test"] {
            #expect(try manager.contentsOfDirectory(atPath: target + "/" + split).sorted() == FashionMNIST.folderNames)
        }
        #expect(try manager.contentsOfDirectory(atPath: target).sorted() == ["test", "train"])
        #expect(try manager.contentsOfDirectory(atPath: target + "/train/0_T-shirt_top").sorted() == ["train_00000.png", "train_00010.png"])
        #expect(try manager.contentsOfDirectory(atPath: target + "/train/9_Ankle_boot").sorted() == ["train_00009.png", "train_00011.png"])
        #expect(try manager.contentsOfDirectory(atPath: target + "/test/9_Ankle_boot") == ["test_00000.png"])
        #expect(try manager.contentsOfDirectory(atPath: target + "/test/0_T-shirt_top") == ["test_00004.png"])
        #expect(try manager.contentsOfDirectory(atPath: target + "/test/1_Trouser").isEmpty)

        // The PNGs hold the IDX pixels exactly.
        let decoded = try ImageDecoder(options: DecodeOptions(colorMode: .original))
            .decode(fileAt: target + "/train/3_Dress/train_00003.png").image.eightBit
        #expect(decoded.width == 28 && decoded.height == 28 && decoded.channels == 1)
        #expect(decoded.pixels == Array(Self.pixels(count: 12)[3 * 784..<4 * 784]))

        // The export is a class-folder dataset in label order.
        let dataset = try ImageDataset.index(directory: target + "/train")
        #expect(dataset.classNames == FashionMNIST.folderNames)
        #expect(dataset.samples.map(\.label) == [0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9])

        // Nothing but the target beside it (the staging folder is gone).
        #expect(try manager.contentsOfDirectory(atPath: output.path) == ["fashion"])

        // Exporting onto an existing folder refuses and leaves it alone.
        do {
            try FashionMNIST.export(to: target, from: source.path, threads: 2)
            Issue.record("expected an already-exists error")
        } catch let error as CocoaError {
            #expect(error.code == .fileWriteFileExists)
            #expect((error.userInfo[NSLocalizedDescriptionKey] as? String)?.contains("already exists") == true)
        }
        #expect(try manager.contentsOfDirectory(atPath: target + "/train/0_T-shirt_top").count == 2)
    }

    @Test func exportFromMissingSourceLeavesNothingBehind() throws {
        let output = TemporaryDirectory()
        defer { output.remove() }
        let target = output.path + "/fashion"
        #expect(throws: FashionMNIST.LoadError.self) {
            try FashionMNIST.export(to: target, from: output.path + "/no-source", threads: 1)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).isEmpty)
    }
}
