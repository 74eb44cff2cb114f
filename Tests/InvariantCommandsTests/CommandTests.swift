import Foundation
import Imaging
import InvariantCommands
import Testing

/// The `invariant` command line: dispatch, usage errors (exit 2), failures (exit 1).
@Suite struct CommandLineTests {
    @Test func noArgumentsPrintsOverviewAndExitsTwo() {
        let result = invariant([])
        #expect(result.status == 2)
        #expect(result.output.contains("commands:"))
        for name in ["scan", "export", "bench decode", "bench loader"] { #expect(result.output.contains("  " + name)) }
        #expect(result.output.contains("Run 'invariant COMMAND --help'"))
    }

    @Test(arguments: ["--help", "-h", "help"])
    func helpExitsZero(_ flag: String) {
        let result = invariant(flag)
        #expect(result.status == 0)
        #expect(result.output.contains("commands:") && result.output.contains("scan"))
        #expect(result.error.isEmpty)
    }

    @Test func commandHelpListsOptions() {
        let result = invariant("scan", "--help")
        #expect(result.status == 0)
        #expect(result.output.hasPrefix("usage: invariant scan DIR"))
        for option in ["--json", "--strict", "--deep", "--pixel-limit N", "--classes A,B,…"] { #expect(result.output.contains(option)) }
    }

    @Test func unknownCommandExitsTwoNamingIt() {
        let result = invariant("frobnicate", "x")
        #expect(result.status == 2)
        #expect(result.error.contains("unknown command 'frobnicate'"))
        #expect(result.error.contains("scan, export, augment, preview, bench decode, bench loader, bench augment"))
        #expect(result.output.isEmpty)
        let bench = invariant("bench", "warp")
        #expect(bench.status == 2)
        #expect(bench.error.contains("unknown command 'bench warp'"))
    }

    @Test func unknownOptionExitsTwoListingAcceptedOptions() {
        let result = invariant("scan", "--bogus", "/tmp")
        #expect(result.status == 2)
        #expect(result.error.contains("unknown option --bogus"))
        #expect(result.error.contains("accepted: --json, --strict, --deep, --follow-links, --natural-order, --classes, --pixel-limit, --threads"))
    }

    @Test func scanWithoutDirectoryExitsTwo() {
        let result = invariant("scan")
        #expect(result.status == 2)
        #expect(result.error.contains("invariant scan: missing DIR"))
        let extra = invariant("scan", "a", "b")
        #expect(extra.status == 2)
        #expect(extra.error.contains("unexpected argument 'b'"))
    }

    @Test func badPixelLimitExitsTwoNamingTheOption() {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        folder.write("a/x.png", Images.png())
        for value in ["abc", "0", "-5"] {
            let result = invariant("scan", folder.path, "--pixel-limit", value)
            #expect(result.status == 2, "--pixel-limit \(value)")
            #expect(result.error.contains("--pixel-limit"))
            #expect(result.error.contains("'\(value)'"))
        }
        let missingValue = invariant("scan", folder.path, "--pixel-limit")
        #expect(missingValue.status == 2 && missingValue.error.contains("--pixel-limit needs a value"))
        let flagWithValue = invariant("scan", folder.path, "--json=yes")
        #expect(flagWithValue.status == 2 && flagWithValue.error.contains("--json is a flag"))
    }
}

@Suite struct ScanCommandTests {
    /// cats: 2 images, dogs: 3 images + 1 unreadable file.
    static func makeDataset(_ folder: TemporaryDirectory) {
        folder.write("cats/c1.png", Images.png(width: 5, height: 4))
        folder.write("cats/c2.jpg", Images.jpeg(width: 16, height: 12))
        folder.write("dogs/d1.png", Images.png(width: 5, height: 4))
        folder.write("dogs/d2.png", Images.png(width: 5, height: 4))
        folder.write("dogs/sub/d3.png", Images.png(width: 7, height: 3))
        folder.write("dogs/broken.jpg", Data("definitely not a jpeg".utf8))
        folder.write("notes.txt", Data("ignore me".utf8))
    }

    @Test func scanPrintsKerasLineAndClassCounts() {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        Self.makeDataset(folder)
        let result = invariant("scan", folder.path)
        #expect(result.status == 0)
        #expect(result.error.isEmpty)
        let lines = result.output.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("Found 5 images belonging to 2 classes.") == true)
        // The class table: index, name, count.
        let rows = lines.map { $0.split(separator: " ").map(String.init) }
        #expect(rows.contains(["0", "cats", "2"]))
        #expect(rows.contains(["1", "dogs", "3"]))
        #expect(result.output.contains("Unreadable images, skipped (1):"))
        #expect(result.output.contains(folder.path + "/dogs/broken.jpg: unknown image format"))
        #expect(result.output.contains("Formats: jpeg 1, png 4"))
    }

    @Test func scanJSONParses() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        Self.makeDataset(folder)
        let result = invariant("scan", folder.path, "--json")
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(object["imageCount"] as? Int == 5)
        #expect(object["root"] as? String == folder.path)
        #expect((object["summary"] as? String)?.hasPrefix("Found 5 images belonging to 2 classes.") == true)

        let classes = try #require(object["classes"] as? [[String: Any]])
        #expect(classes.map { $0["index"] as? Int } == [0, 1])
        #expect(classes.map { $0["name"] as? String } == ["cats", "dogs"])
        #expect(classes.map { $0["count"] as? Int } == [2, 3])

        let files = try #require(object["files"] as? [[String: Any]])
        #expect(files.map { $0["path"] as? String } == ["cats/c1.png", "cats/c2.jpg", "dogs/d1.png", "dogs/d2.png", "dogs/sub/d3.png"])
        #expect(files.map { $0["label"] as? Int } == [0, 0, 1, 1, 1])
        #expect(files.map { $0["format"] as? String } == ["png", "jpeg", "png", "png", "png"])
        #expect(files[1]["width"] as? Int == 16 && files[1]["height"] as? Int == 12)

        let problems = try #require(object["problems"] as? [[String: Any]])
        #expect(problems.count == 1)
        #expect(problems.first?["path"] as? String == folder.path + "/dogs/broken.jpg")
        #expect((problems.first?["reason"] as? String)?.hasPrefix("unknown image format") == true)
        #expect(object["ignored"] as? [String] == ["notes.txt"])
    }

