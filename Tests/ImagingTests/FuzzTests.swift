import Foundation
import Imaging
import Testing

/// Deterministic mutation fuzzing of every decoder: each fixture input is mutated with a
/// fixed-seed generator (bit flips, truncations, header overwrites, duplicated chunks) and
/// fed to `header(of:)`, `validate(_:depth: .full)` and `decode(_:)`. Every call must
/// return or throw an `ImageError`/`ImageFileError`; a trap ends the (child) process.
///
/// Each input runs in a child process (an exit test) that logs every case before running it,
/// so a crash fails only that input's case and reports the exact mutant.
/// `INVARIANT_FUZZ_MUTANTS=N` changes the number of mutants per input (default 150).
@Suite struct FuzzTests {
    static let pixelLimit = 4_000_000
    static let mutantsPerInput = ProcessInfo.processInfo.environment["INVARIANT_FUZZ_MUTANTS"].flatMap(Int.init) ?? 150

    /// SplitMix64: tiny, fixed and platform-independent.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { bound <= 1 ? 0 : Int(next() % UInt64(bound)) }
    }

    /// One mutant and a description that reproduces it.
    static func mutate(_ original: [UInt8], _ random: inout SplitMix) -> (bytes: [UInt8], description: String) {
        var bytes = original
        let interesting: [UInt8] = [0x00, 0xFF, 0x7F, 0x80, 0x01, 0xFE]
        switch random.below(5) {
        case 0:
            let flips = 1 + random.below(8)
            var positions: [Int] = []
            for _ in 0..<flips {
                let at = random.below(bytes.count)
                bytes[at] ^= UInt8(1 << random.below(8))
                positions.append(at)
            }
            return (bytes, "bit flips at \(positions)")
        case 1:
            let cut = random.below(bytes.count)
            return (Array(bytes.prefix(cut)), "truncated to \(cut) bytes")
        case 2:
            let writes = 1 + random.below(4)
            var edits: [String] = []
            for _ in 0..<writes {
                let at = random.below(min(64, bytes.count))
                let value = random.below(2) == 0 ? interesting[random.below(interesting.count)] : UInt8(random.below(256))
                bytes[at] = value
                edits.append("[\(at)]=0x\(String(value, radix: 16))")
            }
            return (bytes, "header bytes " + edits.joined(separator: " "))
        case 3:
            let start = random.below(bytes.count)
            let length = 1 + random.below(min(256, bytes.count - start))
            let insertAt = random.below(bytes.count + 1)
            bytes.insert(contentsOf: original[start..<start + length], at: insertAt)
            return (bytes, "duplicated bytes \(start)..<\(start + length) inserted at \(insertAt)")
        default:
            // Overwrite a random run with random bytes (damaged compressed data).
            let start = random.below(bytes.count)
            let length = 1 + random.below(min(32, bytes.count - start))
            for i in start..<start + length { bytes[i] = UInt8(random.below(256)) }
            return (bytes, "random bytes over \(start)..<\(start + length)")
        }
    }

    static var inputs: [String] {
        let directory = Fixtures.folder.url("inputs").path
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }

    /// Runs the mutants of one input, writing each case to `trace` before it runs, so the
    /// last line names the case that crashed. Exits with status 3 on an error that is not an
    /// `ImageError`/`ImageFileError`.
    static func fuzz(_ name: String, mutants: Int = mutantsPerInput, trace: FileHandle) -> (returned: Int, threw: Int) {
        let original = Fixtures.bytes("inputs/" + name)
        let decoder = ImageDecoder(options: DecodeOptions(pixelLimit: pixelLimit))
        // Every input gets its own stream, so one input's mutants do not depend on the others.
        let nameHash = name.utf8.reduce(UInt64(5381)) { $0 &* 33 &+ UInt64($1) }
        var random = SplitMix(state: 0x1A2B_3C4D_5E6F_7788 ^ nameHash)
        var outcomes = (returned: 0, threw: 0)
        for mutant in 0..<mutants {
            let (bytes, description) = mutate(original, &random)
            let label = "\(name) mutant \(mutant): \(description)"
            let data = Data(bytes)
            for (call, run) in [
                ("header", { _ = try ImageDecoder.header(of: data) }),
                ("validate", { _ = try data.withUnsafeBytes {
                    try ImageDecoder.validate($0, depth: .full, pixelLimit: pixelLimit) } }),
                ("decode", { _ = try decoder.decode(data) }),
            ] as [(String, () throws -> Void)] {
                trace.write(Data("\(call) of \(label)\n".utf8))
                do {
                    try run()
                    outcomes.returned += 1
                } catch is ImageError {
                    outcomes.threw += 1
                } catch is ImageFileError {
                    outcomes.threw += 1
                } catch {
                    trace.write(Data("FOREIGN ERROR \(type(of: error)): \(error)\n".utf8))
                    exit(3)
                }
            }
        }
        trace.write(Data("DONE returned \(outcomes.returned) threw \(outcomes.threw)\n".utf8))
        return outcomes
    }

    /// Each input's mutants run in a child process (an exit test), so a trap fails this case
    /// and names the reproducing mutant instead of killing the whole test run. (Before the
    /// NetpbmDecoder clamp fix, ascii.pgm/ascii.ppm mutants trapped here; reduced in
    /// `NetpbmRegressionTests`.)
    @Test(arguments: inputs)
    func decodersSurviveMutants(of name: String) async throws {
        // The unmutated file must decode: the fuzzing starts from valid inputs.
        #expect(throws: Never.self) { try ImageDecoder().decode(Fixtures.data("inputs/" + name)) }
        let tracePath: String = FileManager.default.temporaryDirectory
            .appendingPathComponent("invariant-fuzz-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: tracePath) }
        await #expect(processExitsWith: .success, "mutants of \(name)") { [name = name as String, tracePath = tracePath as String] in
            _ = FileManager.default.createFile(atPath: tracePath, contents: nil)
            guard let trace = FileHandle(forWritingAtPath: tracePath) else { exit(4) }
            _ = FuzzTests.fuzz(name, trace: trace)
            try? trace.close()
        }
        let lines = ((try? String(contentsOfFile: tracePath, encoding: .utf8)) ?? "").split(separator: "\n")
        guard let last = lines.last else { Issue.record("\(name): no trace written"); return }
        if last.hasPrefix("DONE") {
            // Mutants both decode (e.g. flipped pixel bits) and fail: the mutations reach the decoders.
            #expect(!last.contains("returned 0 ") && !last.hasSuffix("threw 0"), "\(name): \(last)")
        } else {
            Issue.record("\(name): the child process stopped at: \(last)")
        }
    }

    /// The trace of a run must be reproducible: the generator and mutations are fixed.
    @Test func mutationsAreDeterministic() {
        let source = [UInt8](0..<200)
        var a = SplitMix(state: 42), b = SplitMix(state: 42)
        for _ in 0..<50 {
            let x = Self.mutate(source, &a), y = Self.mutate(source, &b)
            #expect(x.bytes == y.bytes && x.description == y.description)
        }
    }
}
