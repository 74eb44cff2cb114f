import Datasets
import Foundation
import Imaging
import Testing

/// `validationSplit`: Keras's first-⌊f·n⌋ rule and the seeded stratified split.
@Suite struct SplitTests {
    /// A dataset of `counts[i]` samples in class i. Only the split logic is exercised, so
    /// the samples are synthetic (a one-file dataset is indexed for the value, then edited).
    static func dataset(_ counts: [Int]) -> ImageDataset {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        folder.write("c0/000.png", Images.png())
        var dataset = try! ImageDataset.index(directory: folder.path)
        let header = dataset.samples[0].header
        var samples: [Sample] = []
        for (label, count) in counts.enumerated() {
            for i in 0..<count {
                let relative = String(format: "c%d/%03d.png", label, i)
                samples.append(Sample(path: "/data/" + relative, relativePath: relative, label: label, header: header))
            }
        }
        dataset.root = "/data"
        dataset.classNames = counts.indices.map { "c\($0)" }
        dataset.samples = samples
        return dataset
    }

    @Test func kerasTakesTheFirstFilesOfEachClass() throws {
        let data = Self.dataset([8, 5, 3])
        let (training, validation) = try data.validationSplit(0.25, method: .keras)
        // ⌊0.25·8⌋ = 2, ⌊0.25·5⌋ = 1, ⌊0.25·3⌋ = 0.
        #expect(validation.samples.map(\.relativePath) == ["c0/000.png", "c0/001.png", "c1/000.png"])
        #expect(training.samples.map(\.relativePath) == data.samples.map(\.relativePath).filter {
            !["c0/000.png", "c0/001.png", "c1/000.png"].contains($0)
        })
        #expect(training.classNames == data.classNames && validation.classNames == data.classNames)
        #expect(validation.classCounts == [2, 1, 0])
        #expect(training.classCounts == [6, 4, 3])
    }

    @Test func kerasFloorsLikePython() throws {
        // int(0.3 * 10) == 3 and int(0.7 * 10) == 7 in Python, despite 0.3·10 = 3.0000000000000004.
        let (_, a) = try Self.dataset([10]).validationSplit(0.3, method: .keras)
        #expect(a.samples.count == 3)
        let (_, b) = try Self.dataset([10]).validationSplit(0.7, method: .keras)
        #expect(b.samples.count == 7)
        let (_, c) = try Self.dataset([7]).validationSplit(0.5, method: .keras)
        #expect(c.samples.count == 3)
    }

    @Test func stratifiedIsDeterministicPerSeed() throws {
        let data = Self.dataset([40, 24])
        let first = try data.validationSplit(0.25, method: .stratified, seed: 7)
        let again = try data.validationSplit(0.25, method: .stratified, seed: 7)
        let other = try data.validationSplit(0.25, method: .stratified, seed: 8)
        #expect(first.validation.samples == again.validation.samples)
        #expect(first.training.samples == again.training.samples)
        #expect(first.validation.samples != other.validation.samples)
        // Different within a class of ≥ 20 files, too.
        let classZero = { (split: (training: ImageDataset, validation: ImageDataset)) in
            split.validation.samples.filter { $0.label == 0 }.map(\.relativePath)
        }
        #expect(classZero(first) != classZero(other))
        // Not simply Keras's first files.
        #expect(classZero(first) != (0..<10).map { String(format: "c0/%03d.png", $0) })
    }

    @Test(arguments: [0.1, 0.25, 0.5, 0.8])
    func stratifiedKeepsProportionsAndPartitions(_ fraction: Double) throws {
        let data = Self.dataset([40, 21, 10])
        let (training, validation) = try data.validationSplit(fraction, method: .stratified, seed: 3)
        #expect(validation.classCounts == [40, 21, 10].map { Int((fraction * Double($0)).rounded()) })
        #expect(training.classCounts == zip([40, 21, 10], validation.classCounts).map { $0 - $1 })
        let trainingSet = Set(training.samples), validationSet = Set(validation.samples)
        #expect(trainingSet.isDisjoint(with: validationSet))
        #expect(trainingSet.union(validationSet) == Set(data.samples))
        #expect(training.samples.count + validation.samples.count == data.samples.count)
        // Each part keeps the dataset's order.
        let position = Dictionary(uniqueKeysWithValues: data.samples.enumerated().map { ($1, $0) })
        for part in [training, validation] {
            let positions = part.samples.map { position[$0]! }
            #expect(positions == positions.sorted())
        }
    }

    @Test(arguments: [0.0, 1.0, -0.1, 1.5, Double.nan])
    func invalidFractionsThrow(_ fraction: Double) {
        for method in SplitMethod.allCases {
            #expect(throws: DatasetError.self) { try Self.dataset([10, 10]).validationSplit(fraction, method: method) }
        }
        do {
            _ = try Self.dataset([10]).validationSplit(fraction)
        } catch let error as DatasetError {
            guard case .invalidSplit(let reason) = error else { Issue.record("got \(error)"); return }
            #expect(reason.contains("between 0 and 1"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func splitLeavingAnEmptyPartThrows() {
        // ⌊0.25·3⌋ = 0 in every class: no validation images.
        #expect(throws: DatasetError.self) { try Self.dataset([3, 3]).validationSplit(0.25, method: .keras) }
    }
}
