import CDNNL
import Dispatch

extension CPUBackend {
    /// The threads oneDNN (OpenMP) uses; by default one per core. OpenBLAS runs on the calling
    /// thread (see `keepFreedMemoryForReuse`).
    public static var threadCount: Int {
        get { Int(omp_get_max_threads()) }
        set {
            precondition(newValue > 0, "thread count must be positive")
            omp_set_num_threads(Int32(newValue))
        }
    }
}

extension CPUBackend {
    /// Runs `body` over `0..<count` in contiguous chunks, one per thread, when there are at
    /// least `minimumChunk` elements per chunk; else on the calling thread. For the
    /// memory-bound loops Swift runs itself (element-wise passes, optimizer updates), which
    /// oneDNN's threads do not cover: on the small CNN's step Adam alone was a sixth of the
    /// time with one core idle.
    static func inParallelChunks(_ count: Int, minimumChunk: Int = 1 << 16, _ body: (Range<Int>) -> Void) {
        let chunks = min(threadCount, count / minimumChunk)
        guard chunks > 1 else { return body(0..<count) }
        DispatchQueue.concurrentPerform(iterations: chunks) { k in
            body(k * count / chunks ..< (k + 1) * count / chunks)
        }
    }
}
