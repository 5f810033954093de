import Dispatch
import Synchronization

/// Events waiting for hooks, run one at a time on a serial Dispatch queue (never a Swift
/// cooperative thread, never an event loop). Pushing never blocks: beyond `capacity` waiting
/// events, new ones are dropped and counted.
final class HookQueue: Sendable {
    private let queue = DispatchQueue(label: "rendertracker.plugin-hooks")
    private let capacity: Int
    private let waiting = Atomic<Int>(0)
    private let droppedCount = Atomic<Int>(0)

    init(capacity: Int) {
        self.capacity = capacity
    }

    var depth: Int { waiting.load(ordering: .relaxed) }
    var dropped: Int { droppedCount.load(ordering: .relaxed) }

    /// Queues `work`; false (and counted) when the queue is full.
    func push(_ work: @escaping @Sendable () -> Void) -> Bool {
        if waiting.add(1, ordering: .relaxed).newValue > capacity {
            waiting.subtract(1, ordering: .relaxed)
            droppedCount.add(1, ordering: .relaxed)
            return false
        }
        queue.async { [self] in
            work()
            waiting.subtract(1, ordering: .relaxed)
        }
        return true
    }

    /// Waits (on a Dispatch thread) until every queued event has run, at most `seconds`.
    func drain(seconds: Double) async -> Bool {
        await withCheckedContinuation { continuation in
            let done = DispatchSemaphore(value: 0)
            queue.async { done.signal() }
            DispatchQueue.global().async {
                continuation.resume(returning: done.wait(timeout: .now() + seconds) == .success)
            }
        }
    }
}
