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

    /// The products of the extents before and after `axis`.
    static func blocks(around axis: Int, of shape: [Int]) -> (outer: Int, inner: Int) {
        (shape[..<axis].reduce(1, *), shape[(axis + 1)...].reduce(1, *))
    }
}
