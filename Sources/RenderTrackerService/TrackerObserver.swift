public import RenderLog
public import RenderTracker

/// One write as the pipeline hands it on: the command, what the model made of it, and the RPC
/// call that carried it (nil for a write from inside the process).
public struct TrackerWrite: Sendable {
    public var command: TrackerCommand
    public var outcome: TrackerOutcome
    /// As the client sent it, for the render log.
    public var call: RecordedCall?

    public init(command: TrackerCommand, outcome: TrackerOutcome, call: RecordedCall?) {
        self.command = command
        self.outcome = outcome
        self.call = call
    }
}

/// A stage of the write pipeline (`SharedTracker.apply`). Every write reaches every observer, in
/// the order the writes happened, in two steps:
/// - `trackerDidApply(_:in:)` inside the tracker's lock, with the state just after the write: the
///   change feed, plugin hooks and the render log attach here, so they see writes in event-id
///   order. It must only hand the write on (wake a waiter, append to a buffer, push to a bounded
///   queue), never block: every other client waits meanwhile.
/// - `trackerDidFinish(_:)` after the lock is released: logging, and anything slow.
public protocol TrackerObserver: Sendable {
    func trackerDidApply(_ write: TrackerWrite, in tracker: Tracker)
    func trackerDidFinish(_ write: TrackerWrite)
}

extension TrackerObserver {
    public func trackerDidApply(_ write: TrackerWrite, in tracker: Tracker) {}
    public func trackerDidFinish(_ write: TrackerWrite) {}
}
