public import RenderTracker
import Synchronization

/// The hub between the tracker and the open event streams (the server's `EventStream`): told of
/// every write (as a `TrackerObserver`, inside the tracker's lock), it counts them and wakes the streams that
/// wait for a change. It holds no tracker state: each stream reads what changed itself, so a
/// write costs one uncontended lock and a counter increment however many pages are open.
public final class ChangeFeed: TrackerObserver {
    /// Open streams at most; one more is refused with 503. An idle stream costs a parked
    /// continuation and a sleeping heartbeat timer, so this guards memory against a runaway client,
    /// not CPU.
    public static let maxStreams = 64

    private struct State {
        /// Counts every write, removals included (a removal takes no event id but changes the
        /// project list).
        var version = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiterID = 0
        var openStreams = 0
        var isShutDown = false

        mutating func takeWaiters() -> [CheckedContinuation<Void, Never>] {
            guard !waiters.isEmpty else { return [] }
            defer { waiters.removeAll(keepingCapacity: true) }
            return Array(waiters.values)
        }
    }

    private let state = Mutex(State())

    public init() {}

    public func trackerDidApply(_ write: TrackerWrite, in tracker: Tracker) {
        let waiters = state.withLock { state in
            state.version += 1
            return state.takeWaiters()
        }
        // Resuming only schedules the stream's task: nothing here blocks the writer.
        for waiter in waiters {
            waiter.resume()
        }
    }

    /// The write count now. Read it inside `SharedTracker.read`, with the state a stream sends,
    /// so that a later `waitForChange(after:)` cannot miss a write in between.
    public var version: Int {
        state.withLock { $0.version }
    }

    public var isShutDown: Bool {
        state.withLock { $0.isShutDown }
    }

    /// Returns once a write after `version` happened, the feed shut down, or the task was cancelled.
    public func waitForChange(after version: Int) async {
        let id = state.withLock { state in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let parked = state.withLock { state in
                    guard state.version <= version, !state.isShutDown, !Task.isCancelled else { return false }
                    state.waiters[id] = continuation
                    return true
                }
                if !parked {
                    continuation.resume()
                }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }

    /// Whether a stream would get a slot now (to refuse with 503 before answering 200).
    public var hasRoomForStream: Bool {
        state.withLock { !$0.isShutDown && $0.openStreams < Self.maxStreams }
    }

    /// Takes a stream slot; false when `maxStreams` are open or the server is shutting down.
    public func openStream() -> Bool {
        state.withLock { state in
            guard !state.isShutDown, state.openStreams < Self.maxStreams else { return false }
            state.openStreams += 1
            return true
        }
    }

    public func closeStream() {
        state.withLock { $0.openStreams -= 1 }
    }

    /// Graceful shutdown: every stream ends after its current batch, so SIGTERM is not held up by
    /// an open page. Later stream requests are refused.
    public func shutDown() {
        let waiters = state.withLock { state in
            state.isShutDown = true
            return state.takeWaiters()
        }
        for waiter in waiters {
            waiter.resume()
        }
    }
}
