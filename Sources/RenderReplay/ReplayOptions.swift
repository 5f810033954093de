/// How a render log is replayed.
public struct ReplayOptions: Sendable {
    /// Time runs this many times faster than recorded (> 0). In-process it compresses virtual
    /// time about the first call; against a live tracker it shortens the waits between calls.
    public var speed: Double
    /// Against a live tracker: send back to back, no waits. In-process replays never wait anyway.
    public var fast: Bool
    /// Damaged lines are reported as warnings and skipped instead of stopping the replay.
    public var skipBad: Bool
    /// Lua plugins loaded into an in-process tracker, notifications captured, not sent.
    public var pluginFolder: String?
    /// How many faults the summary quotes (all are counted).
    public var faultsShown: Int
    /// Against a live tracker: replay even when it already has projects the log names
    /// (`ReplayRefusal.projectsExist` otherwise).
    public var replace: Bool

    public init(
        speed: Double = 1, fast: Bool = false, skipBad: Bool = false, pluginFolder: String? = nil, faultsShown: Int = 5, replace: Bool = false
    ) {
        self.replace = replace
        self.speed = speed
        self.fast = fast
        self.skipBad = skipBad
        self.pluginFolder = pluginFolder
        self.faultsShown = faultsShown
    }
}
