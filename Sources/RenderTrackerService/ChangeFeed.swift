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
    /// Open streams at most from one client address: one client (a script, a browser with many
    /// tabs) cannot take every slot and lock every other monitor out. Eight pages per machine;
    /// monitors behind one proxy share its address and so these eight.
    public static let maxStreamsPerClient = 8

    /// Why a stream gets no slot.
    public enum Refusal: Sendable, Equatable, CustomStringConvertible {
        case shuttingDown
        case full
        case clientFull

        public var description: String {
            switch self {
            case .shuttingDown: "the server is stopping"
            case .full: "too many open event streams (\(ChangeFeed.maxStreams))"
            case .clientFull: "too many open event streams from this address (\(ChangeFeed.maxStreamsPerClient))"
            }
        }
    }

    private struct State {
        /// Counts every write, removals included (a removal takes no event id but changes the
        /// project list), and every closed stream connection (`wakeStreams`).
        var version = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiterID = 0
        var openStreams = 0
        var streamsByClient: [String: Int] = [:]
        var isShutDown = false

        func refusal(for client: String) -> Refusal? {
            if isShutDown { return .shuttingDown }
            if openStreams >= ChangeFeed.maxStreams { return .full }
            if streamsByClient[client, default: 0] >= ChangeFeed.maxStreamsPerClient { return .clientFull }
            return nil
        }

        mutating func takeWaiters() -> [CheckedContinuation<Void, Never>] {
            guard !waiters.isEmpty else { return [] }
            defer { waiters.removeAll(keepingCapacity: true) }
            return Array(waiters.values)
        }
    }

    private let state = Mutex(State())

    public init() {}

    public func trackerDidApply(_ write: TrackerWrite, in tracker: Tracker) {
        wakeStreams()
    }

    public func trackerDidReplaceState(_ tracker: Tracker) {
        wakeStreams()
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

    /// Why a stream from `client` (its address) would get no slot now, or nil when it would
    /// (to refuse before answering 200).
    public func refusal(for client: String) -> Refusal? {
        state.withLock { $0.refusal(for: client) }
    }

    /// Takes a stream slot for `client`; false when it would be refused.
    public func openStream(for client: String) -> Bool {
        state.withLock { state in
            guard state.refusal(for: client) == nil else { return false }
            state.openStreams += 1
            state.streamsByClient[client, default: 0] += 1
            return true
        }
    }

    public func closeStream(for client: String) {
        state.withLock { state in
            state.openStreams -= 1
            let left = state.streamsByClient[client, default: 1] - 1
            state.streamsByClient[client] = left > 0 ? left : nil
        }
    }

    /// Counts a change and wakes every parked stream. Every write does; so does a stream's
    /// connection closing, so that the stream notices at once and gives its slot back (the others
    /// look, find nothing new and park again). Counting it too means a stream about to park
    /// cannot miss the wake.
    public func wakeStreams() {
        let waiters = state.withLock { state in
            state.version += 1
            return state.takeWaiters()
        }
        // Resuming only schedules the stream's task: nothing here blocks the writer.
        for waiter in waiters {
            waiter.resume()
        }
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
