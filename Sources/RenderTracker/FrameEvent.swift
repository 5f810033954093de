/// One thing that happened to a frame, as kept in its log. Stored structured and formatted only
/// when read, so the hot write path does no string building.
public enum FrameEvent: Sendable, Equatable {
    case waiting(jobID: String)
    case addedImplicitly(method: String, projectCreated: Bool)
    case generatingIFD
    case ifdReady
    case renderStarted(jobID: String, imagePath: String, previous: FrameStatus)
    case renderProgress(Double)
    case downloadProgress(Double)
    case done
    case error(String)
    case projectError(String, keptStatus: FrameStatus?)

    /// The log line text, without its timestamp.
    public var text: String {
        switch self {
        case .waiting(let jobID):
            return "Waiting (project started by job \(jobID.isEmpty ? "?" : jobID))"
        case .addedImplicitly(let method, let projectCreated):
            return projectCreated
                ? "first heard of in \(method): project created implicitly"
                : "first heard of in \(method): frame added to the project"
        case .generatingIFD:
            return "Generating IFD"
        case .ifdReady:
            return "IFD Ready"
        case .renderStarted(let jobID, let imagePath, let previous):
            let retry = previous == .error ? " (retry after error)" : ""
            return "Rendering by job \(jobID), image \(imagePath)\(retry)"
        case .renderProgress(let fraction):
            return "Rendering \(Self.percent(fraction))"
        case .downloadProgress(let fraction):
            return "Downloading \(Self.percent(fraction))"
        case .done:
            return "Done"
        case .error(let message):
            return "Error: \(message)"
        case .projectError(let message, let keptStatus):
            if let keptStatus {
                return "project error (frame stays \(keptStatus.name)): \(message)"
            }
            return "Error (project error): \(message)"
        }
    }

    /// Progress reports replace the previous one in the log instead of piling up: a frame
    /// reports every percent, and the log is for what happened, not a progress trace.
    func replaces(_ earlier: FrameEvent) -> Bool {
        switch (self, earlier) {
        case (.renderProgress, .renderProgress), (.downloadProgress, .downloadProgress): true
        default: false
        }
    }

    private static func percent(_ fraction: Double) -> String {
        "\(Int((fraction * 100).rounded()))%"
    }
}

/// A timestamped log entry.
public struct FrameLogEntry: Sendable, Equatable {
    public var time: Timestamp
    public var event: FrameEvent

    public init(time: Timestamp, event: FrameEvent) {
        self.time = time
        self.event = event
    }

    /// `2026-11-24T23:42:26.123Z Rendering 45%`
    public var line: String { "\(time.iso8601) \(event.text)" }
}
