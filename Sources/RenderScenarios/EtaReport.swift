import FarmSimulation
import Foundation
public import RPC

/// How well the tracker's time-left estimate did on scenarios, next to two peer baselines
/// computed on the same runs: straight-line extrapolation (Afanasy) and average frame time times
/// frames left over machines (Royal Render). Errors are fractions of the time really left.
public struct EtaReport: Sendable {
    /// The milestones reported, in percent of frames done.
    public static let milestones = [5, 10, 25, 50, 75, 90]
    /// Renders that learned from a past render of their shot are judged from here.
    public static let judgedWithHistory = [5, 10, 25, 50, 75, 90]
    /// The milestones the goal is judged on: from 25% done.
    public static let judged = [25, 50, 75, 90]
    /// The goal for the tracker's estimate: median absolute error at most this, and below both baselines.
    public static let goal = 0.10
    /// The share of samples the 80% range should hold the truth in, at least.
    public static let coverageGoal = 0.75

    public struct Row: Sendable {
        public var scenario: String
        public var project: String
        public var seedSet: Int
        public var failed: Bool
        /// Errors by milestone; a missing estimate is nil.
        public var tracker: [Int: Double?]
        public var straightLine: [Int: Double?]
        public var averageFrame: [Int: Double?]
        /// Whether the truth fell in the tracker's range, by milestone (judged milestones with a range).
        public var withinRange: [Int: Bool]
        public var drift: (tracker: Double?, straightLine: Double?, averageFrame: Double?)?
        /// Whether the tracker learned from a past render of the same shot.
        public var learned: Bool
    }

    public var rows: [Row]
    /// Renders that never ended (no truth to judge against), as `scenario: project`.
    public var unfinished: [String]
    public var seedSets: Int

    public init(results: [ScenarioResult]) {
        rows = []
        unfinished = []
        seedSets = Set(results.map(\.seedSet)).count
        for result in results {
            for render in result.renders {
                guard render.finished else {
                    unfinished.append("\(result.file): \(render.project)" + (result.seedSet > 0 ? " (seed set \(result.seedSet))" : ""))
                    continue
                }
                var row = Row(
                    scenario: result.file, project: render.project, seedSet: result.seedSet, failed: render.failed, tracker: [:], straightLine: [:],
                    averageFrame: [:], withinRange: [:], drift: render.drift, learned: render.learned)
                for errors in render.errors where Self.milestones.contains(errors.milestone) {
                    row.tracker[errors.milestone] = errors.tracker
                    row.straightLine[errors.milestone] = errors.straightLine
                    row.averageFrame[errors.milestone] = errors.averageFrame
                    if Self.judged.contains(errors.milestone), let within = errors.withinRange { row.withinRange[errors.milestone] = within }
                }
                rows.append(row)
            }
        }
    }

    /// Median absolute error from 25% done over `rows`; a missing estimate counts as 100% off (an
    /// estimator that stays silent must not look accurate).
    public static func medianAbsoluteError(
        _ rows: some Sequence<Row>, _ estimate: KeyPath<Row, [Int: Double?]>, from milestones: [Int] = judged
    ) -> Double? {
        median(rows.flatMap { row in milestones.compactMap { milestone in row[keyPath: estimate][milestone].map { $0.map(abs) ?? 1 } } })
    }

    /// Over the renders that learned from a past render of their shot: median absolute error from 5% done.
    public var withHistory: (renders: Int, tracker: Double?) {
        let learned = rows.filter(\.learned)
        return (learned.count, Self.medianAbsoluteError(learned, \.tracker, from: Self.judgedWithHistory))
    }

    public func medianAbsoluteError(_ estimate: KeyPath<Row, [Int: Double?]>) -> Double? {
        Self.medianAbsoluteError(rows, estimate)
    }

    /// The share of judged samples whose truth fell within the tracker's 80% range.
    public var rangeCoverage: Double? {
        let checks = rows.flatMap { $0.withinRange.values }
        return checks.isEmpty ? nil : Double(checks.filter { $0 }.count) / Double(checks.count)
    }

    /// The median over renders of how far the predicted finish moved between samples (`Farm.finishDrift`).
    public func medianDrift(_ estimate: KeyPath<(tracker: Double?, straightLine: Double?, averageFrame: Double?), Double?>) -> Double? {
        Self.median(rows.compactMap { $0.drift?[keyPath: estimate] })
    }

    /// The pooled median of each seed set on its own: how much the figure depends on the night's draws.
    public var seedSetMedians: [Double] {
        Dictionary(grouping: rows, by: \.seedSet).keys.sorted().compactMap { set in
            Self.medianAbsoluteError(rows.filter { $0.seedSet == set }, \.tracker)
        }
    }

    public var goalMet: Bool {
        guard let tracker = medianAbsoluteError(\.tracker) else { return false }
        let baselines = [medianAbsoluteError(\.straightLine), medianAbsoluteError(\.averageFrame)].compactMap { $0 }
        return tracker <= Self.goal && baselines.allSatisfy { tracker < $0 }
    }

    private static var estimates: [(name: String, path: KeyPath<Row, [Int: Double?]>)] { [
        ("tracker", \.tracker), ("straight line", \.straightLine), ("average frame", \.averageFrame),
    ] }

