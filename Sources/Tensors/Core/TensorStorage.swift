/// A fixed-size, 64-byte-aligned buffer of `Float` scalars, shared between `Tensor` values
/// until one of them writes (copy-on-write happens in `Tensor`).
///
/// 64 bytes is one cache line and one AVX-512 vector: oneDNN's and OpenBLAS's kernels take
/// aligned loads on such buffers, and no two tensors share a cache line.
final class TensorStorage: @unchecked Sendable {
    // @unchecked: the buffer is only written through a `Tensor` that holds the sole reference
    // (see `Tensor.makeUnique`), so concurrent readers never see a write.
    static let alignment = BufferPool.alignment

    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    /// Uninitialized storage; callers write every scalar before reading.
    init(uninitializedCount count: Int) {
        precondition(count >= 0, "a tensor cannot have a negative number of scalars (\(count))")
        self.count = count
        let raw = BufferPool.shared.allocate(byteCount: max(count, 1) * MemoryLayout<Float>.stride)
        pointer = raw.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    convenience init(repeating value: Float, count: Int) {
        self.init(uninitializedCount: count)
        pointer.initialize(repeating: value, count: count)
    }

    func copy() -> TensorStorage {
        let result = TensorStorage(uninitializedCount: count)
        result.pointer.initialize(from: pointer, count: count)
        return result
    }

    deinit {
        BufferPool.shared.release(UnsafeMutableRawPointer(pointer), byteCount: max(count, 1) * MemoryLayout<Float>.stride)
    }
}
