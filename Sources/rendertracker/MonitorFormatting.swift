import Foundation
import RenderTracker
import RenderTrackerClient

/// Text for people, shared by `status` and `watch`.
enum MonitorFormatting {
    /// The longest duration written out: 99,999 hours (11 years). A tracker gives no estimate
    /// past a year (`EstimateRange`), but one of another version, or a project kept for years,
    /// may send more, and `Int(_:)` stops the process for a `Double` past 9.2e18.
    static let longestShownSeconds = 99_999.0 * 3600

    /// `7s`, `12m 34s`, `3h 02m`: the one duration format of the command line, the monitor page
    /// and the shipped notifiers (the plugins' `tracker.duration`), two units at most, as precise
    /// as a render's times need; `-` for a value that is not a number, `>99999h 00m` past
    /// `longestShownSeconds`.
    static func duration(_ seconds: Double) -> String {
        guard !seconds.isNaN else { return "-" }
        guard seconds <= longestShownSeconds else { return ">" + duration(longestShownSeconds) }
        let total = Int(max(0, seconds).rounded())
        let (hours, minutes, rest) = (total / 3600, total / 60 % 60, total % 60)
        let twoDigits = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
        if hours > 0 { return "\(hours)h \(twoDigits(minutes))m" }
        return minutes > 0 ? "\(minutes)m \(twoDigits(rest))s" : "\(rest)s"
    }

    /// `14:05` today, `2026-11-24 22:40` another day, in this machine's time zone: the one time
    /// format of the command line and the shipped notifiers (`tracker.clock_time`); the monitor
    /// page shows the same in the browser's locale.
    static func clockTime(_ time: Timestamp, now: Timestamp = SystemClock().now()) -> String {
        let date = Date(timeIntervalSince1970: time.secondsSince1970)
        let sameDay = Calendar.current.isDate(date, inSameDayAs: Date(timeIntervalSince1970: now.secondsSince1970))
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = sameDay ? "HH:mm" : "yyyy-MM-dd HH:mm"
        return formatter.string(from: date)
    }

    /// `clockTime` of an ISO 8601 time as the tracker sends it; the text itself when it is not one.
    static func clockTime(iso8601 text: String) -> String {
        Timestamp(iso8601: text).map { clockTime($0) } ?? text
    }

    /// The estimate of time left: `-` while the tracker has no evidence.
    static func timeLeft(_ seconds: Double?) -> String {
        seconds.map(duration) ?? "-"
    }

    /// The estimate with its 80% range when the tracker gives one: `1:30:00 (1:20:00-1:50:00)`.
    static func timeLeft(_ report: ProjectReport) -> String {
        guard let seconds = report.secondsLeft, let range = report.secondsLeftRange, range.upperBound > 0 else {
            return timeLeft(report.secondsLeft)
        }
        return "about \(duration(seconds)) (\(duration(range.lowerBound))-\(duration(range.upperBound)))"
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
                "\(project.statusCounts[.error, default: 0])", timeLeft(project.secondsLeft), clockTime(iso8601: project.started),
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
