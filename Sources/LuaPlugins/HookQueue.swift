import DequeModule
import Dispatch
import Foundation
import Synchronization

/// Events waiting for hooks, run one at a time on a dedicated low-priority thread (never a Swift
/// cooperative thread, never an event loop). Pushing never blocks: beyond `capacity` waiting
/// events, new ones are dropped and counted. The thread runs at the lowest CPU priority, so hooks
/// that spin take only idle time from the RPC threads on a busy machine.
final class HookQueue: Sendable {
    private struct Waiting {
        var items: Deque<@Sendable () -> Void> = []
        var running = false
    }

    private let capacity: Int
    private let waiting = Mutex(Waiting())
    private let available = DispatchSemaphore(value: 0)
    private let droppedCount = Atomic<Int>(0)
    private let started = Atomic<Bool>(false)

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Events queued and the one running, if any.
    var depth: Int { waiting.withLock { $0.items.count + ($0.running ? 1 : 0) } }
    var dropped: Int { droppedCount.load(ordering: .relaxed) }

    /// Queues `work`; false (and counted) when the queue is full.
    func push(_ work: @escaping @Sendable () -> Void) -> Bool {
        startIfNeeded()
        let queued = waiting.withLock { waiting in
            guard waiting.items.count < capacity else { return false }
            waiting.items.append(work)
            return true
        }
        guard queued else {
            droppedCount.add(1, ordering: .relaxed)
            return false
        }
        available.signal()
        return true
    }

    private func startIfNeeded() {
        guard started.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        let thread = Thread { [self] in
            #if os(Linux)
            // Nice 19 for this thread only: on Linux the nice value is per thread, and 0 names the caller.
            setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
            #else
            Thread.current.qualityOfService = .background
            #endif
            while true {
                available.wait()
                let work = waiting.withLock { waiting -> (@Sendable () -> Void)? in
                    guard let work = waiting.items.popFirst() else { return nil }
                    waiting.running = true
                    return work
                }
                work?()
                waiting.withLock { $0.running = false }
            }
        }
        thread.name = "rendertracker-hooks"
        thread.start()
    }

    /// Waits until every queued event has run, at most `seconds`; false if some were still waiting.
    /// Blocks the calling thread: for callers on threads of their own (scenarios), never a task.
    func drainBlocking(seconds: Double) -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while depth > 0, ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.002)
        }
        return depth == 0
    }

    /// Waits until every queued event has run, at most `seconds`; false if some were still waiting.
    func drain(seconds: Double) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while depth > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return depth == 0
    }
}
