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
