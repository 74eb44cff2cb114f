/// `a · b` (+ `bias` added to every row): a dense layer's affine map.
///
/// `a` is `[rows, inner]`, `b` is `[inner, columns]`, `bias` is `[columns]`. Backward:
/// ∂a = ∂c · bᵀ, ∂b = aᵀ · ∂c, ∂bias = Σ_rows ∂c — each computed only if needed.
public func matmul(_ a: Variable, _ b: Variable, bias: Variable? = nil) -> Variable {
    precondition(a.shape.count == 2 && b.shape.count == 2, "matmul needs rank-2 operands, got \(a.shape) and \(b.shape)")
    precondition(a.shape[1] == b.shape[0], "matmul inner dimensions differ: \(a.shape) · \(b.shape)")
    if let bias {
        precondition(bias.shape == [b.shape[1]], "matmul bias must have shape [\(b.shape[1])], got \(bias.shape)")
    }
    let backend = a.backend
    let (aValue, bValue) = (a.value, b.value)
    let value = backend.matmul(aValue, transposed: false, bValue, transposed: false, bias: bias?.value)
    // The pullback captures tensors and flags, never variables: a graph holds its inputs
    // through the records only.
    let needs = (a: a.requiresGradient, b: b.requiresGradient, bias: bias?.requiresGradient ?? false)
    let hasBias = bias != nil
    return Variable.result(value, of: [a, b] + (bias.map { [$0] } ?? [])) { gradient in
        [
            needs.a ? backend.matmul(gradient, transposed: false, bValue, transposed: true, bias: nil) : nil,
            needs.b ? backend.matmul(aValue, transposed: true, gradient, transposed: false, bias: nil) : nil,
        ] + (hasBias ? [needs.bias ? backend.sumRows(gradient) : nil] : [])
    }
}
