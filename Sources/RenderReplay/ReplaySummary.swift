import RenderTracker
public import RenderTrackerClient
public import RPC

/// What a replay did and what the tracker ended with: `rendertracker replay` prints it as text,
/// or as JSON with `--json`.
public struct ReplaySummary: Sendable {
    /// The estimate at the first moment a quarter of a project's frames (25, 50, 75%) were Done.
    public struct Quarter: Sendable, Equatable {
        public var percent: Int
        /// Seconds since the project started (virtual time in-process).
        public var elapsedSeconds: Double
        /// The estimate of time left then (plugins included); nil when the tracker had none.
        public var estimateSeconds: Double?
        /// How long the project actually took from then on; nil until it finished.
        public var actualSeconds: Double?
    }

    public struct Project: Sendable {
        public var status: ProjectReport
        public var quarters: [Quarter]
        /// setFrameError calls replayed for it (frames may have been retried since).
        public var frameErrorsReported: Int
    }

    public var target: String
    public var callsReplayed = 0
    public var faults = 0
    /// The first few, as "LINE: method: fault".
    public var firstFaults: [String] = []
    public var badLinesSkipped = 0
    /// The last line was cut short (the recording daemon was killed mid-write); it was skipped.
    public var truncatedLastLine = false
    /// Session headers after the first: the recorded daemon restarted.
    public var restarts = 0
    public var wallSeconds = 0.0
    /// From the first call to the last, as recorded.
    public var recordedSpanSeconds = 0.0
    /// The recorded span divided by the speed: the virtual (in-process) or real (live) time replayed.
    public var replayedSpanSeconds = 0.0
    public var projects: [Project] = []
    /// Plugin notifications captured, per plugin (in-process with plugins).
    public var notifications: [String: Int] = [:]

    public var callsPerSecond: Double { wallSeconds > 0 ? Double(callsReplayed) / wallSeconds : 0 }

    public init(target: String) {
        self.target = target
    }

    /// The `--json` form (keys sorted by `JSONWriter`).
    public var json: RPCValue {
        func optional(_ value: Double?) -> RPCValue { value.map(RPCValue.double) ?? .null }
        return .structure([
            "target": .string(target),
            "calls": .int(callsReplayed),
            "faults": .int(faults),
            "first_faults": .array(firstFaults.map(RPCValue.string)),
            "bad_lines_skipped": .int(badLinesSkipped),
            "truncated_last_line": .bool(truncatedLastLine),
            "restarts": .int(restarts),
            "wall_seconds": .double(wallSeconds),
            "calls_per_second": .double(callsPerSecond),
            "recorded_span_seconds": .double(recordedSpanSeconds),
            "replayed_span_seconds": .double(replayedSpanSeconds),
            "notifications": .structure(notifications.mapValues(RPCValue.int)),
            "projects": .array(projects.map { project in
                .structure([
                    "project": .string(project.status.name),
                    "state": .string(project.status.state.rawValue),
                    "frame_count": .int(project.status.frameCount),
                    "status_counts": .structure(Dictionary(uniqueKeysWithValues: project.status.statusCounts.map { ($0.key.name, RPCValue.int($0.value)) })),
                    "error_frames": .int(project.status.statusCounts[.error] ?? 0),
                    "frame_errors_reported": .int(project.frameErrorsReported),
                    "elapsed_seconds": .double(project.status.elapsedSeconds),
                    "seconds_left": optional(project.status.secondsLeft),
                    "quarters": .array(project.quarters.map { quarter in
                        .structure([
                            "percent": .int(quarter.percent),
                            "elapsed_seconds": .double(quarter.elapsedSeconds),
                            "estimate_seconds": optional(quarter.estimateSeconds),
                            "actual_seconds": optional(quarter.actualSeconds),
                        ])
                    }),
                ])
            }),
        ])
    }

    /// The text form: a few lines of totals, then one block per project.
    public var text: String {
        var lines = [
            "replayed \(callsReplayed) calls \(target) in \(Self.format(wallSeconds)) (\(Int(callsPerSecond.rounded())) calls/s)",
            "recorded span \(Self.duration(recordedSpanSeconds)), replayed as \(Self.duration(replayedSpanSeconds))",
            "faults \(faults), bad lines skipped \(badLinesSkipped)\(truncatedLastLine ? ", last line cut short (skipped)" : "")"
                + (restarts > 0 ? ", daemon restarts \(restarts)" : ""),
        ]
        lines += firstFaults.map { "  fault at line \($0)" }
        if !notifications.isEmpty {
            lines.append("plugin notifications: " + notifications.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        for project in projects {
            let status = project.status
            let counts = FrameStatus.allCases.compactMap { status in
                project.status.statusCounts[status].flatMap { $0 > 0 ? "\(status.name) \($0)" : nil }
            }
            lines.append("")
            lines.append("\(status.name): \(status.state.rawValue), \(status.frameCount) frames (\(counts.joined(separator: ", "))), "
                + "elapsed \(Self.duration(status.elapsedSeconds))" + (project.frameErrorsReported > 0 ? ", \(project.frameErrorsReported) frame errors reported" : ""))
            for quarter in project.quarters {
                let estimate = quarter.estimateSeconds.map(Self.duration) ?? "none"
                let actual = quarter.actualSeconds.map { ", actual \(Self.duration($0))" } ?? ""
                lines.append("  \(quarter.percent)% done at \(Self.duration(quarter.elapsedSeconds)): estimate \(estimate) left\(actual)")
            }
        }
        return lines.joined(separator: "\n")
    }

    private static func format(_ seconds: Double) -> String {
        "\((seconds * 1000).rounded() / 1000) s"
    }

    /// `2h03m04s`, `3m04s`, `4.5s`.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        if seconds < 60 { return "\((seconds * 10).rounded() / 10)s" }
        let total = Int(seconds.rounded())
        let (hours, minutes, rest) = (total / 3600, total / 60 % 60, total % 60)
        let twoDigits = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
        return hours > 0 ? "\(hours)h\(twoDigits(minutes))m\(twoDigits(rest))s" : "\(minutes)m\(twoDigits(rest))s"
    }
}
