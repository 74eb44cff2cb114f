import Tensors
import Testing

/// Every op's forward pass against the float64 reference and its backward pass against
/// central differences (see `checkOp` for the tolerance).
@Suite struct OperationGradientTests {
    @Test(arguments: [false, true])
    func matmulWithAndWithoutBias(hasBias: Bool) {
        let (rows, inner, columns) = (3, 5, 4)
        var inputs = [Tensor.randomNormal(shape: [rows, inner], seed: 1), Tensor.randomNormal(shape: [inner, columns], seed: 2)]
        if hasBias { inputs.append(Tensor.randomNormal(shape: [columns], seed: 3)) }
        checkOp(inputs: inputs) { v in
            matmul(v[0], v[1], bias: hasBias ? v[2] : nil)
        } reference: { x in
            Reference.matmul(x[0], x[1], bias: hasBias ? x[2] : nil, rows: rows, inner: inner, columns: columns)
        }
    }

    struct ConvolutionCase: CustomTestStringConvertible, Sendable {
        var input: [Int]
        var filter: [Int]
        var stride: (Int, Int)
        var padding: Padding
        var hasBias: Bool
        var dilation = (1, 1)
        var groups = 1
        var testDescription: String {
            "input \(input) filter \(filter) stride \(stride) \(padding)\(hasBias ? " +bias" : "")"
                + (dilation != (1, 1) ? " dilation \(dilation)" : "") + (groups > 1 ? " groups \(groups)" : "")
        }
    }

    static let convolutionCases = [
        ConvolutionCase(input: [2, 5, 5, 3], filter: [3, 3, 3, 4], stride: (1, 1), padding: .valid, hasBias: true),
        ConvolutionCase(input: [2, 5, 5, 3], filter: [3, 3, 3, 4], stride: (1, 1), padding: .same, hasBias: false),
        // Odd and even extents with stride 2: `same` pads asymmetrically (0 before, 1 after on the rows).
        ConvolutionCase(input: [1, 6, 5, 2], filter: [3, 3, 2, 3], stride: (2, 2), padding: .same, hasBias: true),
        ConvolutionCase(input: [1, 7, 6, 2], filter: [2, 3, 2, 2], stride: (2, 1), padding: .valid, hasBias: true),
        ConvolutionCase(input: [1, 4, 4, 3], filter: [1, 1, 3, 5], stride: (1, 1), padding: .same, hasBias: true),
        ConvolutionCase(input: [1, 5, 5, 1], filter: [4, 4, 1, 2], stride: (1, 1), padding: .same, hasBias: false),
        // Dilated (Keras's dilation_rate), `same` padding over the dilated span, and grouped.
        ConvolutionCase(input: [1, 7, 6, 2], filter: [3, 3, 2, 3], stride: (1, 1), padding: .same, hasBias: true,
                        dilation: (2, 2)),
        ConvolutionCase(input: [2, 7, 7, 1], filter: [2, 3, 1, 2], stride: (1, 1), padding: .valid, hasBias: false,
                        dilation: (3, 2)),
        ConvolutionCase(input: [2, 5, 5, 4], filter: [3, 3, 2, 6], stride: (1, 1), padding: .same, hasBias: true,
                        groups: 2),
        ConvolutionCase(input: [1, 6, 6, 6], filter: [3, 3, 1, 6], stride: (2, 2), padding: .valid, hasBias: true,
                        groups: 6),
    ]

    @Test(arguments: convolutionCases)
    func conv2dMatchesReference(_ c: ConvolutionCase) {
        var inputs = [Tensor.randomNormal(shape: c.input, seed: 10), Tensor.randomNormal(shape: c.filter, seed: 11)]
        if c.hasBias { inputs.append(Tensor.randomNormal(shape: [c.filter[3]], seed: 12)) }
        checkOp(inputs: inputs) { v in
            conv2d(v[0], filter: v[1], bias: c.hasBias ? v[2] : nil, strides: c.stride, padding: c.padding,
                   dilations: c.dilation, groups: c.groups)
        } reference: { x in
            Reference.conv2d(x[0], x[1], bias: c.hasBias ? x[2] : nil, input: c.input, filterShape: c.filter,
                             stride: c.stride, same: c.padding == .same, dilation: c.dilation, groups: c.groups).values
        }
    }

