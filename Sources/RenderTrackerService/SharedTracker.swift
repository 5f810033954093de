public import RenderLog
public import RenderTracker
import Synchronization

/// The daemon's one tracker, shared by every connection behind a lock. Every write goes through
/// `apply`, the one pipeline: the model applies the command, then each `TrackerObserver` is told,
/// first inside the lock (change feed, plugin hooks, render log), then after it (logging).
public final class SharedTracker: Sendable {
    private let tracker: Mutex<Tracker>
    private let observers: [any TrackerObserver]

    /// - Parameter observers: the pipeline's stages, told in this order.
    public init(_ tracker: Tracker, observers: [any TrackerObserver] = []) {
        self.tracker = Mutex(tracker)
        self.observers = observers
    }

    /// - Parameter call: the RPC call that carried the command, for the render log.
    @discardableResult
    public func apply(_ command: TrackerCommand, call: RecordedCall? = nil) -> TrackerOutcome {
        let write = tracker.withLock { tracker in
            let write = TrackerWrite(command: command, outcome: tracker.apply(command, from: call?.client), call: call)
            // Inside the lock, so every observer sees writes in event-id order.
            for observer in observers {
                observer.trackerDidApply(write, in: tracker)
            }
            return write
        }
        for observer in observers {
            observer.trackerDidFinish(write)
        }
        return write.outcome
    }

    /// Runs a read against the current state. Keep `body` short: writers wait for it.
    public func read<Result: Sendable>(_ body: (Tracker) -> Result) -> Result {
        tracker.withLock { body($0) }
    }
}
