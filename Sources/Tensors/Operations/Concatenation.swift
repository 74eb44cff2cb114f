/// The variables joined along `axis` (negative counts from the end), Keras's `Concatenate`;
/// every other extent must agree. Backward slices the gradient back into the parts.
public func concatenate(_ parts: [Variable], alongAxis axis: Int = -1) -> Variable {
    precondition(!parts.isEmpty, "concatenate needs at least one tensor")
    let shape = parts[0].shape
    let axis = axis < 0 ? axis + shape.count : axis
    precondition(shape.indices.contains(axis), "axis \(axis) is out of range for shape \(shape)")
    for part in parts {
        precondition(part.shape.count == shape.count
                     && part.shape.indices.allSatisfy { $0 == axis || part.shape[$0] == shape[$0] },
                     "cannot concatenate \(part.shape) with \(shape) along axis \(axis)")
    }
    let backend = parts[0].backend
    let extents = parts.map { $0.shape[axis] }
    let needs = parts.map(\.requiresGradient)
    let value = backend.concatenate(parts.map(\.value), alongAxis: axis)
    return Variable.result(value, of: parts) { gradient in
        var start = 0
        return zip(extents, needs).map { extent, needed in
            defer { start += extent }
            return needed ? backend.slice(gradient, alongAxis: axis, range: start..<(start + extent)) : nil
        }
    }
}
