public import RenderLog
public import RenderTracker
import Synchronization

/// The daemon's one tracker, shared by every connection behind a lock. Every write goes through
/// `apply`, the one pipeline: the model applies the command, then each `TrackerObserver` is told,
/// first inside the lock (change feed, plugin hooks, render log), then after it (logging).
///
/// With a store shared by several daemons, the store's `WriteSequencer` decides the order of
/// writes: `apply` hands the command to it, and it applies every daemon's writes here, in the
/// shared order, through `applyInOrder`, so every daemon gives out the same event ids.
public final class SharedTracker: Sendable {
    private let tracker: Mutex<Tracker>
    private let observers: [any TrackerObserver]
    private let sequencer: (any WriteSequencer)?
    private let clock: any TrackerClock

    /// - Parameters:
    ///   - observers: the pipeline's stages, told in this order.
    ///   - sequencer: the shared order of writes, when the store has one; it is attached here.
    public init(_ tracker: Tracker, observers: [any TrackerObserver] = [], sequencer: (any WriteSequencer)? = nil) {
        self.clock = tracker.clock
        self.tracker = Mutex(tracker)
        self.observers = observers
        self.sequencer = sequencer
        sequencer?.attach(self)
    }

    /// - Parameter call: the RPC call that carried the command, for the render log.
    @discardableResult
    public func apply(_ command: TrackerCommand, call: RecordedCall? = nil) -> TrackerOutcome {
        if let sequencer {
            return sequencer.commit(command, call: call, at: clock.now())
        }
        return pipeline(command, call: call, origin: .here, position: nil) { tracker in
            tracker.apply(command, from: call?.client)
        }
    }

    /// Applies a write whose place in the order was decided elsewhere (the sequencer's shared
    /// order), at the time it was taken. Only a `WriteSequencer` calls this, one write at a time,
    /// in the shared order; `position` is the write's place there.
    @discardableResult
    public func applyInOrder(
        _ command: TrackerCommand, client: String?, call: RecordedCall?, at time: Timestamp, origin: WriteOrigin, position: Int
    ) -> TrackerOutcome {
        pipeline(command, call: call, origin: origin, position: position) { tracker in
            tracker.apply(command, from: client, at: time)
        }
    }

    private func pipeline(
        _ command: TrackerCommand, call: RecordedCall?, origin: WriteOrigin, position: Int?, _ change: (inout Tracker) -> TrackerOutcome
    ) -> TrackerOutcome {
        let write = tracker.withLock { tracker in
            let write = TrackerWrite(command: command, outcome: change(&tracker), call: call, origin: origin, orderPosition: position)
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

    /// Applies a write here at once, outside the shared order (a shared store out of reach): the
    /// sequencer ships it later and takes the shared state again (`replaceState`).
    @discardableResult
    public func applyAlone(_ command: TrackerCommand, call: RecordedCall?, at time: Timestamp) -> TrackerOutcome {
        pipeline(command, call: call, origin: .here, position: nil) { tracker in
            tracker.apply(command, from: call?.client, at: time)
        }
    }

    /// Ids given out from now on lie 2^28 above the current ones. A daemon on a shared store does
    /// this when it starts serving alone: the writes it applies alone are numbered again when the
    /// shared state comes back, so a monitor's cursor from meanwhile must not fall inside the shared
    /// numbering (it would get a partial answer); above it, the cursor gets a reset, everything
    /// again. 2^28 ids are 18 hours of outage at 4,000 writes a second; more would push ids past
    /// 2^31, which Python's xmlrpc.client refuses to send back as a cursor.
    public func setAsideEventIDs() {
        tracker.withLock { $0.advanceEventCounter(by: 1 << 28) }
    }

    /// Replaces the whole state with `restored` (a daemon on a shared store taking the shared
    /// state again after serving alone through a database outage); the observers are told.
    public func replaceState(with restored: RestoredState) {
        tracker.withLock { tracker in
            tracker = Tracker(
                restoring: restored.projects, lastEventID: restored.lastEventID, histories: restored.histories, clock: tracker.clock,
                limits: tracker.limits, estimator: tracker.estimator)
            for observer in observers {
                observer.trackerDidReplaceState(tracker)
            }
        }
    }

    /// Waits (briefly) until this daemon has applied the writes that gave out event id `id`
    /// elsewhere: a monitor polling several daemons with one cursor gets what changed after it,
    /// not a reset. Returns at once without a shared store or when `id` is known here.
    public func catchUp(toEventID id: Int) {
        guard let sequencer, read({ $0.lastEventID }) < id else { return }
        sequencer.catchUp()
    }

    /// Runs a read against the current state. Keep `body` short: writers wait for it.
    public func read<Result: Sendable>(_ body: (Tracker) -> Result) -> Result {
        tracker.withLock { body($0) }
    }
}

/// The order of writes across several daemons sharing a store (PostgreSQL): each write gets its
/// place in one shared order before any daemon applies it, and every daemon applies every write in
/// that order, so the frames, logs and event ids are the same on each.
public protocol WriteSequencer: Sendable {
    /// Called once by the `SharedTracker` the sequencer applies writes to.
    func attach(_ tracker: SharedTracker)

    /// Puts the write in the shared order and returns once this daemon has applied it there (the
    /// outcome is this daemon's). Never fails: when the shared order cannot be reached in time,
    /// the write is applied here at once (`SharedTracker.applyAlone`) and shipped later, and the
    /// store says so in `health`.
    func commit(_ command: TrackerCommand, call: RecordedCall?, at time: Timestamp) -> TrackerOutcome

    /// Applies the writes the shared order has that this daemon has not applied yet; returns after
    /// at most about a second.
    func catchUp()
}
