public import Logging
import RenderTracker

/// The write pipeline's last stage: logs what the model reported, after the tracker's lock is
/// released (a log handler may block on its output).
public struct TrackerEventLog: TrackerObserver {
    public let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    public func trackerDidFinish(_ write: TrackerWrite) {
        var evicted: [String] = []
        for event in write.outcome.events {
            if case let .projectEvicted(project) = event {
                evicted.append(project)
            } else {
                log(event)
            }
        }
        // Projects leave memory in batches: one line for a batch, not one per project.
        if let first = evicted.first {
            logger.notice("projects left memory: past the live-project limit (kept in the history)", metadata: [
                "count": "\(evicted.count)", "first": "\(first)",
            ])
        }
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
        case .projectEvicted:
            break  // logged a batch at a time by trackerDidFinish
        }
    }
}
