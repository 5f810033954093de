import RenderTracker
import RenderTrackerClient

/// Text for people, shared by `status` and `watch`.
enum MonitorFormatting {
    /// The longest duration written out: 99,999 hours (11 years). A tracker gives no estimate
    /// past a year (`EstimateRange`), but one of another version, or a project kept for years,
    /// may send more, and `Int(_:)` stops the process for a `Double` past 9.2e18.
    static let longestShownSeconds = 99_999.0 * 3600

    /// `0:07`, `12:34`, `3:02:05`: hours only when there are some; `-` for a value that is not a
    /// number, `>99999:00:00` past `longestShownSeconds`.
    static func duration(_ seconds: Double) -> String {
        guard !seconds.isNaN else { return "-" }
        guard seconds <= longestShownSeconds else { return ">" + duration(longestShownSeconds) }
        let total = Int(max(0, seconds).rounded())
        let (hours, minutes, rest) = (total / 3600, total / 60 % 60, total % 60)
        let twoDigits = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
        return hours > 0 ? "\(hours):\(twoDigits(minutes)):\(twoDigits(rest))" : "\(minutes):\(twoDigits(rest))"
    }

    /// The estimate of time left: `-` while the tracker has no evidence.
    static func timeLeft(_ seconds: Double?) -> String {
        seconds.map(duration) ?? "-"
    }

    /// `56.7%`
    static func percent(_ fraction: Double) -> String {
        let tenths = Int((max(0, min(1, fraction)) * 1000).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// `[#######.............]`: ASCII, so it reads the same in every terminal and log.
    static func bar(_ fraction: Double, width: Int = 30) -> String {
        let filled = Int((max(0, min(1, fraction)) * Double(width)).rounded(.down))
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
    }

    /// Every project in one table: state, frames done, errors, time left, start, elapsed, job id.
    static func projectsTable(_ projects: [ProjectReport]) -> [String] {
        var table = TextTable(
            ["PROJECT", "STATE", "DONE/TOTAL", "ERRORS", "LEFT", "STARTED", "ELAPSED", "JOB"],
            rightAligned: ["DONE/TOTAL", "ERRORS", "LEFT", "ELAPSED"])
        for project in projects {
            table.add([
                project.name, project.state.rawValue, "\(project.statusCounts[.done, default: 0])/\(project.frameCount)",
                "\(project.statusCounts[.error, default: 0])", timeLeft(project.secondsLeft), project.started,
                duration(project.elapsedSeconds), project.jobID,
            ])
        }
        return table.lines + failureLines(projects)
    }

    /// Under the table, each failed project's longest-standing error: its frame and cause.
    static func failureLines(_ projects: [ProjectReport]) -> [String] {
        let failures = projects.compactMap { project in project.firstError.map { (project.name, $0) } }
        guard !failures.isEmpty else { return [] }
        return [""] + failures.map { name, error in "\(name) frame \(error.frame): \(error.cause)" }
    }

    /// One project's frames, in frame order.
    static func framesTable(_ frames: [FrameSnapshot]) -> [String] {
        var table = TextTable(["FRAME", "STATUS", "PROGRESS"], rightAligned: ["FRAME", "PROGRESS"])
        for frame in frames {
            table.add(["\(frame.number)", frame.status.name, percent(frame.fraction)])
        }
        return table.lines
    }
}

/// Columns padded to their widest cell, separated by two spaces.
struct TextTable {
    private let headers: [String]
    private let rightAligned: Set<Int>
    private var rows: [[String]] = []

    init(_ headers: [String], rightAligned: Set<String> = []) {
        self.headers = headers
        self.rightAligned = Set(headers.indices.filter { rightAligned.contains(headers[$0]) })
    }

    mutating func add(_ row: [String]) {
        rows.append(row)
    }

    var lines: [String] {
        let all = [headers] + rows
        let widths = headers.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            var line = ""
            for (column, cell) in row.enumerated() {
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                let last = column == row.count - 1
                line += rightAligned.contains(column) ? padding + cell : cell + (last ? "" : padding)
                if !last { line += "  " }
            }
            return line
        }
    }
}
