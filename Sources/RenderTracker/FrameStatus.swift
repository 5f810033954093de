/// Where a frame is in its life. The raw values are the wire indices clients rely on: never reorder.
public enum FrameStatus: Int, Sendable, CaseIterable, Hashable {
    case waiting = 0
    case generatingIFD = 1
    case ifdReady = 2
    case rendering = 3
    case downloading = 4
    case done = 5
    case error = 6

    /// The display name, as the original tracker's status list spells it.
    public var name: String {
        switch self {
        case .waiting: "Waiting"
        case .generatingIFD: "Generating IFD"
        case .ifdReady: "IFD Ready"
        case .rendering: "Rendering"
        case .downloading: "Downloading"
        case .done: "Done"
        case .error: "Error"
        }
    }

    /// Still has work ahead of it: neither finished nor failed.
    public var isActive: Bool { self != .done && self != .error }

    /// Waits for a machine to render it: not yet rendered, or failed (HQueue reruns failed jobs).
    var isQueued: Bool { self == .waiting || self == .generatingIFD || self == .ifdReady || self == .error }
}
