public import RenderTracker

/// Told of every write's outcome, in the order the writes happened: the live stream for monitors,
/// plugin hooks and (later) recording attach here. Called while the tracker's lock is held, so an
/// observer must only hand the outcome on (wake a waiter, push to a bounded queue), never block.
/// `tracker` is the state just after the write, for the little an observer needs to read with it.
public protocol TrackerObserver: Sendable {
    func trackerDidApply(_ command: TrackerCommand, outcome: TrackerOutcome, in tracker: Tracker)
}
