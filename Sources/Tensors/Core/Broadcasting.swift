/// NumPy's broadcasting rule: shapes are aligned at their last dimension; each pair of
/// extents must be equal or one of them 1, and the result takes the larger. Missing leading
/// dimensions count as 1.
public func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int]? {
    let rank = max(a.count, b.count)
    let paddedA = Array(repeating: 1, count: rank - a.count) + a
    let paddedB = Array(repeating: 1, count: rank - b.count) + b
    var result: [Int] = []
    for (x, y) in zip(paddedA, paddedB) {
        guard x == y || x == 1 || y == 1 else { return nil }
        result.append(x == 1 ? y : x)
    }
    return result
}

/// Walks the elements of a broadcast result in row-major order, giving for each the offset
/// of the element it reads in every operand (an operand's stride is 0 along the dimensions
/// it is broadcast over).
struct BroadcastIterator {
    let shape: [Int]
    private let strides: [[Int]]

    /// - Parameters:
    ///   - shape: the result's shape.
    ///   - operands: each operand's shape, broadcastable to `shape`.
    init(shape: [Int], operands: [[Int]]) {
        self.shape = shape
        strides = operands.map { operand in
            let padded = Array(repeating: 1, count: shape.count - operand.count) + operand
            var strides = Array(repeating: 0, count: shape.count)
            var stride = 1
            for axis in padded.indices.reversed() {
                strides[axis] = padded[axis] == 1 ? 0 : stride
                stride *= padded[axis]
            }
            return strides
        }
    }

    /// Calls `body(resultOffset, operandOffsets)` for every element of the result.
    func forEach(_ body: (Int, [Int]) -> Void) {
        let count = shape.reduce(1, *)
        guard count > 0 else { return }
        var index = Array(repeating: 0, count: shape.count)
        var offsets = Array(repeating: 0, count: strides.count)
        for resultOffset in 0..<count {
            body(resultOffset, offsets)
            // Increment the multi-index like an odometer and move each operand's offset along.
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                for operand in strides.indices { offsets[operand] += strides[operand][axis] }
                if index[axis] < shape[axis] { break }
                for operand in strides.indices { offsets[operand] -= strides[operand][axis] * shape[axis] }
                index[axis] = 0
                axis -= 1
            }
        }
    }
}
