/// Why a dataset directory cannot be used at all. Problems with single files are not
/// errors: they are collected as `FileProblem`s.
public enum DatasetError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingDirectory(String)
    case notADirectory(String)
    case unreadableDirectory(String, String)
    case noClassFolders(String)
    case unknownClasses(String, [String])
    case noImages(String, classes: [String])
    case invalidFiles(String, [FileProblem])
    case invalidSplit(String)
    case invalidOption(String)

    static let expectedLayout = "expected DIR/<class>/<image>, one subdirectory per class"

    public var description: String {
        switch self {
        case .missingDirectory(let path):
            return "\(path): no such directory (\(DatasetError.expectedLayout))"
        case .notADirectory(let path):
            return "\(path): is a file, not a directory (\(DatasetError.expectedLayout))"
        case .unreadableDirectory(let path, let reason):
            return "\(path): cannot list directory: \(reason)"
        case .noClassFolders(let path):
            return "\(path): no class folders found (\(DatasetError.expectedLayout))"
        case .unknownClasses(let path, let names):
            return "\(path): no folder for class\(names.count == 1 ? "" : "es") \(names.joined(separator: ", "))"
        case .noImages(let path, let classes):
            return "\(path): no images in any of the \(classes.count) class folders (\(classes.prefix(5).joined(separator: ", "))"
                + "\(classes.count > 5 ? ", …" : "")); accepted extensions: \(ImageDataset.defaultExtensions.sorted().joined(separator: ", "))"
        case .invalidFiles(let path, let problems):
            let list = problems.map { "  \($0)" }.joined(separator: "\n")
            return "\(path): \(problems.count) unreadable image\(problems.count == 1 ? "" : "s") (strict validation):\n\(list)"
        case .invalidSplit(let reason):
            return "invalid validation split: \(reason)"
        case .invalidOption(let reason):
            return reason
        }
    }
}

/// A file that was found but cannot be used, with the reason.
public struct FileProblem: Hashable, Sendable, Codable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}