    @Test func scanOptionsReachTheIndexer() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        Self.makeDataset(folder)
        let result = invariant("scan", folder.path, "--json", "--classes", "dogs,cats", "--threads", "1")
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let classes = try #require(object["classes"] as? [[String: Any]])
        #expect(classes.map { $0["name"] as? String } == ["dogs", "cats"])
        #expect(classes.map { $0["count"] as? Int } == [3, 2])
        let limited = invariant("scan", folder.path, "--json", "--pixel-limit", "25")
        let limitedObject = try #require(try JSONSerialization.jsonObject(with: Data(limited.output.utf8)) as? [String: Any])
        #expect(limitedObject["imageCount"] as? Int == 4)  // 16×12 JPEG refused, 7×3 kept
        let unknown = invariant("scan", folder.path, "--classes", "cats,fish")
        #expect(unknown.status == 1 && unknown.error.contains("no folder for class fish"))
        let duplicate = invariant("scan", folder.path, "--classes", "cats,cats")
        #expect(duplicate.status == 2 && duplicate.error.contains("--classes"))
    }

    @Test func scanOfMissingDirectoryExitsOne() {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("invariant-none-\(UUID().uuidString)").path
        let result = invariant("scan", path)
        #expect(result.status == 1)
        #expect(result.error.contains("invariant scan: \(path): no such directory"))
        #expect(result.output.isEmpty)
    }

    @Test func strictScanWithBadFileExitsOne() {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        Self.makeDataset(folder)
        folder.write("cats/empty.png", Data())
        let result = invariant("scan", folder.path, "--strict")
        #expect(result.status == 1)
        #expect(result.error.contains("2 unreadable images (strict validation)"))
        #expect(result.error.contains(folder.path + "/dogs/broken.jpg"))
        #expect(result.error.contains(folder.path + "/cats/empty.png: empty file"))
        #expect(result.output.isEmpty)
    }
}

