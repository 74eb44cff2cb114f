import Datasets
import Foundation
import Imaging
import Testing

@Suite struct BatchMixingTests {
    /// Three 8×8 one-channel images of constant levels 0, 100, 200, labels 0, 1, 2.
    func batch(index: Int = 0, pixels: BatchPixelType = .float32) -> Batch {
        let levels = [0, 100, 200].flatMap { [Float](repeating: Float($0), count: 64) }
        return Batch(index: index, count: 3, height: 8, width: 8, channels: 1,
                     pixels: pixels == .float32 ? .float32(levels) : .uint8(levels.map { UInt8($0) }),
                     labels: .sparse([0, 1, 2]), sampleIndices: [0, 1, 2])
    }

    @Test func mixUpBlendsWithTheRolledBatchAndItsLabels() throws {
        let mixing = BatchMixing(.mixUp, alpha: 0.4)
        let draw = try #require(mixing.draw(seed: 3, epoch: 1, batchIndex: 0, width: 8, height: 8))
        #expect((0...1).contains(draw.lambda) && draw.box == nil)
        let mixed = mixing.apply(to: batch(), classCount: 3, seed: 3, epoch: 1)
        let lambda = Float(draw.lambda)
        // Image 1 (level 100) mixes with image 0 (level 0); image 0 with image 2.
        #expect(abs(mixed.floatPixels[64] - lambda * 100) < 1e-3)
        #expect(abs(mixed.floatPixels[0] - (1 - lambda) * 200) < 1e-3)
        guard case .categorical(let rows, let classes) = mixed.labels else { Issue.record("expected soft labels"); return }
        #expect(classes == 3)
        #expect(abs(rows[3 + 1] - lambda) < 1e-6 && abs(rows[3 + 0] - (1 - lambda)) < 1e-6)
        for row in 0..<3 { #expect(abs(rows[row * 3..<row * 3 + 3].reduce(0, +) - 1) < 1e-6) }
    }

    @Test func cutMixPastesABoxAndWeighsLabelsByItsArea() throws {
        let mixing = BatchMixing(.cutMix, alpha: 1)
        var sawBox = false
        for index in 0..<20 {
            let draw = try #require(mixing.draw(seed: 9, epoch: 0, batchIndex: index, width: 8, height: 8))
            let box = try #require(draw.box)
            let area = (box.x1 - box.x0) * (box.y1 - box.y0)
            #expect(abs(draw.lambda - (1 - Double(area) / 64)) < 1e-12)
            let mixed = mixing.apply(to: batch(index: index, pixels: .uint8), classCount: 3, seed: 9, epoch: 0)
            guard case .uint8(let values) = mixed.pixels, case .categorical(let rows, _) = mixed.labels else {
                Issue.record("unexpected batch"); return
            }
            // Image 1: its own 100 outside the box, image 0's 0 inside.
            let pasted = values[64..<128].filter { $0 == 0 }.count
            #expect(pasted == area)
            #expect(abs(Double(rows[3 + 1]) - draw.lambda) < 1e-6)
            sawBox = sawBox || area > 0
        }
        #expect(sawBox)
    }

    @Test func drawsArePureFunctionsOfSeedEpochAndBatch() {
        let mixing = BatchMixing(.mixUp, alpha: 0.2)
        let a = mixing.draw(seed: 1, epoch: 2, batchIndex: 3, width: 8, height: 8)
        #expect(a == mixing.draw(seed: 1, epoch: 2, batchIndex: 3, width: 8, height: 8))
        #expect(a != mixing.draw(seed: 1, epoch: 3, batchIndex: 3, width: 8, height: 8))
        #expect(a != mixing.draw(seed: 1, epoch: 2, batchIndex: 4, width: 8, height: 8))
        // Beta(α, α) is symmetric about ½ with mean ½.
        let lambdas = (0..<4000).compactMap { mixing.draw(seed: 5, epoch: 0, batchIndex: $0, width: 8, height: 8)?.lambda }
        #expect(abs(lambdas.reduce(0, +) / Double(lambdas.count) - 0.5) < 0.02)
        #expect(BatchMixing(.mixUp, probability: 0).draw(seed: 1, epoch: 0, batchIndex: 0, width: 8, height: 8) == nil)
    }

    @Test func loaderMixesTheSameWhateverTheWorkers() throws {
        let folder = TemporaryDirectory()
        defer { folder.remove() }
        let dataset = try LoaderTests.makeDataset([3, 4], in: folder)
        func epoch(workers: Int) throws -> [Batch] {
            var options = LoaderOptions(imageSize: ImageSize(width: 4, height: 4), interpolation: .bilinear, batchSize: 3,
                                        shuffles: true, seed: 4, workers: workers, prefetch: 2)
            options.mixing = BatchMixing(.cutMix, alpha: 1)
            return Array(try BatchLoader(dataset: dataset, options: options).batches(epoch: 1))
        }
        let one = try epoch(workers: 1), two = try epoch(workers: 2)
        #expect(one == two)
        guard case .categorical = one[0].labels else { Issue.record("mixed batches carry soft labels"); return }
    }
}
