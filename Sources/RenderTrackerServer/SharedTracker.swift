public import Logging
public import RenderTracker
import Synchronization

/// The daemon's one tracker, shared by every connection behind a lock. Writes go through `apply`,
/// the place where logging and the observers (live stream, hooks, recording) attach to what the
/// model reports.
public final class SharedTracker: Sendable {
    private let tracker: Mutex<Tracker>
    private let logger: Logger
    private let observers: [any TrackerObserver]
    /// Where writes are recorded (`serve --record`); nil records nothing.
    public let recorder: RenderLogRecorder?

    public init(_ tracker: Tracker, logger: Logger, observers: [any TrackerObserver] = [], recorder: RenderLogRecorder? = nil) {
        self.tracker = Mutex(tracker)
        self.logger = logger
        self.observers = observers
        self.recorder = recorder
    }

    /// - Parameter recording: the call that carried the command, appended to the render log
    ///   inside the lock, so concurrent clients are recorded in the order their writes applied.
    @discardableResult
    public func apply(_ command: TrackerCommand, recording: RecordedCall? = nil) -> TrackerOutcome {
        let outcome = tracker.withLock { tracker in
            let outcome = tracker.apply(command)
            if let recording, let recorder {
                recorder.append(recording, at: outcome.time)
            }
            // Inside the lock, so every observer sees outcomes in event-id order.
            for observer in observers {
                observer.trackerDidApply(command, outcome: outcome, in: tracker)
            }
            return outcome
        }
        for event in outcome.events {
            log(event)
        }
        return outcome
    }

    /// Runs a read against the current state. Keep `body` short: writers wait for it.
    public func read<Result: Sendable>(_ body: (Tracker) -> Result) -> Result {
        tracker.withLock { body($0) }
    }

    private func log(_ event: TrackerEvent) {
        switch event {
        case let .projectStarted(project, jobID, frameCount, replaced):
            logger.info("project started", metadata: [
                "project": "\(project)", "job": "\(jobID)", "frames": "\(frameCount)", "replaced": "\(replaced)",
            ])
        case let .projectCreatedImplicitly(project, method):
            logger.notice("project created implicitly: the tracker never saw it start", metadata: [
                "project": "\(project)", "method": "\(method)",
            ])
        case let .frameAddedImplicitly(project, frame, method):
            logger.debug("frame added implicitly", metadata: ["project": "\(project)", "frame": "\(frame)", "method": "\(method)"])
        case let .frameStatusChanged(project, frame, from, to, jobID, _):
            logger.debug("frame status", metadata: [
                "project": "\(project)", "frame": "\(frame)", "from": "\(from.name)", "to": "\(to.name)", "job": "\(jobID)",
            ])
        case let .projectStateChanged(project, from, to):
            logger.info("project \(to.rawValue)", metadata: ["project": "\(project)", "was": "\(from.rawValue)"])
        case let .projectError(project, message):
            logger.warning("project error", metadata: ["project": "\(project)", "message": "\(message.clipped(toBytes: 500))"])
        case let .projectRemoved(project):
            logger.info("project removed", metadata: ["project": "\(project)"])
        }
    }
}