@Suite struct BenchCommandTests {
    /// One timed pass, no minimum time, so the test stays quick.
    @Test(.timeLimit(.minutes(1)))
    func benchDecodePrintsOneJSONLine() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        for i in 0..<3 { folder.write("img\(i).jpg", Images.jpeg(width: 24, height: 18, value: UInt8(i * 40))) }
        folder.write("readme.txt", Data("not an image".utf8))
        let result = invariant("bench", "decode", folder.path, "--passes", "1", "--seconds", "0", "--size", "8")
        #expect(result.status == 0, "\(result.error)")
        let lines = result.output.split(separator: "\n")
        #expect(lines.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(object["bench"] as? String == "decode")
        #expect(object["library"] as? String == "invariant")
        #expect(object["images"] as? Int == 3)
        #expect(object["size"] as? Int == 8)
        #expect(object["jpeg"] as? String == "fast")
        let rate = try #require(object["img_per_s"] as? Double)
        #expect(rate > 0)
        #expect((object["passes"] as? Int ?? 0) >= 1)
        #expect(lines[0].hasPrefix("{\"bench\":\"decode\""))
    }

    /// Nothing to measure is a failure of the run (exit 1), not a usage mistake.
    @Test func benchDecodeOfFolderWithoutImagesFails() {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        folder.write("readme.txt", Data())
        let result = invariant("bench", "decode", folder.path, "--passes", "1")
        #expect(result.status == 1)
        #expect(result.error.contains("no images in or below \(folder.path)"))
    }

    /// Class folders work too: images are found below DIR.
    @Test func benchDecodeFindsImagesInClassFolders() {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        folder.write("cats/a.jpg", Images.jpeg(width: 20, height: 16))
        folder.write("dogs/b.png", Images.png())
        let result = invariant("bench", "decode", folder.path, "--passes", "1", "--seconds", "0", "--size", "8")
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("\"images\":2"))
    }

    @Test func benchWithoutSubcommandListsThem() {
        let help = invariant("bench", "--help")
        #expect(help.status == 0)
        #expect(help.output.contains("bench decode") && help.output.contains("bench loader"))
        #expect(invariant("bench").status == 2)
    }
}

@Suite struct PreviewCommandTests {
    /// Two classes, two images each; --n 3 takes them round-robin (a, b, a) with 2 versions.
    @Test func writesAGridOfSourcesAndVersions() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        for name in ["a/1.png", "a/2.png", "b/1.png", "b/2.png"] { folder.write(name, Images.png(width: 12, height: 10)) }
        let output = folder.path + "/grid.png"
        let result = invariant("preview", folder.path, "--spec", "hflip,rotate=10", "--n", "3", "--versions", "2",
                               "--cell", "32", "--out", output)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("3 images × 2 augmented versions"))
        let grid = try ImageDecoder().decode(fileAt: output).image
        // Margin 8, three columns of 32 + 8, a 26-point title and three rows of 32 + 18 + 8.
        #expect(grid.width == 8 + 3 * 40 && grid.height == 8 + 26 + 3 * 58)
    }

    @Test func badSpecNamesTheToken() {
        let result = invariant("preview", "fashion-mnist", "--spec", "rotate=abc", "--out", "/tmp/never.png")
        #expect(result.status == 2)
        #expect(result.error.contains("'rotate=abc'"))
    }
}

@Suite struct PreviewLimitTests {
    @Test func gridsBeyondCairosLimitAreRefused() {
        let result = invariant("preview", "fashion-mnist", "--spec", "hflip", "--n", "256", "--out", "/tmp/never.png")
        #expect(result.status == 2)
        #expect(result.error.contains("over 32767 px"))
    }
}
