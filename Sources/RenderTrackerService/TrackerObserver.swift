public import RenderLog
public import RenderTracker

/// One write as the pipeline hands it on: the command, what the model made of it, and the RPC
/// call that carried it (nil for a write from inside the process).
public struct TrackerWrite: Sendable {
    public var command: TrackerCommand
    public var outcome: TrackerOutcome
    /// As the client sent it, for the render log.
    public var call: RecordedCall?
    /// Whether this daemon took the write, or another daemon sharing the store did.
    public var origin: WriteOrigin
    /// The write's place in a shared store's order of writes; nil when it has none (one daemon's
    /// store, or a write applied here alone while the shared store was out of reach).
    public var orderPosition: Int?

    public init(command: TrackerCommand, outcome: TrackerOutcome, call: RecordedCall?, origin: WriteOrigin = .here, orderPosition: Int? = nil) {
        self.command = command
        self.outcome = outcome
        self.call = call
        self.origin = origin
        self.orderPosition = orderPosition
    }
}

/// Who took a write. With a store shared by several daemons (PostgreSQL), each daemon applies
/// every daemon's writes in the shared order; what happens once per write across the daemons
/// (plugin hooks, the event's log line) happens on the daemon that took it.
public enum WriteOrigin: Sendable, Equatable {
    /// A client of this daemon, or this process.
    case here
    /// Another daemon on the same store; applied here in its place in the shared order.
    case anotherDaemon
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
    /// The whole state was replaced (`SharedTracker.replaceState`), inside the tracker's lock.
    func trackerDidReplaceState(_ tracker: Tracker)
}

extension TrackerObserver {
    public func trackerDidApply(_ write: TrackerWrite, in tracker: Tracker) {}
    public func trackerDidFinish(_ write: TrackerWrite) {}
    public func trackerDidReplaceState(_ tracker: Tracker) {}
}
