import Datasets
import Foundation
import Imaging
import Testing

/// Class order, Keras's recursive file order, extensions, hidden and ignored files.
@Suite struct IndexingTests {
    @Test func classesAreSortedByCodePoint() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        for name in ["B", "a", "Z", "\u{E9}"] { folder.write("\(name)/x.png", Images.png()) }
        let dataset = try ImageDataset.index(directory: folder.path)
        #expect(dataset.classNames == ["B", "Z", "a", "\u{E9}"])
        #expect(dataset.classCounts == [1, 1, 1, 1])
        #expect(dataset.samples.map(\.label) == [0, 1, 2, 3])
        #expect(dataset.samples.map(\.relativePath) == ["B/x.png", "Z/x.png", "a/x.png", "\u{E9}/x.png"])
    }

    @Test func naturalOrderComparesDigitRunsByValue() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        for name in ["class10", "class2", "class1"] { folder.write("\(name)/x.png", Images.png()) }
        let byCodePoint = try ImageDataset.index(directory: folder.path)
        #expect(byCodePoint.classNames == ["class1", "class10", "class2"])
        let natural = try ImageDataset.index(directory: folder.path, options: IndexOptions(classOrder: .natural))
        #expect(natural.classNames == ["class1", "class2", "class10"])
        #expect(natural.samples.map(\.relativePath) == ["class1/x.png", "class2/x.png", "class10/x.png"])
    }

    @Test func explicitClassesDefineIndices() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        folder.write("cats/c1.png", Images.png())
        folder.write("dogs/d1.png", Images.png())
        folder.write("dogs/d2.png", Images.png())
        folder.write("birds/b1.png", Images.png())
        let dataset = try ImageDataset.index(directory: folder.path,
                                             options: IndexOptions(classOrder: .explicit(["dogs", "cats"])))
        #expect(dataset.classNames == ["dogs", "cats"])
        #expect(dataset.samples.map(\.relativePath) == ["dogs/d1.png", "dogs/d2.png", "cats/c1.png"])
        #expect(dataset.samples.map(\.label) == [0, 0, 1])
        #expect(dataset.unlistedFolders == ["birds"])

        #expect(throws: DatasetError.unknownClasses(folder.path, ["fish"])) {
            try ImageDataset.index(directory: folder.path, options: IndexOptions(classOrder: .explicit(["cats", "fish"])))
        }
        do {
            _ = try ImageDataset.index(directory: folder.path, options: IndexOptions(classOrder: .explicit(["fish", "owls"])))
            Issue.record("expected unknownClasses")
        } catch let error as DatasetError {
            #expect(error == .unknownClasses(folder.path, ["fish", "owls"]))
            #expect(error.description.contains("fish, owls"))
        }
    }

    /// Keras walks `sorted(os.walk(...), key=dirpath)` and sorts the files of each folder.
    @Test func filesAreFoundRecursivelyInKerasOrder() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        for relative in ["c/b.png", "c/a.png", "c/A.png", "c/sub/z/q.png", "c/sub b/x.png", "c/sub/a.png", "c/sub/B.png"] {
            folder.write(relative, Images.png())
        }
        let dataset = try ImageDataset.index(directory: folder.path)
        // Folders by path ("c/sub" < "c/sub b" < "c/sub/z", since " " < "/"), files by name.
        #expect(dataset.samples.map(\.relativePath) == [
            "c/A.png", "c/a.png", "c/b.png", "c/sub/B.png", "c/sub/a.png", "c/sub b/x.png", "c/sub/z/q.png",
        ])
        #expect(dataset.samples.allSatisfy { $0.path == folder.path + "/" + $0.relativePath })
    }

    @Test func extensionsAreCaseInsensitiveAndOtherFilesIgnored() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        folder.write("c/upper.JPG", Images.jpeg())
        folder.write("c/mixed.Png", Images.png())
        folder.write("c/long.jpeg", Images.jpeg())
        folder.write("c/notes.txt", Data("not an image".utf8))
        folder.write("c/noextension", Images.png())
        folder.write("README.md", Data("# dataset".utf8))
        let dataset = try ImageDataset.index(directory: folder.path)
        #expect(dataset.samples.map(\.relativePath) == ["c/long.jpeg", "c/mixed.Png", "c/upper.JPG"])
        #expect(dataset.samples.map(\.header.format) == [.jpeg, .png, .jpeg])
        #expect(Set(dataset.ignoredFiles) == ["README.md", "c/notes.txt", "c/noextension"])
        #expect(dataset.problems.isEmpty)
    }

    @Test func hiddenFilesAndFoldersAreSkippedAndListed() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        folder.write("cats/a.png", Images.png())
        folder.write("cats/.DS_Store", Data([0, 0, 0, 1]))
        folder.write("cats/.ipynb_checkpoints/a-checkpoint.png", Images.png())
        folder.write(".ipynb_checkpoints/b.png", Images.png())
        folder.write("dogs/sub/.hidden.png", Images.png())
        folder.write("dogs/sub/b.png", Images.png())
        let dataset = try ImageDataset.index(directory: folder.path)
        #expect(dataset.classNames == ["cats", "dogs"])
        #expect(dataset.samples.map(\.relativePath) == ["cats/a.png", "dogs/sub/b.png"])
        #expect(Set(dataset.hiddenPaths) == [".ipynb_checkpoints", "cats/.DS_Store", "cats/.ipynb_checkpoints",
                                             "dogs/sub/.hidden.png"])
        #expect(dataset.ignoredFiles.isEmpty)
    }

    @Test func summaryStartsWithKerasLine() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        folder.write("a/1.png", Images.png())
        folder.write("a/2.png", Images.png())
        folder.write("b/1.png", Images.png())
        folder.write("b/bad.png", Data("garbage".utf8))
        folder.write("b/.hidden", Data())
        folder.write("b/notes.txt", Data())
        let dataset = try ImageDataset.index(directory: folder.path)
        #expect(dataset.summary.hasPrefix("Found 3 images belonging to 2 classes."))
        #expect(dataset.summary == "Found 3 images belonging to 2 classes. (1 unreadable skipped, 1 hidden skipped, 1 other files ignored)")
        // Without anything left out, the summary is exactly Keras's line.
        let clean = dataset.subset(dataset.samples)
        var plain = clean
        plain.problems = []
        plain.hiddenPaths = []
        plain.ignoredFiles = []
        #expect(plain.summary == "Found 3 images belonging to 2 classes.")
    }

    @Test func trailingSlashIsTolerated() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        folder.write("a/1.png", Images.png())
        let dataset = try ImageDataset.index(directory: folder.path + "/")
        #expect(dataset.root == folder.path)
        #expect(dataset.samples.first?.path == folder.path + "/a/1.png")
    }
}
