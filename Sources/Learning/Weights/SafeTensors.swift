import Foundation
import InvariantCore
import Tensors

/// The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON
/// header `{"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {…}}`
/// padded with spaces to a multiple of 8 bytes, then the tensors' little-endian bytes.
///
/// Written natively: tensors sorted by name, offsets tiling the data with no gaps. Read with
/// every offset validated, so a malformed file is an error naming the problem, never a crash.
public enum SafeTensors {
    /// The tensors of a file and its string metadata.
    public struct Contents {
        public var tensors: [String: Tensor]
        public var metadata: [String: String]

        public init(tensors: [String: Tensor], metadata: [String: String] = [:]) {
            self.tensors = tensors
            self.metadata = metadata
        }
    }

    /// Why a file is not a readable safetensors file.
    public struct FormatError: Error, CustomStringConvertible, Equatable {
        public var path: String
        public var reason: String
        public var description: String { "\(path): not a valid safetensors file: \(reason)" }
    }

    /// The header is limited to 100 MB, as the reference implementation limits it.
    static let maximumHeaderSize = 100_000_000

    public static func encode(_ contents: Contents) throws -> Data {
        var header: [String: Any] = [:]
        if !contents.metadata.isEmpty { header["__metadata__"] = contents.metadata }
        var offset = 0
        let names = contents.tensors.keys.sorted()
        for name in names {
            let tensor = contents.tensors[name]!
            let size = tensor.scalarCount * MemoryLayout<Float>.size
            header[name] = ["dtype": "F32", "shape": tensor.shape, "data_offsets": [offset, offset + size]] as [String: Any]
            offset += size
        }
        var headerBytes = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        headerBytes.append(contentsOf: Array(repeating: UInt8(ascii: " "), count: (8 - headerBytes.count % 8) % 8))
        var data = Data(capacity: 8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(headerBytes)
        for name in names {
            contents.tensors[name]!.withUnsafeBufferPointer { scalars in
                // Little-endian on every platform Swift runs on Linux (x86-64, arm64).
                data.append(UnsafeBufferPointer(start: UnsafeRawPointer(scalars.baseAddress)?.assumingMemoryBound(to: UInt8.self),
                                                count: scalars.count * MemoryLayout<Float>.size))
            }
        }
        return data
    }

    public static func decode(_ data: Data, path: String = "<data>") throws -> Contents {
        func fail(_ reason: String) -> FormatError { FormatError(path: path, reason: reason) }
        guard data.count >= 8 else { throw fail("\(data.count) bytes, shorter than the 8-byte header length") }
        let headerLength = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(maximumHeaderSize) else { throw fail("header length \(headerLength) is over 100 MB") }
        guard 8 + Int(headerLength) <= data.count else {
            throw fail("header length \(headerLength) runs past the end of the file (\(data.count) bytes)")
        }
        let headerData = data.subdata(in: (data.startIndex + 8)..<(data.startIndex + 8 + Int(headerLength)))
        guard let header = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any] else {
            throw fail("the header is not a JSON object")
        }
        let body = data.subdata(in: (data.startIndex + 8 + Int(headerLength))..<data.endIndex)
        var metadata: [String: String] = [:]
        if let raw = header["__metadata__"] {
            guard let values = raw as? [String: Any], let strings = values as? [String: String] else {
                throw fail("__metadata__ must map names to strings")
            }
            metadata = strings
        }
        var tensors: [String: Tensor] = [:]
        var ranges: [(Int, Int, String)] = []
        for (name, entry) in header where name != "__metadata__" {
            guard let entry = entry as? [String: Any], let dtype = entry["dtype"] as? String,
                  let shape = (entry["shape"] as? [Any])?.map({ ($0 as? NSNumber)?.intValue ?? -1 }),
                  let offsets = (entry["data_offsets"] as? [Any])?.map({ ($0 as? NSNumber)?.intValue ?? -1 }),
                  offsets.count == 2 else {
                throw fail("tensor '\(name)' needs dtype, shape and data_offsets [begin, end]")
            }
            guard shape.allSatisfy({ $0 >= 0 }) else { throw fail("tensor '\(name)' has a negative or non-integer extent in \(shape)") }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, begin <= end, end <= body.count else {
                throw fail("tensor '\(name)' data_offsets [\(begin), \(end)] lie outside the \(body.count)-byte data")
            }
            let count = shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
            let scalars: [Float]
            switch dtype {
            case "F32":
                guard count != Int.max, count * 4 == end - begin else {
                    throw fail("tensor '\(name)' of shape \(shape) needs \(count) F32 values, data_offsets span \(end - begin) bytes")
                }
                scalars = body.subdata(in: (body.startIndex + begin)..<(body.startIndex + end)).withUnsafeBytes { raw in
                    (0..<count).map { Float(bitPattern: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self).littleEndian) }
                }
            case "F64":
                guard count != Int.max, count * 8 == end - begin else {
                    throw fail("tensor '\(name)' of shape \(shape) needs \(count) F64 values, data_offsets span \(end - begin) bytes")
                }
                scalars = body.subdata(in: (body.startIndex + begin)..<(body.startIndex + end)).withUnsafeBytes { raw in
                    (0..<count).map { Float(Double(bitPattern: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self).littleEndian)) }
                }
            default:
                throw fail("tensor '\(name)' has dtype \(dtype); only F32 and F64 are read")
            }
            tensors[name] = Tensor(shape: shape, scalars: scalars)
            ranges.append((begin, end, name))
        }
        ranges.sort { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
        for (previous, next) in zip(ranges, ranges.dropFirst()) where next.0 < previous.1 {
            throw fail("tensors '\(previous.2)' and '\(next.2)' overlap")
        }
        return Contents(tensors: tensors, metadata: metadata)
    }

    public static func read(contentsOf url: URL) throws -> Contents {
        try decode(try Data(contentsOf: url), path: url.path)
    }

    /// Writes atomically (temporary file, then rename).
    public static func write(_ contents: Contents, to url: URL) throws {
        try AtomicFile.write(try encode(contents), to: url)
    }
}
