import CZlib
import Foundation
import Imaging
import InvariantCore

/// Fashion-MNIST (Xiao, Rasul & Vollgraf, 2017): 28×28 grayscale images of 10 kinds of
/// clothing, 60 000 for training and 10 000 for testing, read from the IDX files that
/// Debian's `dataset-fashion-mnist` package installs.
public enum FashionMNIST {
    public static let defaultDirectory = "/usr/share/datasets/fashion-mnist"

    /// The classes, in label order.
    public static let classNames = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

    /// Folder names for the export: the label first so that sorted folder names keep the
    /// original label order, and no `/` (e.g. `0_T-shirt_top`, `9_Ankle_boot`).
    public static let folderNames = classNames.enumerated().map { index, name in
        "\(index)_" + name.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: " ", with: "_")
    }

    public enum Split: String, Sendable, CaseIterable {
        case train, test
        var filePrefix: String { self == .train ? "train" : "t10k" }
    }

    /// Images (N × 28 × 28 bytes, row-major) and labels of one split.
    public struct Images: Sendable {
        public var pixels: [UInt8]
        public var labels: [UInt8]
        public var count: Int { labels.count }
        public static let width = 28, height = 28

        public func image(_ index: Int) -> Image<UInt8> {
            let size = Images.width * Images.height
            return Image(width: Images.width, height: Images.height, channels: 1,
                         pixels: Array(pixels[index * size..<(index + 1) * size]))
        }
    }

    public enum LoadError: Error, CustomStringConvertible {
        case missingFile(String)
        case malformed(String, String)

        public var description: String {
            switch self {
            case .missingFile(let path):
                return "\(path): not found; install Debian's dataset-fashion-mnist package (make setup does)"
            case .malformed(let path, let reason):
                return "\(path): not a valid IDX file: \(reason)"
            }
        }
    }

    public static func load(_ split: Split, directory: String = defaultDirectory) throws -> Images {
        let images = try readIDX(directory + "/\(split.filePrefix)-images-idx3-ubyte.gz", dimensions: 3)
        let labels = try readIDX(directory + "/\(split.filePrefix)-labels-idx1-ubyte.gz", dimensions: 1)
        guard images.shape.count == 3, images.shape[1] == 28, images.shape[2] == 28, labels.shape[0] == images.shape[0] else {
            throw LoadError.malformed(directory, "image shape \(images.shape) does not match label shape \(labels.shape)")
        }
        if let bad = labels.data.first(where: { $0 >= classNames.count }) {
            throw LoadError.malformed(directory, "label \(bad) outside 0…9")
        }
        return Images(pixels: images.data, labels: labels.data)
    }

    /// Reads a gzip-compressed IDX file of unsigned bytes (magic 0x00 0x00 0x08 dims).
    static func readIDX(_ path: String, dimensions: Int) throws -> (shape: [Int], data: [UInt8]) {
        guard FileManager.default.fileExists(atPath: path) else { throw LoadError.missingFile(path) }
        guard let file = gzopen(path, "rb") else { throw LoadError.malformed(path, "cannot open") }
        defer { gzclose(file) }
        func read(_ count: Int) throws -> [UInt8] {
            var buffer = [UInt8](repeating: 0, count: count)
            var filled = 0
            while filled < count {
                let n = buffer.withUnsafeMutableBytes { gzread(file, $0.baseAddress! + filled, UInt32(count - filled)) }
                if n <= 0 { throw LoadError.malformed(path, "ends after \(filled) of \(count) bytes") }
                filled += Int(n)
            }
            return buffer
        }
        let magic = try read(4)
        guard magic[0] == 0, magic[1] == 0, magic[2] == 0x08, Int(magic[3]) == dimensions else {
            throw LoadError.malformed(path, "magic \(magic) is not unsigned-byte data of \(dimensions) dimensions")
        }
        let shapeBytes = try read(4 * dimensions)
        let shape = (0..<dimensions).map { d in
            (0..<4).reduce(0) { $0 << 8 | Int(shapeBytes[d * 4 + $1]) }
        }
        // Checked before reading: the shape comes from the file and sizes the allocation.
        guard shape.allSatisfy({ $0 > 0 && $0 <= 1 << 20 }), shape.reduce(1, *) <= 1 << 27 else {
            throw LoadError.malformed(path, "implausible shape \(shape)")
        }
        let count = shape.reduce(1, *)
        return (shape, try read(count))
    }

    /// Writes both splits as class folders of PNG files: `DIR/train/<class>/train_00000.png`
    /// and `DIR/test/<class>/test_00000.png`, numbered in the original order. The export is
    /// built in a staging folder beside DIR (`.DIR.partial`, removed first if an earlier
    /// export was interrupted), flushed to disk, and renamed into place, so DIR never holds a
    /// half-written export.
    @discardableResult
    public static func export(to directory: String, from source: String = defaultDirectory,
                              threads: Int = availableCores) throws -> [Split: Int] {
        let target = URL(fileURLWithPath: directory)
        if FileManager.default.fileExists(atPath: target.path) {
            throw CocoaError(.fileWriteFileExists, userInfo: [NSFilePathErrorKey: target.path,
                NSLocalizedDescriptionKey: "\(target.path) already exists; remove it or choose another folder"])
        }
        let parent = target.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).partial")
        try? FileManager.default.removeItem(at: staging)
        var counts: [Split: Int] = [:]
        do {
            for split in Split.allCases {
                let images = try load(split, directory: source)
                for folder in folderNames {
                    try FileManager.default.createDirectory(at: staging.appendingPathComponent("\(split.rawValue)/\(folder)"),
                                                            withIntermediateDirectories: true)
                }
                let failures = parallelMap(images.count, threads: threads) { index -> String? in
                    let name = String(format: "%@_%05d.png", split.rawValue, index)
                    let url = staging.appendingPathComponent("\(split.rawValue)/\(folderNames[Int(images.labels[index])])/\(name)")
                    do {
                        try ImageEncoder.png(images.image(index), compressionLevel: 1).writeUnsynced(toPath: url.path)
                        return nil
                    } catch {
                        return "\(url.path): \(error)"
                    }
                }
                if let failure = failures.compactMap({ $0 }).first {
                    throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: failure])
                }
                counts[split] = images.count
            }
            sync()  // the files were written unsynced; make them durable before they become visible
            try FileManager.default.moveItem(at: staging, to: target)
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
        return counts
    }
}