    public var text: String {
        var lines = ["Estimate error against the truth at each share of frames done (+ said too long, - too short)", ""]
        let shown = rows.filter { $0.seedSet == 0 }
        let labelWidth = max(24, shown.map { $0.scenario.count + $0.project.count + 2 }.max() ?? 0)
        lines.append(pad("render", labelWidth) + "  " + pad("estimate", 16) + Self.milestones.map { leftPad("\($0)%", 8) }.joined())
        for row in shown {
            for (index, estimate) in Self.estimates.enumerated() {
                let label = index == 0 ? "\(row.scenario)  \(row.project)\(row.failed ? " (failed)" : "")" : ""
                lines.append(
                    pad(label, labelWidth) + "  " + pad(estimate.name, 16)
                        + Self.milestones.map { leftPad(Self.format(row[keyPath: estimate.path][$0]), 8) }.joined())
            }
        }
        for render in unfinished {
            lines.append("not judged (never finished): \(render)")
        }
        if seedSets > 1 {
            lines.append("")
            lines.append("(rows of seed set 0 shown; figures below pool all \(seedSets) seed sets)")
        }
        lines.append("")
        lines.append("median absolute error from 25% done, by scenario:")
        lines.append(pad("scenario", labelWidth) + "  " + Self.estimates.map { leftPad($0.name, 15) }.joined())
        for scenario in orderedScenarios {
            let group = rows.filter { $0.scenario == scenario }
            lines.append(pad(scenario, labelWidth) + "  " + Self.estimates.map { estimate in
                leftPad(Self.medianAbsoluteError(group, estimate.path).map(Self.percent) ?? "n/a", 15)
            }.joined())
        }
        lines.append("")
        let medians = [("tracker", \Row.tracker), ("straight line (Afanasy)", \Row.straightLine), ("average frame (Royal Render)", \Row.averageFrame)]
            .map { name, path in "\(name) \(medianAbsoluteError(path).map { Self.percent($0) } ?? "n/a")" }
        lines.append("median absolute error from 25% done: " + medians.joined(separator: ", "))
        if seedSets > 1, let low = seedSetMedians.min(), let high = seedSetMedians.max() {
            lines.append("tracker's median by seed set (\(seedSets) sets): \(Self.percent(low)) to \(Self.percent(high))")
        }
        let history = withHistory
        if history.renders > 0 {
            lines.append("renders that learned from a past render of the shot (\(history.renders)): tracker's median absolute error from 5% done \(history.tracker.map(Self.percent) ?? "n/a")")
        }
        lines.append("80% range holds the truth: " + (rangeCoverage.map { "\(Self.percent($0)) of samples from 25% done (goal at least \(Self.percent(Self.coverageGoal)))" } ?? "n/a"))
        let drifts = [("tracker", \(tracker: Double?, straightLine: Double?, averageFrame: Double?).tracker),
            ("straight line", \.straightLine), ("average frame", \.averageFrame)]
            .map { name, path in "\(name) \(medianDrift(path).map(Self.percent) ?? "n/a")" }
        lines.append("predicted finish moves between samples (median share of the render's length): " + drifts.joined(separator: ", "))
        lines.append("goal (tracker at most \(Self.percent(Self.goal)) and better than both): \(goalMet ? "met" : "not met")")
        return lines.joined(separator: "\n")
    }

    private var orderedScenarios: [String] {
        var seen: Set<String> = []
        return rows.map(\.scenario).filter { seen.insert($0).inserted }
    }

    /// The report for machines (`--json`, written by `JSONWriter` like every other answer): every
    /// row's errors by milestone (null for a missing estimate), and the medians.
    public var json: RPCValue {
        func errors(_ values: [Int: Double?]) -> RPCValue {
            var result: [String: RPCValue] = [:]
            for milestone in Self.milestones {
                if let value = values[milestone] { result["\(milestone)"] = value.map(RPCValue.double) ?? .null }
            }
            return .structure(result)
        }
        func optional(_ value: Double?) -> RPCValue { value.map(RPCValue.double) ?? .null }
        func median(_ estimate: KeyPath<Row, [Int: Double?]>) -> RPCValue { optional(medianAbsoluteError(estimate)) }
        return .structure([
            "rows": .array(rows.map { row in
                .structure([
                    "scenario": .string(row.scenario), "project": .string(row.project), "seed_set": .int(row.seedSet), "failed": .bool(row.failed),
                    "tracker": errors(row.tracker), "straight_line": errors(row.straightLine), "average_frame": errors(row.averageFrame),
                    "tracker_drift": optional(row.drift?.tracker), "learned": .bool(row.learned),
                ])
            }),
            "unfinished": .array(unfinished.map(RPCValue.string)),
            "median_absolute_error_from_25": .structure([
                "tracker": median(\.tracker), "straight_line": median(\.straightLine), "average_frame": median(\.averageFrame),
            ]),
            "seed_set_medians": .array(seedSetMedians.map(RPCValue.double)),
            "range_coverage": optional(rangeCoverage),
            "with_history": .structure(["renders": .int(withHistory.renders), "tracker_from_5": optional(withHistory.tracker)]),
            "finish_drift": .structure([
                "tracker": optional(medianDrift(\.tracker)), "straight_line": optional(medianDrift(\.straightLine)),
                "average_frame": optional(medianDrift(\.averageFrame)),
            ]),
            "goal_met": .bool(goalMet),
        ])
    }

    private static func median(_ values: [Double]) -> Double? {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return nil }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    private static func format(_ error: Double??) -> String {
        switch error {
        case .none: "-"
        case .some(.none): "none"
        case .some(.some(let value)): (value >= 0 ? "+" : "") + percent(value)
        }
    }

    private static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }

    private func pad(_ text: String, _ width: Int) -> String { text.count >= width ? text : text + String(repeating: " ", count: width - text.count) }
    private func leftPad(_ text: String, _ width: Int) -> String { text.count >= width ? text : String(repeating: " ", count: width - text.count) + text }
}
