import Foundation
import Learning
import Tensors
import Testing

/// The TensorBoard writer: framing, checksums and the events' contents, read back by a small
/// independent reader of TFRecords and the `Event` protocol buffer.
@Suite struct TensorBoardTests {
    /// The CRC-32C check value (RFC 3720 appendix B.4 and the Castagnoli catalogue).
    @Test func crc32cKnownAnswers() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
    }

    @Test func epochScalarsGoToTrainAndValidationRuns() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let model = try smallModel()
        model.compile(optimizer: Adam(learningRate: 0.01))
        let data = quadrantImages(count: 32, seed: 30)
        let batches = TensorBatches(images: data.images, labels: data.labels, batchSize: 16)
        let history = try model.fit(batches, validationData: batches, epochs: 2,
                                    callbacks: [TensorBoard(logDirectory: folder.url("logs"))], verbose: .silent)

        let train = try EventFileReader.events(inRun: folder.url("logs/train"))
        #expect(train.first?.fileVersion == "brain.Event:2")
        #expect(train.dropFirst().map(\.tag) == ["epoch_loss", "epoch_accuracy", "epoch_learning_rate",
                                                 "epoch_loss", "epoch_accuracy", "epoch_learning_rate"])
        #expect(train.dropFirst().map(\.step) == [0, 0, 0, 1, 1, 1])
        #expect(train.filter { $0.tag == "epoch_loss" }.map(\.value) == history["loss"]!.map { Float($0) })
        let validation = try EventFileReader.events(inRun: folder.url("logs/validation"))
        #expect(validation.dropFirst().map(\.tag) == ["epoch_loss", "epoch_accuracy", "epoch_loss", "epoch_accuracy"])
        #expect(validation.filter { $0.tag == "epoch_accuracy" }.map(\.value) == history["val_accuracy"]!.map { Float($0) })
    }
}

/// Reads back what `EventFileWriter` wrote, checking every record's framing and checksums.
enum EventFileReader {
    struct Event {
        var wallTime = 0.0, step = 0, fileVersion: String?, tag: String?, value: Float?
    }

    struct Malformed: Error, CustomStringConvertible { let description: String }

    static func events(inRun directory: URL) throws -> [Event] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        guard files.count == 1, let name = files.first, name.hasPrefix("events.out.tfevents.") else {
            throw Malformed(description: "expected one event file in \(directory.path), found \(files)")
        }
        let bytes = [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
        var events: [Event] = [], offset = 0
        func littleEndian(_ count: Int) -> UInt64 {
            defer { offset += count }
            return (0..<count).reduce(0) { $0 | UInt64(bytes[offset + $1]) << (8 * $1) }
        }
        while offset < bytes.count {
            let lengthBytes = Array(bytes[offset..<offset + 8])
            let length = Int(littleEndian(8))
            guard UInt32(littleEndian(4)) == CRC32C.masked(lengthBytes) else { throw Malformed(description: "length CRC") }
            let data = Array(bytes[offset..<offset + length])
            offset += length
            guard UInt32(littleEndian(4)) == CRC32C.masked(data) else { throw Malformed(description: "data CRC") }
            events.append(try event(data))
        }
        return events
    }

    /// The fields of `Event` and its nested `Summary.Value` that the writer uses.
    static func event(_ data: [UInt8]) throws -> Event {
        var event = Event()
        try fields(data) { field, payload, number in
            switch field {
            case 1: event.wallTime = Double(bitPattern: number)
            case 2: event.step = Int(number)
            case 3: event.fileVersion = String(decoding: payload, as: UTF8.self)
            case 5:
                try fields(payload) { _, value, _ in
                    try fields(value) { field, payload, number in
                        if field == 1 { event.tag = String(decoding: payload, as: UTF8.self) }
                        if field == 2 { event.value = Float(bitPattern: UInt32(number)) }
                    }
                }
            default: throw Malformed(description: "unexpected field \(field)")
            }
        }
        return event
    }

    /// Calls `visit(field, length-delimited payload, fixed or varint number)` for each field.
    static func fields(_ data: [UInt8], _ visit: (Int, [UInt8], UInt64) throws -> Void) throws {
        var offset = 0
        func varint() -> UInt64 {
            var value: UInt64 = 0, shift: UInt64 = 0
            while true {
                let byte = data[offset]
                offset += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
        }
        func fixed(_ count: Int) -> UInt64 {
            defer { offset += count }
            return (0..<count).reduce(0) { $0 | UInt64(data[offset + $1]) << (8 * $1) }
        }
        while offset < data.count {
            let key = varint()
            switch key & 7 {
            case 0: try visit(Int(key >> 3), [], varint())
            case 1: try visit(Int(key >> 3), [], fixed(8))
            case 5: try visit(Int(key >> 3), [], fixed(4))
            case 2:
                let length = Int(varint())
                let payload = Array(data[offset..<offset + length])
                offset += length
                try visit(Int(key >> 3), payload, 0)
            default: throw Malformed(description: "wire type \(key & 7)")
            }
        }
    }
}
