/// The same scalars with another shape (one dimension may be -1, inferred); no copy.
public func reshape(_ x: Variable, to shape: [Int]) -> Variable {
    let inputShape = x.shape
    return Variable.result(x.value.reshaped(to: shape), of: [x]) { gradient in
        [gradient.reshaped(to: inputShape)]
    }
}

/// `[batch, d1, d2, …]` → `[batch, d1·d2·…]`, in row-major (NHWC) order like Keras's `Flatten`.
public func flatten(_ x: Variable) -> Variable {
    precondition(x.shape.count >= 1, "flatten needs a batch dimension")
    return reshape(x, to: [x.shape[0], -1])
}

/// `x` with its axes reordered (`tf.transpose(x, perm)`): result axis i is `x`'s axis
/// `permutation[i]`; the gradient is transposed back by the inverse permutation.
public func transpose(_ x: Variable, permutation: [Int]) -> Variable {
    precondition(permutation.sorted() == Array(x.shape.indices),
                 "transpose needs a permutation of 0..<\(x.shape.count), got \(permutation)")
    let backend = x.backend
    var inverse = permutation
    for (position, axis) in permutation.enumerated() { inverse[axis] = position }
    return Variable.result(backend.transpose(x.value, permutation: permutation), of: [x]) { gradient in
        [backend.transpose(gradient, permutation: inverse)]
    }
}
