/// Concatenation and slicing as block copies: a tensor is `outer × axis × inner` scalars
/// around the axis, and each part contributes one contiguous block per outer index.
extension CPUBackend {
    public func concatenate(_ tensors: [Tensor], alongAxis axis: Int) -> Tensor {
        var shape = tensors[0].shape
        shape[axis] = tensors.reduce(0) { $0 + $1.shape[axis] }
        let (outer, inner) = Self.blocks(around: axis, of: shape)
        var result = Tensor.uninitialized(shape: shape)
        result.withUnsafeMutableBufferPointer { output in
            var start = 0
            for part in tensors {
                let width = part.shape[axis] * inner
                part.withUnsafeBufferPointer { part in
                    for block in 0..<outer {
                        (output.baseAddress! + block * shape[axis] * inner + start)
                            .update(from: part.baseAddress! + block * width, count: width)
                    }
                }
                start += width
            }
        }
        return result
    }

    public func slice(_ x: Tensor, alongAxis axis: Int, range: Range<Int>) -> Tensor {
        var shape = x.shape
        shape[axis] = range.count
        let (outer, inner) = Self.blocks(around: axis, of: x.shape)
        let width = range.count * inner
        var result = Tensor.uninitialized(shape: shape)
        x.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { output in
                for block in 0..<outer {
                    (output.baseAddress! + block * width)
                        .update(from: source.baseAddress! + (block * x.shape[axis] + range.lowerBound) * inner,
                                count: width)
                }
            }
        }
        return result
    }

    /// A strided copy: the result is walked in order while an odometer over its indices
    /// advances the source offset by the permuted strides.
    public func transpose(_ x: Tensor, permutation: [Int]) -> Tensor {
        let shape = permutation.map { x.shape[$0] }
        var sourceStrides = [Int](repeating: 1, count: x.shape.count)
        for axis in stride(from: x.shape.count - 2, through: 0, by: -1) {
            sourceStrides[axis] = sourceStrides[axis + 1] * x.shape[axis + 1]
        }
        let strides = permutation.map { sourceStrides[$0] }
        var result = Tensor.uninitialized(shape: shape)
        guard let last = shape.indices.last else { return x }  // a scalar
        guard result.scalarCount > 0 else { return result }
        x.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { output in
                var index = [Int](repeating: 0, count: shape.count)
                var offset = 0, position = 0
                let (rowLength, rowStride) = (shape[last], strides[last])
                while position < output.count {
                    for column in 0..<rowLength { output[position + column] = source[offset + column * rowStride] }
                    position += rowLength
                    // Carry into the outer axes.
                    var axis = last - 1
                    while axis >= 0 {
                        index[axis] += 1
                        offset += strides[axis]
                        if index[axis] < shape[axis] { break }
                        offset -= strides[axis] * shape[axis]
                        index[axis] = 0
                        axis -= 1
                    }
                }
            }
        }
        return result
    }

    /// The products of the extents before and after `axis`.
    static func blocks(around axis: Int, of shape: [Int]) -> (outer: Int, inner: Int) {
        (shape[..<axis].reduce(1, *), shape[(axis + 1)...].reduce(1, *))
    }
}
