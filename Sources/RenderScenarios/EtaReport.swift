import FarmSimulation
import Foundation
public import RPC

/// How well the tracker's time-left estimate did on scenarios, next to two peer baselines
/// computed on the same runs: straight-line extrapolation (Afanasy) and average frame time times
/// frames left over machines (Royal Render). Errors are fractions of the time really left.
public struct EtaReport: Sendable {
    /// The milestones reported, in percent of frames done.
    public static let milestones = [10, 25, 50, 75]
    /// The milestones the goal is judged on: from 25% done.
    public static let judged = [25, 50, 75]
    /// The goal for the tracker's estimate: median absolute error at most this, and below both baselines.
    public static let goal = 0.10

    public struct Row: Sendable {
        public var scenario: String
        public var project: String
        /// Errors by milestone; a missing estimate is nil.
        public var tracker: [Int: Double?]
        public var straightLine: [Int: Double?]
        public var averageFrame: [Int: Double?]
    }

    public var rows: [Row]
    /// Renders that never finished (no truth to judge against), as `scenario: project`.
    public var unfinished: [String]

    public init(results: [ScenarioResult]) {
        rows = []
        unfinished = []
        for result in results {
            for render in result.renders {
                guard render.finished else {
                    unfinished.append("\(result.file): \(render.project)")
                    continue
                }
                var row = Row(scenario: result.file, project: render.project, tracker: [:], straightLine: [:], averageFrame: [:])
                for errors in render.errors where Self.milestones.contains(errors.milestone) {
                    row.tracker[errors.milestone] = errors.tracker
                    row.straightLine[errors.milestone] = errors.straightLine
                    row.averageFrame[errors.milestone] = errors.averageFrame
                }
                rows.append(row)
            }
        }
    }

    /// Median absolute error from 25% done over every row; a missing estimate counts as 100% off
    /// (an estimator that stays silent must not look accurate).
    public func medianAbsoluteError(_ estimate: KeyPath<Row, [Int: Double?]>) -> Double? {
        let errors = rows.flatMap { row in
            Self.judged.compactMap { milestone in row[keyPath: estimate][milestone].map { $0.map(abs) ?? 1 } }
        }.sorted()
        guard !errors.isEmpty else { return nil }
        let middle = errors.count / 2
        return errors.count % 2 == 1 ? errors[middle] : (errors[middle - 1] + errors[middle]) / 2
    }

    public var goalMet: Bool {
        guard let tracker = medianAbsoluteError(\.tracker) else { return false }
        let baselines = [medianAbsoluteError(\.straightLine), medianAbsoluteError(\.averageFrame)].compactMap { $0 }
        return tracker <= Self.goal && baselines.allSatisfy { tracker < $0 }
    }

    public var text: String {
        var lines = ["Estimate error against the truth at each share of frames done (+ said too long, - too short)", ""]
        let labelWidth = max(24, rows.map { $0.scenario.count + $0.project.count + 2 }.max() ?? 0)
        let header = pad("render", labelWidth) + "  " + pad("estimate", 16) + Self.milestones.map { leftPad("\($0)%", 8) }.joined()
        lines.append(header)
        for row in rows {
            let estimates: [(String, [Int: Double?])] = [
                ("tracker", row.tracker), ("straight line", row.straightLine), ("average frame", row.averageFrame),
            ]
            for (index, (name, errors)) in estimates.enumerated() {
                let label = index == 0 ? "\(row.scenario)  \(row.project)" : ""
                lines.append(pad(label, labelWidth) + "  " + pad(name, 16) + Self.milestones.map { leftPad(Self.format(errors[$0]), 8) }.joined())
            }
        }
        for render in unfinished {
            lines.append("not judged (never finished): \(render)")
        }
        lines.append("")
        let medians = [("tracker", \Row.tracker), ("straight line (Afanasy)", \Row.straightLine), ("average frame (Royal Render)", \Row.averageFrame)]
            .map { name, path in "\(name) \(medianAbsoluteError(path).map { Self.percent($0) } ?? "n/a")" }
        lines.append("median absolute error from 25% done: " + medians.joined(separator: ", "))
        lines.append("goal (tracker at most \(Self.percent(Self.goal)) and better than both): \(goalMet ? "met" : "not met")")
        return lines.joined(separator: "\n")
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
        func median(_ estimate: KeyPath<Row, [Int: Double?]>) -> RPCValue { medianAbsoluteError(estimate).map(RPCValue.double) ?? .null }
        return .structure([
            "rows": .array(rows.map { row in
                .structure([
                    "scenario": .string(row.scenario), "project": .string(row.project), "tracker": errors(row.tracker),
                    "straight_line": errors(row.straightLine), "average_frame": errors(row.averageFrame),
                ])
            }),
            "unfinished": .array(unfinished.map(RPCValue.string)),
            "median_absolute_error_from_25": .structure([
                "tracker": median(\.tracker), "straight_line": median(\.straightLine), "average_frame": median(\.averageFrame),
            ]),
            "goal_met": .bool(goalMet),
        ])
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
