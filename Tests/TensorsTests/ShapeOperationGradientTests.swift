import Tensors
import Testing

/// Broadcasting arithmetic, reductions and concatenation: forward against float64 and
/// backward against central differences (see `checkOp`).
@Suite struct ShapeOperationGradientTests {
    struct BroadcastCase: CustomTestStringConvertible, Sendable {
        var x: [Int], y: [Int], result: [Int]
        var testDescription: String { "\(x) with \(y)" }
    }

    static let broadcastCases = [
        BroadcastCase(x: [2, 3], y: [2, 3], result: [2, 3]),
        BroadcastCase(x: [2, 3, 4], y: [4], result: [2, 3, 4]),  // a bias over the last axis
        BroadcastCase(x: [2, 1, 4], y: [3, 1], result: [2, 3, 4]),  // both operands broadcast
        BroadcastCase(x: [], y: [2, 2], result: [2, 2]),  // a scalar
    ]

    @Test(arguments: broadcastCases)
    func arithmeticBroadcasts(_ c: BroadcastCase) {
        let operations: [(BinaryOperation, (Double, Double) -> Double)] = [
            (.add, +), (.subtract, -), (.multiply, *), (.divide, /),
        ]
        // y away from 0, so the quotient stays well conditioned.
        let yValues = Tensor.randomUniform(shape: c.y, in: 0.5...2, seed: 51)
        for (operation, formula) in operations {
            checkOp(inputs: [Tensor.randomNormal(shape: c.x, seed: 50), yValues]) { v in
                let result = elementwise(operation, v[0], v[1])
                #expect(result.shape == c.result)
                return result
            } reference: { x in
                Reference.broadcast(x[0], c.x, x[1], c.y, to: c.result, formula)
            }
        }
    }

    @Test func operatorsSpellTheOperations() {
        let a = Variable(Tensor(shape: [2], scalars: [6, 8])), b = Variable(Tensor(shape: [1], scalars: [2]))
        #expect((a + b).value.scalars == [8, 10] && (a - b).value.scalars == [4, 6])
        #expect((a * b).value.scalars == [12, 16] && (a / b).value.scalars == [3, 4])
    }

    @Test(arguments: [[0], [1, 2], [-1], [0, 1, 2]])
    func sumAndMeanOverAxes(axes: [Int]) {
        let shape = [2, 3, 4]
        let resolved = Set(axes.map { $0 < 0 ? $0 + 3 : $0 })
        let count = Double(resolved.reduce(1) { $0 * shape[$1] })
        for (averaging, keeping) in [(false, false), (true, true), (true, false)] {
            checkOp(inputs: [Tensor.randomNormal(shape: shape, seed: 52)]) { v in
                let result = averaging ? mean(v[0], alongAxes: axes, keepingDimensions: keeping)
                    : sum(v[0], alongAxes: axes, keepingDimensions: keeping)
                let kept = shape.indices.map { resolved.contains($0) ? 1 : shape[$0] }
                #expect(result.shape == (keeping ? kept : kept.enumerated().filter { !resolved.contains($0.offset) }.map(\.element)))
                return result
            } reference: { x in
                Reference.sum(x[0], shape: shape, axes: resolved).map { averaging ? $0 / count : $0 }
            }
        }
    }

    @Test(arguments: [0, 1, -1])
    func concatenateAlongAnAxis(axis: Int) {
        let shapes = axis == 0 ? [[1, 2, 3], [2, 2, 3]] : axis == 1 ? [[2, 1, 3], [2, 3, 3]] : [[2, 2, 1], [2, 2, 2]]
        let resolved = axis < 0 ? axis + 3 : axis
        checkOp(inputs: [Tensor.randomNormal(shape: shapes[0], seed: 53), Tensor.randomNormal(shape: shapes[1], seed: 54)]) { v in
            concatenate([v[0], v[1]], alongAxis: axis)
        } reference: { x in
            // Block interleaving: per outer index, the first part's block then the second's.
            let outer: Int = shapes[0][..<resolved].reduce(1, *)
            let widths: [Int] = shapes.map { $0[resolved...].reduce(1, *) }
            var result: [Double] = []
            for block in 0..<outer {
                for part in 0..<2 {
                    result += x[part][(block * widths[part])..<((block + 1) * widths[part])]
                }
            }
            return result
        }
    }

    /// NHWC → NCHW and back, a matrix transpose, and a 1-D identity.
    @Test(arguments: [[0, 3, 1, 2], [0, 2, 3, 1], [1, 0], [0]])
    func transposeReordersAxes(permutation: [Int]) {
        let shape = [[2, 3, 4, 5], [2, 3, 4, 5], [3, 4], [5]][[[0, 3, 1, 2], [0, 2, 3, 1], [1, 0], [0]].firstIndex(of: permutation)!]
        let resultShape = permutation.map { shape[$0] }
        checkOp(inputs: [Tensor.randomNormal(shape: shape, seed: 55)]) { v in
            let result = transpose(v[0], permutation: permutation)
            #expect(result.shape == resultShape)
            return result
        } reference: { x in
            (0..<x[0].count).map { offset in
                let index = Reference.index(of: offset, in: resultShape)
                var source = [Int](repeating: 0, count: shape.count)
                for (position, axis) in permutation.enumerated() { source[axis] = index[position] }
                return x[0][Reference.offset(of: source, in: shape)]
            }
        }
    }
}
