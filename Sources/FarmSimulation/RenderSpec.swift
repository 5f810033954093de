/// How a render was submitted, and so which calls its jobs make (see hqueue-clients.md).
public enum RenderRoute: String, Sendable, CaseIterable {
    /// A job writes IFDs (startedRenderProject with generate_ifds true, then per frame
    /// startedGeneratingFrameIFD / endedGeneratingFrameIFD); mantra renders them with the tile
    /// callback reporting fractions and 1.0.
    case ifd
    /// A prepare job sends startedRenderProject with generate_ifds false; render jobs render from
    /// the hip file and report 100.0 when a frame is finished.
    case hip
    /// Render jobs of IFDs written earlier: no startedRenderProject, no startedFrameRender, only
    /// setFrameRenderFraction(1.0) or setFrameError for projects the tracker never saw start.
    case existingIFDs = "existing_ifds"
}

/// One render submitted to the simulated farm.
public struct RenderSpec: Sendable {
    /// The project name asked for; nil derives it from `user` and `hipPath` with the tracker's
    /// `applyProjectNameFormula`. Either way `suggestInactiveProjectName` has the last word.
    public var project: String?
    public var user: String
    public var hipPath: String
    /// In the order the submitter lists them (HQueue may send them unsorted), which is also the
    /// order their jobs queue in.
    public var frames: [Int]
    /// Seconds each frame takes on a machine of speed 1, by position in `frames`.
    public var frameSeconds: [Double]
    public var route: RenderRoute
    /// Seconds to write one frame's IFD, at speed 1.
    public var ifdSeconds: Double = 8
    /// Frames per IFD-generation job.
    public var ifdFramesPerJob: Int = 10
    /// Seconds the first job spends before it sends startedRenderProject's follow-up work, at speed 1.
    public var prepareSeconds: Double = 5
    /// Frames each render job renders, one after another.
    public var framesPerJob: Int = 1
    /// Tiles per frame: each tile is its own job, and each sends startedFrameRender for the frame.
    public var tiles: Int = 1
    /// Cloud renders: the workstation downloads each rendered frame in this many seconds, with
    /// setFrameDownloadFraction calls; nil renders locally.
    public var downloadSeconds: Double?
    /// Frames the workstation downloads at once.
    public var downloadSlots: Int = 4
    /// Tile-callback fraction reports per frame (fractions floored to 0.01, sent only when changed).
    public var progressReports: Int = 10
    /// Attempts that fail, by frame number: 1 fails the first attempt, and so on.
    public var failingAttempts: [Int: Int] = [:]
    /// The chance that any one attempt at a frame fails.
    public var failureRate: Double = 0
    /// How far through its render a failing attempt gets, 0...1.
    public var failurePoint: Double = 0.3
    /// Times HQueue reruns a failed job.
    public var retries: Int = 1
    /// Bytes of mantra output a failed frame sends as its error message.
    public var errorOutputBytes: Int = 16_384
    /// The first job fails before any frame with this setProjectError message.
    public var projectError: String?
    /// The client bug that sends setProjectError("Output driver ... does not exist.") although the
    /// driver exists; the render goes on.
    public var spuriousDriverError: Bool = false
    /// HQueue's job id of the render's first job; nil numbers it after the farm's last.
    public var jobID: Int?
    /// HQueue's job priority: a free machine takes the ready job of the highest priority, first
    /// come, first served among equals. A render submitted later with a higher priority overtakes.
    public var priority: Int = 0
    /// Seconds each render job spends before its first frame (loading the scene, textures,
    /// licence checkout), at speed 1; the tracker sees nothing of it.
    public var startupSeconds: Double = 0
    /// How long a rerun attempt of a frame takes relative to its first (caches warm: below 1; a
    /// frame retried on a smaller node: above 1).
    public var retrySecondsFactor: Double = 1
    /// Relative cost of each tile (one weight per tile); nil: equal tiles.
    public var tileWeights: [Double]?

    public init(project: String?, user: String, hipPath: String, frames: [Int], frameSeconds: [Double], route: RenderRoute) {
        self.project = project
        self.user = user
        self.hipPath = hipPath
        self.frames = frames
        self.frameSeconds = frameSeconds
        self.route = route
    }

    /// What is wrong with the spec, for the scenario author; nil when it can run.
    /// The share of a frame's time tile `tile` takes.
    func tileShare(_ tile: Int) -> Double {
        guard let weights = tileWeights, weights.indices.contains(tile) else { return 1 / Double(tiles) }
        return weights[tile] / weights.reduce(0, +)
    }

    public var problem: String? {
        if frames.isEmpty { return "frames is empty" }
        if Set(frames).count != frames.count { return "frames lists a frame more than once" }
        if frameSeconds.count != frames.count { return "frame_seconds gives \(frameSeconds.count) times for \(frames.count) frames" }
        if let bad = frameSeconds.first(where: { !($0.isFinite && $0 > 0) }) { return "frame_seconds must be positive, got \(bad)" }
        if !(ifdSeconds.isFinite && ifdSeconds >= 0) { return "ifd_seconds must be 0 or more" }
        if !(prepareSeconds.isFinite && prepareSeconds >= 0) { return "prepare_seconds must be 0 or more" }
        if framesPerJob < 1 || ifdFramesPerJob < 1 { return "frames_per_job must be at least 1" }
        if tiles < 1 { return "tiles must be at least 1" }
        if tiles > 1 && framesPerJob > 1 { return "a tiled render has one frame per job; frames_per_job must be 1" }
        if let seconds = downloadSeconds, !(seconds.isFinite && seconds > 0) { return "download_seconds must be positive" }
        if downloadSlots < 1 { return "download_slots must be at least 1" }
        if progressReports < 1 { return "progress_reports must be at least 1" }
        if !(0...1).contains(failureRate) { return "failure_rate must be between 0 and 1" }
        if !(0...1).contains(failurePoint) { return "failure_point must be between 0 and 1" }
        if retries < 0 { return "retries must be 0 or more" }
        if errorOutputBytes < 0 { return "error_output_bytes must be 0 or more" }
        if !(startupSeconds.isFinite && startupSeconds >= 0) { return "startup_seconds must be 0 or more" }
        if !(retrySecondsFactor.isFinite && retrySecondsFactor > 0) { return "retry_seconds_factor must be positive" }
        if let weights = tileWeights {
            if weights.count != tiles { return "tile_weights gives \(weights.count) weights for \(tiles) tiles" }
            if weights.contains(where: { !($0.isFinite && $0 > 0) }) { return "tile_weights must be positive" }
        }
        return nil
    }
}
