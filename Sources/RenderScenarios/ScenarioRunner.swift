public import FarmSimulation
import Foundation
import LuaPlugins
import RenderTrackerService
import LuaHost
import RenderLog

/// What one scenario did.
public struct ScenarioResult: Sendable {
    public var file: String
    /// Which seed set it ran with (`ScenarioOptions.seedSet`).
    public var seedSet: Int = 0
    public var expectations: [Expectation]
    /// Why the script stopped early (a Lua error with its location), if it did.
    public var error: String?
    public var farmCalls: Int
    public var virtualSeconds: Double
    public var wallSeconds: Double
    public var renders: [RenderOutcome]

    public var passed: Int { expectations.filter(\.passed).count }
    public var failed: Int { expectations.count - passed + (error == nil ? 0 : 1) }
}

/// A render of a finished scenario, with its estimates' errors at each milestone.
public struct RenderOutcome: Sendable {
    public var project: String
    /// Whether its work ended (every frame done, or failed and stopped): it has a truth to judge against.
    public var finished: Bool
    /// Whether it failed: its estimates are judged up to the failure.
    public var failed = false
    public var errors: [EstimateErrors]
    /// How far each estimate's predicted finish moved between samples (`Farm.finishDrift`).
    public var drift: (tracker: Double?, straightLine: Double?, averageFrame: Double?)? = nil
    /// Whether the tracker learned from a past render of the same shot.
    public var learned = false
}

/// Runs scenario scripts: each in a fresh Lua state and a fresh in-process tracker, on the
/// calling thread (which blocks: call it from a thread of its own, never a Swift task).
public struct ScenarioRunner: Sendable {
    public var options: ScenarioOptions

    public init(options: ScenarioOptions) {
        self.options = options
    }

    /// Runs `file`, handing each line of output (expectations, prints, notes) to `output` as it comes.
    public func run(file: String, output: @escaping (String) -> Void) -> ScenarioResult {
        let started = ContinuousClock.now
        let recorder: RenderLogRecorder?
        do {
            recorder = try options.emitLog.map { path throws(RenderLogRecorder.OpenError) in
                try RenderLogRecorder(path: path, recordReads: false, source: "scenario \(file)", logger: options.logger)
            }
        } catch {
            output("  ERROR \(error)")
            return ScenarioResult(file: file, expectations: [], error: "\(error)", farmCalls: 0, virtualSeconds: 0, wallSeconds: 0, renders: [])
        }
        let session = ScenarioSession(file: file, options: options, recorder: recorder, output: output)
        let outcome = Self.runScript(file: file, session: session, options: options)
        recorder?.flush()
        var result = ScenarioResult(
            file: file, seedSet: options.seedSet, expectations: [], error: nil, farmCalls: session.farm?.callsMade ?? 0, virtualSeconds: session.farm?.now ?? 0,
            wallSeconds: 0, renders: [])
        if let message = outcome {
            result.error = message
            output("  ERROR \(message.replacingOccurrences(of: "\n", with: "\n        "))")
        }
        var checks: [Expectation] = []
        for replay in session.replays {
            output(Self.replayNote(replay))
            checks.append(Self.noFaults(
                "every replayed call answered without a fault", calls: replay.calls, faults: replay.faults.count,
                first: replay.faults.first.map { "\($0.location): \($0.method): \($0.message)" }, file: file))
        }
        if let tracker = session.tracker {
            // The farm's own calls are the real clients' calls: none may fault, or a farm job would fail.
            checks.append(Self.noFaults(
                "every farm call answered without a fault", calls: session.farm?.callsMade ?? 0, faults: tracker.faults.count,
                first: tracker.faults.first.map { "\($0.call.method) from \($0.call.client): \($0.fault.message)" }, file: file))
        }
        for check in checks { output(check.line) }
        result.expectations = session.expectations + checks
        if let farm = session.farm {
            result.renders = (0..<farm.renderCount).map { index in
                RenderOutcome(
                    project: farm.project(of: index), finished: farm.endedAt(of: index) != nil, failed: farm.progress(of: index).failed,
                    errors: Farm.milestones.compactMap { farm.estimateErrors(of: index, at: $0) }, drift: farm.finishDrift(of: index),
                    learned: farm.learned(index))
            }
        }
        result.renders += session.replays.flatMap { $0.sampler.renders.map(\.outcome) }
        result.wallSeconds = (ContinuousClock.now - started) / .seconds(1)
        return result
    }

    /// A file `scenario run` and `eta-report` replay as a render log rather than run as a script.
    static func isRenderLog(_ file: String) -> Bool { file.hasSuffix(".jsonl") }

    /// The check the runner adds for calls that must all answer: `N calls`, or the first fault.
    private static func noFaults(_ label: String, calls: Int, faults: Int, first: String?, file: String) -> Expectation {
        Expectation(
            passed: faults == 0, label: label, detail: first.map { "\(faults) faulted; first: \($0)" } ?? "\(calls) calls", location: file)
    }

    /// `replayed 163 calls of FILE in 0.004 s (39860 calls/s)`, and what did not go as planned.
    private static func replayNote(_ replay: ScenarioLogReplay) -> String {
        let wall = replay.wallSeconds
        var note = "  replayed \(replay.calls) calls of \(replay.files.joined(separator: ", "))"
            + String(format: " in %.3f s (%.0f calls/s)", wall, wall > 0 ? Double(replay.calls) / wall : 0)
        if replay.restarts > 0 { note += ", \(replay.restarts) restarts (headers after calls) kept the same tracker" }
        if !replay.ended, replay.failure == nil { note += "; the script ended before the log did (at \(replay.lastLocation ?? "its first call"))" }
        return note
    }

    /// Why the script stopped early, or nil when it ran to its end. A render log (`.jsonl`) runs
    /// as a script that replays it to its end, for `scenario run` and `eta-report` on logs.
    private static func runScript(file: String, session: ScenarioSession, options: ScenarioOptions) -> String? {
        let entry: (function: String, arguments: [LuaValue])
        if isRenderLog(file) {
            entry = ("replay_log", [.string(file)])
        } else {
            do {
                entry = ("run_scenario", [.string(file), .string(try String(contentsOfFile: file, encoding: .utf8))])
            } catch {
                return "cannot read \(file): \(error.localizedDescription)"
            }
        }
        let state: LuaState
        do {
            state = try LuaState(memoryLimit: options.memoryBytes, prelude: ScenarioPrelude.text, host: session.call)
        } catch {
            return "the scenario prelude did not load: \(error)"
        }
        let limits = LuaCallLimits(instructions: 1 << 62, seconds: options.timeoutSeconds)
        switch state.call(entry.function, entry.arguments, limits: limits) {
        case .success: return nil
        case .failure(let failure): return failure.description
        }
    }
}
