import Foundation
import Imaging
import InvariantCore

extension ImageDataset {
    /// Indexes and validates the class folders under `directory`.
    ///
    /// Throws `DatasetError` only when the directory itself is unusable; files that cannot
    /// be read are reported in `problems` (or, with the strict policy, thrown all together).
    public static func index(directory: String, options: IndexOptions = IndexOptions()) throws -> ImageDataset {
        let root = directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        switch FileKind.of(root, followingLinks: true) {
        case .missing: throw DatasetError.missingDirectory(root)
        case .directory: break
        default: throw DatasetError.notADirectory(root)
        }
        var walker = DirectoryWalker(root: root, options: options)
        walker.markVisited(root)  // a link back to the root is a loop, not more classes
        let entries = try walker.list(root)
        var classFolders: [String] = []
        for name in entries {
            let path = root + "/" + name
            if name.hasPrefix(".") {
                walker.hidden.append(name)
            } else if FileKind.of(path, followingLinks: true) == .directory {
                classFolders.append(name)
            } else {
                walker.ignored.append(name)
            }
        }
        let classNames = options.classOrder.sorted(classFolders)
        if case .explicit(let requested) = options.classOrder {
            let missing = requested.filter { !classFolders.contains($0) }
            if !missing.isEmpty { throw DatasetError.unknownClasses(root, missing) }
        }
        let unlisted = classFolders.filter { !classNames.contains($0) }.sorted(by: codePointLess)
        guard !classNames.isEmpty else { throw DatasetError.noClassFolders(root) }

        // Every class folder is marked before any is walked, so a link from one class into
        // another is reported instead of giving the other class's images a second label.
        for name in classNames { walker.markVisited(root + "/" + name) }
        var candidates: [(relativePath: String, label: Int)] = []
        for (label, name) in classNames.enumerated() {
            for file in try walker.imageFiles(in: name) { candidates.append((file, label)) }
        }
        let results = parallelMap(candidates.count, threads: options.threads) { i -> Result<ImageHeader, ImageError> in
            let path = root + "/" + candidates[i].relativePath
            return Result { try validateFile(at: path, options: options) }.mapError { error in
                (error as? ImageError) ?? (error as? ImageFileError)?.reason ?? .unreadable("\(error)")
            }
        }
        var samples: [Sample] = []
        var problems = walker.unlistable
        for (candidate, result) in zip(candidates, results) {
            let path = root + "/" + candidate.relativePath
            switch result {
            case .success(let header):
                samples.append(Sample(path: path, relativePath: candidate.relativePath, label: candidate.label, header: header))
            case .failure(let error):
                problems.append(FileProblem(path: path, reason: error.description))
            }
        }
        if options.policy == .strict && !problems.isEmpty { throw DatasetError.invalidFiles(root, problems) }
        guard !samples.isEmpty else {
            if !problems.isEmpty { throw DatasetError.invalidFiles(root, problems) }
            throw DatasetError.noImages(root, classes: classNames)
        }
        return ImageDataset(root: root, classNames: classNames, samples: samples, problems: problems,
                            hiddenPaths: walker.hidden, ignoredFiles: walker.ignored, skippedLinks: walker.skippedLinks,
                            unlistedFolders: unlisted)
    }

    private static func validateFile(at path: String, options: IndexOptions) throws -> ImageHeader {
        let data = try ImageDecoder.readFile(path)
        return try data.withUnsafeBytes { bytes in
            try ImageDecoder.validate(bytes, depth: options.depth, pixelLimit: options.pixelLimit)
        }
    }
}

/// What a path is, by `stat` (following links) or `lstat`.
enum FileKind: Equatable {
    case missing, directory, regularFile, symbolicLink, other

    static func of(_ path: String, followingLinks: Bool) -> FileKind {
        var info = stat()
        let status = followingLinks ? stat(path, &info) : lstat(path, &info)
        guard status == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFREG: return .regularFile
        case S_IFLNK: return .symbolicLink
        default: return .other
        }
    }

    /// Device and inode, identifying a directory however it was reached.
    static func identity(_ path: String) -> [UInt64]? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return [UInt64(info.st_dev), UInt64(info.st_ino)]
    }
}

/// Recursive listing below the class folders, in Keras's order: directories sorted by
/// path, files sorted by name within each directory.
struct DirectoryWalker {
    let root: String
    let options: IndexOptions
    var hidden: [String] = []
    var ignored: [String] = []
    var skippedLinks: [FileProblem] = []
    /// Folders below the classes that could not be listed (their images are missing).
    var unlistable: [FileProblem] = []
    private var visited: Set<[UInt64]> = []

    init(root: String, options: IndexOptions) {
        self.root = root
        self.options = options
    }

    func list(_ path: String) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: path).sorted(by: codePointLess)
        } catch {
            throw DatasetError.unreadableDirectory(path, (error as NSError).localizedFailureReason ?? "\(error)")
        }
    }

    mutating func markVisited(_ path: String) {
        if let identity = FileKind.identity(path) { visited.insert(identity) }
    }

    /// Relative paths (from the root) of accepted image files below `folder`.
    mutating func imageFiles(in folder: String) throws -> [String] {
        var directories = [folder]
        var files: [(directory: String, name: String)] = []
        var index = 0
        while index < directories.count {
            let directory = directories[index]
            index += 1
            let names: [String]
            do { names = try list(root + "/" + directory) } catch {
                unlistable.append(FileProblem(path: root + "/" + directory, reason: "cannot list folder: \(error)"))
                continue
            }
            for name in names {
                let relative = directory + "/" + name
                let path = root + "/" + relative
                if name.hasPrefix(".") {
                    hidden.append(relative)
                    continue
                }
                let isLink = FileKind.of(path, followingLinks: false) == .symbolicLink
                switch FileKind.of(path, followingLinks: true) {
                case .directory:
                    if isLink && !options.followsSymlinks {
                        skippedLinks.append(FileProblem(path: path, reason: "symbolic link to a folder (not followed; enable following links)"))
                    } else if let identity = FileKind.identity(path), visited.contains(identity) {
                        skippedLinks.append(FileProblem(path: path, reason: "symbolic link loop (folder already visited)"))
                    } else {
                        if let identity = FileKind.identity(path) { visited.insert(identity) }
                        directories.append(relative)
                    }
                case .regularFile:
                    let ext = (name as NSString).pathExtension.lowercased()
                    if options.extensions.contains(ext) { files.append((directory, name)) } else { ignored.append(relative) }
                case .missing where isLink:
                    skippedLinks.append(FileProblem(path: path, reason: "broken symbolic link"))
                default:
                    ignored.append(relative)
                }
            }
        }
        files.sort { a, b in
            a.directory == b.directory ? codePointLess(a.name, b.name) : codePointLess(a.directory, b.directory)
        }
        return files.map { $0.directory + "/" + $0.name }
    }
}
