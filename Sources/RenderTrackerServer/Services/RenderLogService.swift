public import Logging
public import RenderLog
public import ServiceLifecycle

/// Writes the render log out while the daemon runs: every 100 ms, again on SIGHUP after
/// reopening the file (logrotate's move-then-HUP), and a last time on graceful shutdown. Added
/// after the HTTP server, so it is told to stop only once the server has answered its last call.
public struct RenderLogService: Service {
    public let recorder: RenderLogRecorder
    public let logger: Logger

    public init(recorder: RenderLogRecorder, logger: Logger) {
        self.recorder = recorder
        self.logger = logger
    }

    public func run() async throws {
        await PeriodicWork.run(every: .milliseconds(100)) {
            recorder.reopen()
            logger.notice("SIGHUP: render log reopened", metadata: ["file": "\(recorder.path)"])
        } tick: {
            recorder.flush()
        }
        recorder.flush()
        let statistics = recorder.statistics
        if statistics.writeErrors > 0 {
            logger.error("render log incomplete", metadata: [
                "file": "\(recorder.path)", "writeErrors": "\(statistics.writeErrors)", "linesLost": "\(statistics.linesLost)",
            ])
        }
    }
}
