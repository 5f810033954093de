import FarmSimulation
import RenderLog
import RenderTracker
import RPC

/// A render log replayed inside a scenario (`farm:replay{...}`): its calls go to the scenario's
/// tracker as events on the farm's timeline, so they interleave with the simulated farm's calls
/// in virtual time. Reads one line ahead (to know when the next call is due), never the whole
/// log, so a week of calls costs the memory of one.
///
/// Time: the window's start (`from` seconds after the log's first call) lands on virtual second
/// `at`, and recorded time runs `speed` times faster from there. Several files replay one after
/// another as one log. A header after calls (a daemon restart) is counted, and the tracker goes
/// on: it is the scenario's, shared with the farm.
final class ScenarioLogReplay {
    struct Window {
        /// Seconds after the log's first call: calls before `from` and after `to` are not sent.
        var from = 0.0
        var to: Double?
        var speed = 1.0
        /// The virtual second the window's start lands on.
        var at: Double
    }

    struct Fault {
        var location: String
        var method: String
        var message: String
    }

    let files: [String]
    let window: Window
    let sampler: LogEstimateSampler
    /// What stopped the replay: a damaged or cut-short line, or an unreadable file.
    private(set) var failure: RenderLogError?
    private(set) var calls = 0
    private(set) var faults: [Fault] = []
    private(set) var restarts = 0
    /// `FILE:LINE` of the last call sent (formatted when asked: a replay sends thousands a second).
    var lastLocation: String? { last.map { "\(files[$0.file]):\($0.line)" } }
    /// The recorded time of the last call sent.
    private(set) var lastTime: Timestamp?
    private var last: (file: Int, line: Int)?
    /// Every project the log named, in the order first named.
    private(set) var projects: [String] = []
    /// Wall-clock seconds from the replay's start to its last call (or to now, while it runs).
    var wallSeconds: Double { ((finished ?? ContinuousClock.now) - began) / .seconds(1) }

    private let farm: Farm
    private let tracker: ScenarioTracker
    private var fileIndex = 0
    private var reader: RenderLogReader?
    private var origin: Timestamp?
    /// Whether the file being read has had a call (a header after one is a restart).
    private var sawCall = false
    private var next: (call: RecordedCall, time: Timestamp, file: Int, line: Int)?
    private var named = Set<String>()
    private let began = ContinuousClock.now
    private var finished: ContinuousClock.Instant?
    /// Told after each call sent (the session notes the moment for expectations).
    private let onCall: (ScenarioLogReplay) -> Void

    /// Opens the first file and schedules the first call in the window.
    /// - Throws: when the first file cannot be opened, is not a render log, or is damaged before
    ///   its first call in the window.
    init(files: [String], window: Window, farm: Farm, tracker: ScenarioTracker, onCall: @escaping (ScenarioLogReplay) -> Void)
        throws(RenderLogError)
    {
        self.files = files
        self.window = window
        self.farm = farm
        self.tracker = tracker
        self.onCall = onCall
        sampler = LogEstimateSampler(tracker: tracker)
        reader = try RenderLogReader(path: files[0])
        try readAhead()
        scheduleNext()
    }

    /// Whether every call in the window has been sent (or the log failed).
    var ended: Bool { next == nil }

    /// The virtual second the next call is due.
    var nextMoment: Double? { next.map { moment(of: $0.time) } }

    private func moment(of time: Timestamp) -> Double {
        guard let origin else { return window.at }
        return window.at + (time.seconds(since: origin) - window.from) / window.speed
    }

    private func scheduleNext() {
        guard let due = nextMoment else {
            end()
            return
        }
        farm.schedule(at: due) { [unowned self] in fire() }
    }

    /// Sends the call due now, then reads the next.
    private func fire() {
        guard let (call, time, file, line) = next else { return }
        let seconds = farm.now
        sampler.willSend(at: seconds)
        switch tracker.replay(call, at: seconds) {
        case .success:
            sampler.didSend(call, at: seconds)
        case .failure(let fault):
            faults.append(Fault(location: "\(files[file]):\(line)", method: call.method, message: fault.message))
        }
        calls += 1
        last = (file, line)
        lastTime = time
        if case .string(let project)? = call.params.first, named.insert(project).inserted { projects.append(project) }
        onCall(self)
        do {
            try readAhead()
        } catch {
            failure = error
            next = nil
        }
        scheduleNext()
    }

    private func end() {
        guard finished == nil else { return }
        finished = ContinuousClock.now
        reader = nil
        sampler.finish()
    }

    /// Finds the next call in the window, across files; nil past the window or the last file.
    private func readAhead() throws(RenderLogError) {
        next = nil
        while let reader {
            guard let item = try reader.next() else {
                // The next file's header begins that file; only a header after calls within a file is a restart.
                fileIndex += 1
                sawCall = false
                self.reader = fileIndex < files.count ? try RenderLogReader(path: files[fileIndex]) : nil
                continue
            }
            switch item {
            case .bad(let error, _):
                // A fixture must be whole: a cut-short last line fails the scenario too.
                throw error
            case .entry(.header, _):
                if sawCall { restarts += 1 }
            case .entry(.call(let call, let time), let line):
                sawCall = true
                let origin = self.origin ?? time
                self.origin = origin
                let since = time.seconds(since: origin)
                if since < window.from { continue }
                if let to = window.to, since > to {
                    self.reader = nil
                    return
                }
                next = (call, time, fileIndex, line)
                return
            }
        }
    }
}
