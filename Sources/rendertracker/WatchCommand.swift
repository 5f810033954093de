import ArgumentParser
import RenderTracker
import RenderTrackerClient
import RPC

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Follow one project's progress until it is done or failed.",
        discussion: """
            On a terminal, redraws a progress bar per status and overall, with the estimate of time left. \
            Otherwise (a pipe, a file) prints one line per change. Asks the tracker only for what changed \
            (getChangedFrames with a cursor). Exit codes: 0 the project is done, 1 it failed (or the tracker \
            does not know it, or it was removed), 2 no usable answer from the tracker.
            """
    )

    @OptionGroup var tracker: TrackerURLOption

    @Option(help: "Seconds between polls.")
    var interval = 1.0

    @Argument(help: "The project to follow, e.g. bob/shot_v003.")
    var project: String

    func validate() throws {
        guard interval > 0, interval <= 3600 else { throw ValidationError("--interval must be more than 0 and at most 3600 seconds, got \(interval)") }
    }

    func run() async throws {
        try await reportingTrackerErrors("watch") {
            let client = try tracker.client
            var terminal = Terminal()
            var frames = FrameMirror()
            var cursor = 0
            var lastLine: String?
            while true {
                // The summary first: when it says finished, the frames read after it include every
                // change that finished the project.
                let answers = try await client.multicall([
                    ("getProjectSummary", [.string(project)]), ("getChangedFrames", [.string(project), .int(cursor)]),
                ]).map { try $0.get() }
                guard let report = try ProjectReport(answers[0]) else {
                    if cursor == 0 { throw NoSuchProject(project: project) }
                    terminal.line("\(project): removed from the tracker")
                    throw ExitCode(1)
                }
                let changes = try ChangedFrames(answer: answers[1])
                frames.apply(changes.frames, reset: changes.reset)
                cursor = changes.eventID

                if terminal.isInteractive {
                    terminal.redraw(ProgressView.lines(report, frames))
                } else {
                    // One line per change; the estimate alone moving is not a change.
                    let line = ProgressView.line(report, frames)
                    if line != lastLine {
                        terminal.line("\(SystemClock().now().iso8601) \(line); left \(MonitorFormatting.timeLeft(report))")
                        lastLine = line
                    }
                }
                switch report.state {
                case .running:
                    try await Task.sleep(for: .seconds(interval))
                case .done:
                    terminal.line("\(project): done, \(report.frameCount) frames in \(MonitorFormatting.duration(report.elapsedSeconds))")
                    return
                case .failed:
                    // Name the frame and its cause: what the watcher needs to act on.
                    let cause = report.firstError.map { "; frame \($0.frame): \($0.cause)" }
                        ?? report.lastProjectError.map { "; project error: \($0)" } ?? ""
                    terminal.line("\(project): failed, \(frames.count(.error)) of \(report.frameCount) frames in Error\(cause)")
                    throw ExitCode(1)
                }
            }
        }
    }
}

/// The watched project's frames as far as `getChangedFrames` has told: the whole project after a
/// reset, then only what changed. The counts follow each change, so a poll costs what changed.
struct FrameMirror {
    private var frames: [Int: FrameSnapshot] = [:]
    private var counts: [FrameStatus: Int] = [:]
    /// Render or download progress summed over the frames in those statuses.
    private var inFlightProgress = 0.0

    mutating func apply(_ changes: [FrameSnapshot], reset: Bool) {
        if reset {
            self = FrameMirror()
        }
        for frame in changes {
            if let old = frames.updateValue(frame, forKey: frame.number) {
                tally(old, by: -1)
            }
            tally(frame, by: 1)
        }
    }

    private mutating func tally(_ frame: FrameSnapshot, by sign: Int) {
        counts[frame.status, default: 0] += sign
        if frame.status == .rendering || frame.status == .downloading {
            inFlightProgress += Double(sign) * frame.fraction
        }
    }

    var total: Int { frames.count }

    func count(_ status: FrameStatus) -> Int {
        counts[status, default: 0]
    }

    /// Done frames count whole, rendering and downloading frames by their reported fraction.
    var overall: Double {
        frames.isEmpty ? 0 : (Double(count(.done)) + inFlightProgress) / Double(frames.count)
    }
}

/// What `watch` shows.
enum ProgressView {
    /// The terminal's block: a heading, a bar per status, the overall bar.
    static func lines(_ report: ProjectReport, _ frames: FrameMirror) -> [String] {
        let heading = "\(report.name)  \(report.state.rawValue)  job \(report.jobID)  elapsed "
            + "\(MonitorFormatting.duration(report.elapsedSeconds))  left \(MonitorFormatting.timeLeft(report))"
        let nameWidth = FrameStatus.allCases.map(\.name.count).max() ?? 0
        let pad = { (name: String) in name + String(repeating: " ", count: nameWidth - name.count) }
        let total = max(frames.total, 1)
        let statusLines = FrameStatus.allCases.map { status in
            "\(pad(status.name))  \(MonitorFormatting.bar(Double(frames.count(status)) / Double(total)))  \(frames.count(status))"
        }
        let overall = "\(pad("Overall"))  \(MonitorFormatting.bar(frames.overall))  \(MonitorFormatting.percent(frames.overall)), "
            + "\(frames.count(.done))/\(frames.total) done"
        return [heading] + statusLines + [overall]
    }

    /// The plain line: state, the statuses that have frames, overall progress.
    static func line(_ report: ProjectReport, _ frames: FrameMirror) -> String {
        let counts = FrameStatus.allCases.filter { frames.count($0) > 0 }.map { "\($0.name) \(frames.count($0))" }
        return "\(report.name) \(report.state.rawValue): \(counts.joined(separator: ", ")); "
            + "overall \(MonitorFormatting.percent(frames.overall)), \(frames.count(.done))/\(frames.total) done"
    }
}
