import Foundation
import Tensors
import Testing

/// The pointwise activations and log-softmax against float64 formulas (tolerance: `checkOp`).
@Suite struct ActivationGradientTests {
    /// Inputs spread over [−3, 3] with no scalar within 1e-3 of 0, where leaky relu and elu
    /// have a kink that central differences would straddle.
    static let input = Tensor(shape: [3, 8], scalars: Tensor.randomUniform(shape: [24], in: -3...3, seed: 40)
        .scalars.map { abs($0) < 1e-3 ? 0.5 : $0 })

    static let cases: [(String, (Variable) -> Variable, (Double) -> Double)] = [
        ("sigmoid", { sigmoid($0) }, { 1 / (1 + exp(-$0)) }),
        ("tanh", { Tensors.tanh($0) }, { Foundation.tanh($0) }),
        ("leaky relu", { leakyRelu($0, negativeSlope: 0.3) }, { $0 >= 0 ? $0 : 0.3 * $0 }),
        ("elu", { elu($0, alpha: 1.5) }, { $0 > 0 ? $0 : 1.5 * expm1($0) }),
        ("gelu exact", { gelu($0) }, { 0.5 * $0 * (1 + erf($0 / 2.0.squareRoot())) }),
        ("gelu tanh", { gelu($0, approximate: true) },
         { 0.5 * $0 * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * ($0 + 0.044715 * $0 * $0 * $0))) }),
    ]

    @Test(arguments: cases.indices)
    func activationMatchesFormula(index: Int) {
        let (_, operation, formula) = Self.cases[index]
        checkOp(inputs: [Self.input]) { v in operation(v[0]) } reference: { x in x[0].map(formula) }
    }

    /// The two GELU forms differ by up to ~5e-4: the exact one is the default (Keras's
    /// `activations.gelu`, PyTorch's `GELU()`).
    @Test func geluDefaultIsExact() {
        let x = Variable(Tensor(shape: [1], scalars: [-1.5]))
        let exact = 0.5 * -1.5 * (1 + erf(-1.5 / 2.0.squareRoot()))
        #expect(abs(Double(gelu(x).value.scalar) - exact) < 1e-7)
        #expect(abs(Double(gelu(x, approximate: true).value.scalar) - exact) > 1e-4)
    }

    @Test func logSoftmaxOverLastDimension() {
        checkOp(inputs: [Tensor.randomNormal(shape: [3, 5], standardDeviation: 4, seed: 41)]) { v in
            logSoftmax(v[0])
        } reference: { x in
            Reference.softmax(x[0], classes: 5).map { log($0) }
        }
    }

    /// Exact where softmax underflows: a logit 200 below the others.
    @Test func logSoftmaxIsExactForFarLogits() {
        let y = logSoftmax(Variable(Tensor(shape: [1, 2], scalars: [0, -200]))).value.scalars
        #expect(y[0] == 0 && y[1] == -200)
    }
}