    @Test func reluPassesGradientWherePositive() {
        checkOp(inputs: [Tensor.randomNormal(shape: [3, 7], seed: 20)]) { v in
            relu(v[0])
        } reference: { x in
            x[0].map { max($0, 0) }
        }
    }

    @Test func softmaxOverLastDimension() {
        checkOp(inputs: [Tensor.randomNormal(shape: [4, 5], standardDeviation: 3, seed: 21)]) { v in
            softmax(v[0])
        } reference: { x in
            Reference.softmax(x[0], classes: 5)
        }
    }

    @Test(arguments: [Padding.valid, .same])
    func maxPoolTwoByTwo(padding: Padding) {
        // 5×7 is odd both ways: `valid` drops the last row and column, `same` pads them.
        let shape = [2, 5, 7, 3]
        checkOp(inputs: [Tensor.randomNormal(shape: shape, seed: 22)]) { v in
            maxPool2D(v[0], padding: padding)
        } reference: { x in
            Reference.maxPool2D(x[0], input: shape, pool: (2, 2), stride: (2, 2), same: padding == .same)
        }
    }

    @Test func maxPoolOverlappingWindows() {
        let shape = [1, 6, 6, 2]
        checkOp(inputs: [Tensor.randomNormal(shape: shape, seed: 23)]) { v in
            maxPool2D(v[0], poolSize: (3, 3), strides: (1, 2))
        } reference: { x in
            Reference.maxPool2D(x[0], input: shape, pool: (3, 3), stride: (1, 2), same: false)
        }
    }

    @Test func sparseCrossEntropyFromLogits() {
        let labels = [2, 0, 4, 1]
        checkOp(inputs: [Tensor.randomNormal(shape: [4, 5], standardDeviation: 2, seed: 24)]) { v in
            sparseCategoricalCrossentropy(logits: v[0], labels: labels)
        } reference: { x in
            [Reference.sparseCrossEntropy(x[0], labels: labels, classes: 5)]
        }
    }

    @Test func flattenKeepsRowMajorOrder() {
        checkOp(inputs: [Tensor.randomNormal(shape: [2, 3, 2, 2], seed: 25)]) { v in
            let flat = flatten(v[0])
            #expect(flat.shape == [2, 12])
            return flat
        } reference: { x in
            x[0]
        }
    }

    /// A small chain (conv → relu → pool → flatten → dense → loss) differentiated end to end.
    @Test func composedNetworkGradients() {
        let labels = [1, 0]
        let inputs = [
            Tensor.randomNormal(shape: [2, 6, 6, 1], seed: 30), Tensor.randomNormal(shape: [3, 3, 1, 2], seed: 31),
            Tensor.randomNormal(shape: [2], seed: 32), Tensor.randomNormal(shape: [8, 3], seed: 33),
        ]
        checkOp(inputs: inputs) { v in
            let features = flatten(maxPool2D(relu(conv2d(v[0], filter: v[1], bias: v[2]))))
            return sparseCategoricalCrossentropy(logits: matmul(features, v[3]), labels: labels)
        } reference: { x in
            let convolved = Reference.conv2d(x[0], x[1], bias: x[2], input: [2, 6, 6, 1], filterShape: [3, 3, 1, 2],
                                             stride: (1, 1), same: false).values
            let pooled = Reference.maxPool2D(convolved.map { max($0, 0) }, input: [2, 4, 4, 2], pool: (2, 2),
                                             stride: (2, 2), same: false)
            let logits = Reference.matmul(pooled, x[3], bias: nil, rows: 2, inner: 8, columns: 3)
            return [Reference.sparseCrossEntropy(logits, labels: labels, classes: 3)]
        }
    }
}
