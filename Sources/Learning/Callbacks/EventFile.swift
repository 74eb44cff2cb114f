import Foundation

/// A TensorBoard event file (`events.out.tfevents.<time>.<host>`) written without TensorFlow:
/// TFRecord framing around hand-encoded `Event` protocol buffers.
///
/// Each record is `length (u64 LE) · masked CRC32C of the length (u32 LE) · data · masked
/// CRC32C of the data (u32 LE)` (`tensorflow/core/lib/io/record_writer.cc`). The first event
/// carries `file_version: "brain.Event:2"`; each scalar is an `Event{wall_time, step,
/// summary{value{tag, simple_value}}}` (`event.proto`, `summary.proto`).
public final class EventFileWriter {
    public let url: URL
    private let handle: FileHandle

    /// Creates `directory` if needed and a new event file in it, named as TensorFlow 2 names
    /// them (`events.out.tfevents.<time>.<host>.<pid>.<n>.v2`); an existing file is never reused.
    public init(directory: URL, wallTime: Date = Date()) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let stem = "events.out.tfevents.\(Int(wallTime.timeIntervalSince1970)).\(ProcessInfo.processInfo.hostName)."
            + "\(getpid())"
        var descriptor: Int32 = -1, attempt = 0, candidate = directory
        while descriptor < 0 && attempt < 1000 {
            candidate = directory.appendingPathComponent("\(stem).\(attempt).v2")
            descriptor = open(candidate.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            if descriptor < 0 && errno != EEXIST { break }
            attempt += 1
        }
        guard descriptor >= 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "\(candidate.path): cannot create the event file (\(String(cString: strerror(errno))))"])
        }
        url = candidate
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var version = ProtocolBuffer()
        version.append(double: wallTime.timeIntervalSince1970, field: 1)
        version.append(string: "brain.Event:2", field: 3)
        try write(record: version.bytes)
    }

    deinit { try? handle.close() }

    /// One scalar (`tf.summary.scalar(tag, value, step)`).
    public func addScalar(_ tag: String, value: Float, step: Int, wallTime: Date = Date()) throws {
        var summaryValue = ProtocolBuffer()
        summaryValue.append(string: tag, field: 1)
        summaryValue.append(float: value, field: 2)
        var summary = ProtocolBuffer()
        summary.append(message: summaryValue, field: 1)
        var event = ProtocolBuffer()
        event.append(double: wallTime.timeIntervalSince1970, field: 1)
        event.append(varint: UInt64(bitPattern: Int64(step)), field: 2)
        event.append(message: summary, field: 5)
        try write(record: event.bytes)
    }

    private func write(record data: [UInt8]) throws {
        var length = [UInt8](), framed = [UInt8]()
        length.appendLittleEndian(UInt64(data.count))
        framed += length
        framed.appendLittleEndian(CRC32C.masked(length))
        framed += data
        framed.appendLittleEndian(CRC32C.masked(data))
        try handle.write(contentsOf: framed)
    }
}

/// The few protocol-buffer wire types an event needs.
struct ProtocolBuffer {
    private(set) var bytes: [UInt8] = []

    mutating func append(varint value: UInt64, field: Int) {
        appendKey(field, wireType: 0)
        appendVarint(value)
    }

    mutating func append(double value: Double, field: Int) {
        appendKey(field, wireType: 1)
        bytes.appendLittleEndian(value.bitPattern)
    }

    mutating func append(float value: Float, field: Int) {
        appendKey(field, wireType: 5)
        bytes.appendLittleEndian(value.bitPattern)
    }

    mutating func append(string value: String, field: Int) { appendLengthDelimited(Array(value.utf8), field: field) }

    mutating func append(message: ProtocolBuffer, field: Int) { appendLengthDelimited(message.bytes, field: field) }

    private mutating func appendLengthDelimited(_ payload: [UInt8], field: Int) {
        appendKey(field, wireType: 2)
        appendVarint(UInt64(payload.count))
        bytes += payload
    }

    private mutating func appendKey(_ field: Int, wireType: UInt64) { appendVarint(UInt64(field) << 3 | wireType) }

    private mutating func appendVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }
}

/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) and TFRecord's masking.
public enum CRC32C {
    private static let table: [UInt32] = (0..<256).map { index in
        var crc = UInt32(index)
        for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        return crc
    }

    public static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }

    /// `((crc >> 15) | (crc << 17)) + 0xa282ead8`, so that a CRC stored inside data does not
    /// checksum to a constant.
    public static func masked(_ bytes: [UInt8]) -> UInt32 {
        let crc = checksum(bytes)
        return ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
    }
}

extension Array where Element == UInt8 {
    mutating func appendLittleEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
