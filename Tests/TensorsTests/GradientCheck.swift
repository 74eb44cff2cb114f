import Tensors
import Testing

/// The worst disagreements found by `checkOp`.
struct OpCheck {
    /// max |engine − reference| / max(1, max |reference|) over the op's outputs.
    var forwardError = 0.0
    /// Per input: max |engine gradient − finite difference| / max(1, max |finite difference|).
    var gradientErrors: [Double] = []
}

/// Checks an op against its float64 reference: the forward values, and every input's
/// gradient as a vector–Jacobian product with a random seed s, against central differences
/// of Σ s ⊙ reference(x) with step `step`.
///
/// The differences are taken on the float64 reference, so their own error (truncation
/// ~step², rounding ~1e-16/step, together < 1e-9) is far below the engine's float32
/// rounding. The tolerance is therefore a float32 one, relative to the larger of 1 and the
/// largest magnitude: the ops measure 1e-8…3e-7 (a few float32 ulps), and 1e-5 leaves a
/// margin for larger shapes while any indexing or padding mistake shows up as O(1).
@discardableResult
func checkOp(
    inputs: [Tensor],
    tolerance: Double = 1e-5,
    step: Double = 1e-6,
    sourceLocation: SourceLocation = #_sourceLocation,
    operation: ([Variable]) -> Variable,
    reference: ([[Double]]) -> [Double]
) -> OpCheck {
    let variables = inputs.map { Variable($0, requiresGradient: true) }
    let output = operation(variables)
    let exactInputs = inputs.map { $0.scalars.map(Double.init) }
    let expected = reference(exactInputs)
    var check = OpCheck()
    check.forwardError = relativeError(output.value.scalars.map(Double.init), expected)
    #expect(output.value.scalarCount == expected.count, "output count", sourceLocation: sourceLocation)
    #expect(check.forwardError <= tolerance, "forward error \(check.forwardError)", sourceLocation: sourceLocation)

    let seed = Tensor.randomNormal(shape: output.shape, seed: 4242)
    let seedValues = seed.scalars.map(Double.init)
    output.backward(seed: seed)
    func objective(_ values: [[Double]]) -> Double {
        zip(reference(values), seedValues).reduce(0) { $0 + $1.0 * $1.1 }
    }
    for (index, variable) in variables.enumerated() {
        var numeric = [Double](repeating: 0, count: exactInputs[index].count)
        var perturbed = exactInputs
        for element in numeric.indices {
            let original = perturbed[index][element]
            perturbed[index][element] = original + step
            let above = objective(perturbed)
            perturbed[index][element] = original - step
            let below = objective(perturbed)
            perturbed[index][element] = original
            numeric[element] = (above - below) / (2 * step)
        }
        guard let gradient = variable.gradient else {
            Issue.record("input \(index) got no gradient", sourceLocation: sourceLocation)
            continue
        }
        let error = relativeError(gradient.scalars.map(Double.init), numeric)
        check.gradientErrors.append(error)
        #expect(error <= tolerance, "input \(index) gradient error \(error)", sourceLocation: sourceLocation)
    }
    return check
}

/// max |actual − expected| / max(1, max |expected|); infinity when the counts differ.
func relativeError(_ actual: [Double], _ expected: [Double]) -> Double {
    guard actual.count == expected.count else { return .infinity }
    let scale = max(1, expected.map(abs).max() ?? 0)
    return zip(actual, expected).map { abs($0 - $1) }.max().map { $0 / scale } ?? 0
}

/// The scalars as float64, for the references.
func doubles(_ tensor: Tensor) -> [Double] {
    tensor.scalars.map(Double.init)
}
