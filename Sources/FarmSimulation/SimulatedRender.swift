/// One render's progress as the farm knows it: the truth the tracker's picture is checked
/// against, and the estimates sampled on the way.
final class SimulatedRender {
    struct FrameState {
        var ifdWritten = false
        var tilesRendered = 0
        var rendered = false
        var done = false
        var failedAttempts = 0
        /// Machine-seconds the successful tiles took.
        var renderSeconds = 0.0
    }

    let spec: RenderSpec
    /// The project name the tracker suggested at submission.
    let project: String
    let jobID: Int
    var frames: [FrameState]
    var jobs: [Int] = []
    /// Render jobs waiting for each position's IFD.
    var waitingForIFD: [Int: [Int]] = [:]
    /// Bumped by a re-render: downloads of the old run then no longer apply.
    var generation = 0
    var startedAt: Double?
    var finishedAt: Double?
    var failed = false
    /// When a failed render stopped: its last job ended (the truth its estimates are judged
    /// against up to the failure); nil while any of its jobs still runs or waits.
    var stoppedAt: Double?
    /// When its first job failed for good: samples taken later are not judged.
    var failedAt: Double?
    var doneCount = 0
    var samples: [Int: EstimateSample] = [:]

    init(spec: RenderSpec, project: String, jobID: Int) {
        self.spec = spec
        self.project = project
        self.jobID = jobID
        frames = Array(repeating: FrameState(), count: spec.frames.count)
    }

    var frameCount: Int { spec.frames.count }

    /// Where frame `number`'s image goes: beside the hip file, as a Mantra ROP would write it.
    func imagePath(_ number: Int) -> String {
        let path = spec.hipPath
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[..<$0]) } ?? "."
        var base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        if let dot = base.lastIndex(of: "."), dot != base.startIndex { base = String(base[..<dot]) }
        let digits = String(number)
        let padded = number >= 0 && digits.count < 4 ? String(repeating: "0", count: 4 - digits.count) + digits : digits
        return "\(folder)/render/\(base).\(padded).exr"
    }
}
