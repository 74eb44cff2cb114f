/// A dense float32 array with value semantics.
///
/// Scalars are stored contiguously in row-major order in 64-byte-aligned memory. Image
/// tensors are channels-last (`[batch, height, width, channels]`, NHWC) and convolution
/// filters are `[height, width, inputChannels, outputChannels]` (HWIO), as in Keras.
///
/// Copies share storage until one of them is mutated (copy-on-write), so passing tensors
/// around and reshaping them is O(1).
public struct Tensor: Sendable {
    /// The extent of each dimension; empty for a scalar.
    public private(set) var shape: [Int]
    var storage: TensorStorage

    /// The number of scalars: the product of `shape`.
    public var scalarCount: Int { storage.count }

    /// The number of dimensions.
    public var rank: Int { shape.count }

    init(shape: [Int], storage: TensorStorage) {
        precondition(Tensor.scalarCount(of: shape) == storage.count,
                     "shape \(shape) needs \(Tensor.scalarCount(of: shape)) scalars, storage has \(storage.count)")
        self.shape = shape
        self.storage = storage
    }

    /// A tensor of the given shape whose scalars all equal `value`.
    public init(shape: [Int], repeating value: Float) {
        self.init(shape: shape, storage: TensorStorage(repeating: value, count: Tensor.scalarCount(of: shape)))
    }

    /// A tensor of zeros.
    public init(zeros shape: [Int]) {
        self.init(shape: shape, repeating: 0)
    }

    /// A tensor holding `scalars` in row-major order.
    public init(shape: [Int], scalars: [Float]) {
        let count = Tensor.scalarCount(of: shape)
        precondition(scalars.count == count, "shape \(shape) needs \(count) scalars, got \(scalars.count)")
        let storage = TensorStorage(uninitializedCount: count)
        if count > 0 {
            scalars.withUnsafeBufferPointer { storage.pointer.initialize(from: $0.baseAddress!, count: count) }
        }
        self.init(shape: shape, storage: storage)
    }

    /// A rank-0 tensor.
    public init(_ scalar: Float) {
        self.init(shape: [], scalars: [scalar])
    }

    /// A tensor with the given shape whose scalars are left for the caller to write: every
    /// one of them must be written through `withUnsafeMutableBufferPointer` before it is read.
    static func uninitialized(shape: [Int]) -> Tensor {
        Tensor(shape: shape, storage: TensorStorage(uninitializedCount: scalarCount(of: shape)))
    }

    static func scalarCount(of shape: [Int]) -> Int {
        shape.reduce(1) { count, extent in
            precondition(extent >= 0, "negative dimension in shape \(shape)")
            return count * extent
        }
    }

    // MARK: Access

    /// The scalars in row-major order.
    public var scalars: [Float] {
        withUnsafeBufferPointer { Array($0) }
    }

    /// The value of a rank-0 or one-element tensor.
    public var scalar: Float {
        precondition(scalarCount == 1, "scalar needs a one-element tensor, shape is \(shape)")
        return storage.pointer[0]
    }

    /// The scalar at a multi-dimensional index (one index per dimension). Meant for tests
    /// and small tensors: element access costs a bounds check per dimension.
    public subscript(_ indices: Int...) -> Float {
        get { storage.pointer[offset(of: indices)] }
        set {
            let offset = offset(of: indices)
            makeUnique()
            storage.pointer[offset] = newValue
        }
    }

    func offset(of indices: [Int]) -> Int {
        precondition(indices.count == shape.count, "\(indices.count) indices for a rank-\(rank) tensor")
        var offset = 0
        for (index, extent) in zip(indices, shape) {
            precondition(index >= 0 && index < extent, "index \(indices) out of range for shape \(shape)")
            offset = offset * extent + index
        }
        return offset
    }

    /// Calls `body` with the scalars in row-major order.
    public func withUnsafeBufferPointer<Result>(
        _ body: (UnsafeBufferPointer<Float>) throws -> Result
    ) rethrows -> Result {
        try body(UnsafeBufferPointer(start: storage.pointer, count: scalarCount))
    }

    /// Calls `body` with writable scalars, copying the storage first if it is shared.
    public mutating func withUnsafeMutableBufferPointer<Result>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> Result
    ) rethrows -> Result {
        makeUnique()
        return try body(UnsafeMutableBufferPointer(start: storage.pointer, count: scalarCount))
    }

    mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) {
            storage = storage.copy()
        }
    }

    // MARK: Shape

    /// The same scalars viewed with another shape of the same scalar count; O(1).
    /// One dimension may be -1: it is inferred from the others.
    public func reshaped(to newShape: [Int]) -> Tensor {
        var resolved = newShape
        if let inferred = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != inferred }.reduce(1) { $0 * $1.element }
            // An empty tensor reshapes to an empty one: the inferred dimension is then 0.
            precondition(known > 0 ? scalarCount % known == 0 : scalarCount == 0, "cannot reshape \(shape) to \(newShape)")
            resolved[inferred] = known > 0 ? scalarCount / known : 0
        }
        precondition(Tensor.scalarCount(of: resolved) == scalarCount, "cannot reshape \(shape) to \(newShape)")
        return Tensor(shape: resolved, storage: storage)
    }
}

extension Tensor: Equatable {
    /// Same shape and bitwise-equal scalars (so NaN ≠ NaN, as for `Float`).
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        lhs.shape == rhs.shape && lhs.scalars == rhs.scalars
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let shown = scalars.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor(shape: \(shape), scalars: [\(shown)\(scalarCount > 8 ? ", …" : "")])"
    }
}
