public import Logging
import RenderTracker

/// The write pipeline's last stage: logs what the model reported, after the tracker's lock is
/// released (a log handler may block on its output).
public struct TrackerEventLog: TrackerObserver {
    public let logger: Logger

    /// Bytes of a project error's message in its log line. HQueue sends mantra's whole output as
    /// the message; the line's job is to say which project failed and why in a glance, and the
    /// whole message stays in the frames' logs (`getFrameLog`). At 500 bytes a line was about
    /// 600 bytes; at 160, about 270.
    static let messageBytes = 160

    public init(logger: Logger) {
        self.logger = logger
    }

    /// Logged by the daemon that took the write: one line per event across daemons sharing a store.
    public func trackerDidFinish(_ write: TrackerWrite) {
        guard write.origin == .here else { return }
        var evicted: [String] = []
        for event in write.outcome.events {
            if case let .projectEvicted(project) = event {
                evicted.append(project)
            } else {
                log(event, client: write.call?.client ?? "this process")
            }
        }
        // Projects leave memory in batches: one line for a batch, not one per project.
        if let first = evicted.first {
            logger.notice("projects left memory: past the live-project limit (kept in the history)", metadata: [
                "count": "\(evicted.count)", "first": "\(first)",
            ])
        }
    }

    /// Writes that remove or replace state (a render started again over a project, a project failed
    /// as a whole, a project removed) name the client that sent them, so an operator can tell which
    /// machine or script did it; `this process` for a write from inside the daemon.
    private func log(_ event: TrackerEvent, client: String) {
        switch event {
        case let .projectStarted(project, jobID, frameCount, replaced):
            logger.info("project started", metadata: [
                "project": "\(project)", "job": "\(jobID)", "frames": "\(frameCount)", "replaced": "\(replaced)", "client": "\(client)",
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
            logger.warning("project error", metadata: [
                "project": "\(project)", "message": "\(message.clipped(toBytes: Self.messageBytes))", "client": "\(client)",
            ])
        case let .projectRemoved(project):
            logger.info("project removed", metadata: ["project": "\(project)", "client": "\(client)"])
        case .projectEvicted:
            break  // logged a batch at a time by trackerDidFinish
        }
    }
}
