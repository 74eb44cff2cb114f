/// The sum over `axes` (negative axes count from the end; all axes when nil). The reduced
/// dimensions are dropped, or kept with extent 1 when `keepingDimensions`.
public func sum(_ x: Variable, alongAxes axes: [Int]? = nil, keepingDimensions: Bool = false) -> Variable {
    reduce(x, alongAxes: axes, keepingDimensions: keepingDimensions, averaging: false)
}

/// The mean over `axes`, as `sum(_:alongAxes:keepingDimensions:)` divided by the count.
public func mean(_ x: Variable, alongAxes axes: [Int]? = nil, keepingDimensions: Bool = false) -> Variable {
    reduce(x, alongAxes: axes, keepingDimensions: keepingDimensions, averaging: true)
}

/// Sums into a shape with extent 1 along the reduced axes (the broadcasting adjoint), so the
/// backward pass is a broadcast of the gradient.
private func reduce(_ x: Variable, alongAxes axes: [Int]?, keepingDimensions: Bool, averaging: Bool) -> Variable {
    let inputShape = x.shape
    let reduced = Set((axes ?? Array(inputShape.indices)).map { axis in
        let resolved = axis < 0 ? axis + inputShape.count : axis
        precondition(inputShape.indices.contains(resolved), "axis \(axis) is out of range for shape \(inputShape)")
        return resolved
    })
    let keptShape = inputShape.indices.map { reduced.contains($0) ? 1 : inputShape[$0] }
    let resultShape = keepingDimensions ? keptShape : inputShape.indices.filter { !reduced.contains($0) }.map { inputShape[$0] }
    let count = reduced.reduce(1) { $0 * inputShape[$1] }
    let factor = averaging ? 1 / Float(count) : 1
    let backend = x.backend
    var value = backend.sum(x.value, reducedTo: keptShape)
    if averaging { value = backend.scale(value, by: factor) }
    return Variable.result(value.reshaped(to: resultShape), of: [x]) { gradient in
        let spread = backend.broadcast(gradient.reshaped(to: keptShape), to: inputShape)
        return [averaging ? backend.scale(spread, by: factor) : spread]
    }
}
