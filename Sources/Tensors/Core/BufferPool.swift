import Foundation
import Synchronization

/// Large buffers kept for reuse by exact size: training allocates the same tensors every step,
/// and a fresh large allocation is a fresh mapping that the kernel zeroes page by page. A
/// freed buffer of 1 MiB or more waits here for the next request of its size, up to a total
/// of `limit` bytes (beyond that it is unmapped); smaller buffers go to the allocator.
///
/// Large buffers are mappings of their own (`mmap`), not heap blocks: freed, they go back to
/// the system whole, so the process's memory is what is live plus what waits here. (Through
/// glibc's heap, buffers below its 32 MiB mmap threshold fragmented it: VGG16's step peaked
/// at 1.5–1.65 GB, depending on the order of frees.) A request that finds no buffer of its
/// size first unmaps waiting buffers of other sizes where mapping one more would take live and
/// waiting buffers together past the most that were ever live at once: the pool never raises
/// the process's peak, which is then what the live tensors need.
final class BufferPool: @unchecked Sendable {
    // @unchecked: every access to the free lists goes through `lock`.
    static let shared = BufferPool(limit: 256 << 20)
    static let alignment = 64
    static let minimumPooledBytes = 1 << 20

    let limit: Int
    /// How far waiting buffers may take the mapped total past the most ever live: a step's
    /// sizes come and go in their own order, and with no slack the small CNN's step missed
    /// seven times (40 MB of fresh pages: 0.053 s instead of 0.038 s).
    let slack = 64 << 20
    private let lock = NSLock()
    private var free: [Int: [UnsafeMutableRawPointer]] = [:]
    private var pooledBytes = 0
    /// Bytes of large buffers handed out and not yet returned, and the most there have been.
    private var liveBytes = 0, mostLiveBytes = 0

    init(limit: Int) { self.limit = limit }

    /// An uninitialised, 64-byte-aligned buffer of `byteCount` bytes.
    func allocate(byteCount: Int) -> UnsafeMutableRawPointer {
        guard byteCount >= Self.minimumPooledBytes else {
            return UnsafeMutableRawPointer.allocate(byteCount: max(byteCount, 1), alignment: Self.alignment)
        }
        lock.lock()
        liveBytes += byteCount
        mostLiveBytes = max(mostLiveBytes, liveBytes)
        if let buffer = free[byteCount]?.popLast() {
            pooledBytes -= byteCount
            lock.unlock()
            return buffer
        }
        // Mapped and waiting together stay within the most ever live at once, plus `slack`.
        let evicted = evict(atLeast: liveBytes + pooledBytes - mostLiveBytes - slack)
        lock.unlock()
        evicted.forEach { Self.unmap($0.buffer, byteCount: $0.byteCount) }
        return Self.map(byteCount: byteCount)
    }

    /// Returns a buffer from `allocate(byteCount:)`.
    func release(_ buffer: UnsafeMutableRawPointer, byteCount: Int) {
        guard byteCount >= Self.minimumPooledBytes else { return buffer.deallocate() }
        lock.lock()
        liveBytes -= byteCount
        if pooledBytes + byteCount <= limit {
            free[byteCount, default: []].append(buffer)
            pooledBytes += byteCount
            lock.unlock()
            return
        }
        lock.unlock()
        Self.unmap(buffer, byteCount: byteCount)
    }

    /// Takes waiting buffers out of the pool, at least `byteCount` bytes of them (or all),
    /// for the caller to unmap outside the lock.
    private func evict(atLeast byteCount: Int) -> [(buffer: UnsafeMutableRawPointer, byteCount: Int)] {
        var evicted: [(buffer: UnsafeMutableRawPointer, byteCount: Int)] = []
        var freed = 0
        while freed < byteCount, let (size, buffers) = free.first(where: { !$0.value.isEmpty }) {
            evicted.append((buffers.last!, size))
            free[size]!.removeLast()
            pooledBytes -= size
            freed += size
        }
        return evicted
    }

    /// Where in its first page the next buffer starts, in cache lines (0…63).
    private static let nextLine = Atomic<Int>(0)

    /// A mapping one page longer than asked for, and a buffer that starts a varying number of
    /// cache lines into it. Buffers that all started on a page boundary would put the same
    /// element of every tensor at the same address bits: an element-wise pass over several
    /// of them (Adam reads four) then stalls on false load/store aliasing (4K aliasing): the
    /// small CNN's step took 0.043–0.045 s with page-aligned tensors, 0.040–0.041 s without.
    private static func map(byteCount: Int) -> UnsafeMutableRawPointer {
        guard let address = mmap(nil, byteCount + pageSize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
              address != MAP_FAILED else {
            fatalError("out of memory: could not map \(byteCount) bytes for a tensor")
        }
        let line = nextLine.wrappingAdd(7, ordering: .relaxed).oldValue & 63
        return address + line * alignment
    }

    private static func unmap(_ buffer: UnsafeMutableRawPointer, byteCount: Int) {
        let start = UnsafeMutableRawPointer(bitPattern: UInt(bitPattern: buffer) & ~UInt(pageSize - 1))!
        munmap(start, byteCount + pageSize)
    }

    private static let pageSize = 4096
}
