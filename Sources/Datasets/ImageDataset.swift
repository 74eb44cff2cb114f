import Foundation
import Imaging
import InvariantCore

/// One image file of a dataset and its class.
public struct Sample: Hashable, Sendable {
    /// Path of the file (the dataset root joined with the relative path).
    public var path: String
    /// Path below the dataset root, e.g. `cats/cat.1.jpg`.
    public var relativePath: String
    /// Index into the dataset's `classNames`.
    public var label: Int
    /// What the file's header says (format, stored size, channels, orientation).
    public var header: ImageHeader

    public init(path: String, relativePath: String, label: Int, header: ImageHeader) {
        self.path = path
        self.relativePath = relativePath
        self.label = label
        self.header = header
    }
}

/// What to do with files that fail validation.
public enum ValidationPolicy: String, Sendable, CaseIterable {
    /// Leave them out and report them (Keras would crash mid-epoch instead).
    case skip
    /// Refuse the dataset, listing every problem.
    case strict
}

/// Options for indexing a class-per-folder directory.
public struct IndexOptions: Sendable {
    public var classOrder: ClassOrder
    /// Descend into symbolically linked directories (each directory is visited once, so
    /// links that loop are reported instead of followed forever).
    public var followsSymlinks: Bool
    /// Accepted file extensions, lower case, without the dot.
    public var extensions: Set<String>
    public var policy: ValidationPolicy
    public var depth: ValidationDepth
    public var pixelLimit: Int?
    /// Threads reading headers.
    public var threads: Int

    public init(classOrder: ClassOrder = .codePoint, followsSymlinks: Bool = false,
                extensions: Set<String> = ImageDataset.defaultExtensions, policy: ValidationPolicy = .skip,
                depth: ValidationDepth = .header, pixelLimit: Int? = DecodeOptions.defaultPixelLimit,
                threads: Int = availableCores) {
        self.classOrder = classOrder
        self.followsSymlinks = followsSymlinks
        self.extensions = extensions
        self.policy = policy
        self.depth = depth
        self.pixelLimit = pixelLimit
        self.threads = threads
    }
}

/// A class-per-folder image dataset (what Keras's `flow_from_directory` reads): classes are
/// the immediate subdirectories of the root, images are found recursively below them, and
/// every image was validated when the dataset was indexed.
public struct ImageDataset: Sendable {
    /// Keras's accepted extensions plus WebP and GIF.
    public static let defaultExtensions: Set<String> = ["png", "jpg", "jpeg", "bmp", "ppm", "tif", "tiff", "webp", "gif"]

    public var root: String
    public var classNames: [String]
    /// Valid images, class by class, each class in Keras's file order.
    public var samples: [Sample]
    /// Image files that failed validation (left out of `samples`).
    public var problems: [FileProblem]
    /// Hidden files and folders (names starting with `.`), skipped.
    public var hiddenPaths: [String]
    /// Files without an accepted extension, and files directly in the root.
    public var ignoredFiles: [String]
    /// Symbolic links to directories that were not followed (or that loop), with why.
    public var skippedLinks: [FileProblem]
    /// Folders in the root that are not among the requested classes.
    public var unlistedFolders: [String]

    /// The number of samples of each class, in class order.
    public var classCounts: [Int] {
        var counts = [Int](repeating: 0, count: classNames.count)
        for sample in samples { counts[sample.label] += 1 }
        return counts
    }

    /// Keras's line, then what was left out.
    public var summary: String {
        var text = "Found \(samples.count) images belonging to \(classNames.count) classes."
        var extras: [String] = []
        if !problems.isEmpty { extras.append("\(problems.count) unreadable skipped") }
        if !hiddenPaths.isEmpty { extras.append("\(hiddenPaths.count) hidden skipped") }
        if !ignoredFiles.isEmpty { extras.append("\(ignoredFiles.count) other files ignored") }
        if !skippedLinks.isEmpty { extras.append("\(skippedLinks.count) linked folders not followed") }
        if !extras.isEmpty { text += " (" + extras.joined(separator: ", ") + ")" }
        return text
    }

    /// A dataset with the same classes and only the given samples.
    public func subset(_ samples: [Sample]) -> ImageDataset {
        var copy = self
        copy.samples = samples
        return copy
    }
}
