import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes files so that an interrupted run never leaves a half-written one behind: the
/// bytes go to a temporary file in the same directory, which is then renamed into place.
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        do {
            try data.write(to: temporary)
            if rename(temporary.path, url.path) != 0 {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
            }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }
}

extension Data {
    /// Writes the bytes with plain POSIX calls and no fsync — for the many small files of an
    /// export that is itself made atomic by building it in a staging folder (Foundation's
    /// `write(to:)` syncs every file, which costs more than encoding them).
    public func writeUnsynced(toPath path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard descriptor >= 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path,
                NSLocalizedDescriptionKey: "\(path): cannot create file: \(String(cString: strerror(errno)))"])
        }
        defer { close(descriptor) }
        try withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path,
                        NSLocalizedDescriptionKey: "\(path): write failed: \(String(cString: strerror(errno)))"])
                }
                offset += written
            }
        }
    }
}
