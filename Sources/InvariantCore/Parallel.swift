import Dispatch
import Foundation

/// Runs `body(i)` for every `i` in `0..<count` on up to `threads` threads and returns the
/// results in index order. The results never depend on the thread count.
public func parallelMap<T>(_ count: Int, threads: Int, _ body: (Int) -> T) -> [T] {
    guard count > 0 else { return [] }
    let workers = max(1, min(threads, count))
    if workers == 1 { return (0..<count).map(body) }
    var results = [T?](repeating: nil, count: count)
    let next = AtomicCounter()
    results.withUnsafeMutableBufferPointer { buffer in
        let slots = buffer
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let i = next.increment()
                if i >= count { break }
                slots[i] = body(i)
            }
        }
    }
    return results.map { $0! }
}

/// The number of cores this process may use.
public var availableCores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

/// A lock-protected counter handed out from several threads.
public final class AtomicCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Int

    public init(_ start: Int = 0) { value = start }

    /// Returns the current value and advances it by one.
    public func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        let current = value
        value += 1
        return current
    }
}
