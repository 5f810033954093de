/// Every change a client can make to the tracker. All writes go through `Tracker.apply(_:)` as one
/// of these, so recording, replaying and hooking attach in one place.
public enum TrackerCommand: Sendable, Equatable {
    case startedRenderProject(project: String, frames: [Int], generatesIFDs: Bool, jobID: String)
    case startedGeneratingFrameIFD(project: String, frame: Int)
    case endedGeneratingFrameIFD(project: String, frame: Int)
    case startedFrameRender(project: String, frame: Int, jobID: String, imagePath: String)
    /// `fraction` as the client sent it; the tracker normalises it (see `Fraction.normalized`).
    case setFrameRenderFraction(project: String, frame: Int, fraction: Double)
    case setFrameDownloadFraction(project: String, frame: Int, fraction: Double)
    case setFrameError(project: String, frame: Int, message: String)
    case setProjectError(project: String, message: String)
    case removeProject(project: String)
    case incrementAndGetLastEventID

    /// The RPC method name that carries this command.
    public var methodName: String {
        switch self {
        case .startedRenderProject: "startedRenderProject"
        case .startedGeneratingFrameIFD: "startedGeneratingFrameIFD"
        case .endedGeneratingFrameIFD: "endedGeneratingFrameIFD"
        case .startedFrameRender: "startedFrameRender"
        case .setFrameRenderFraction: "setFrameRenderFraction"
        case .setFrameDownloadFraction: "setFrameDownloadFraction"
        case .setFrameError: "setFrameError"
        case .setProjectError: "setProjectError"
        case .removeProject: "removeProject"
        case .incrementAndGetLastEventID: "incrementAndGetLastEventId"
        }
    }
}
