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
    public var failed: Bool
    public var errors: [EstimateErrors]
    /// How far each estimate's predicted finish moved between samples (`Farm.finishDrift`).
    public var drift: (tracker: Double?, straightLine: Double?, averageFrame: Double?)?
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
        if let tracker = session.tracker {
            // The farm's own calls are the real clients' calls: none may fault, or a farm job would fail.
            let faults = tracker.faults
            let check = Expectation(
                passed: faults.isEmpty, label: "every farm call answered without a fault",
                detail: faults.first.map { "\(faults.count) faulted; first: \($0.call.method) from \($0.call.client): \($0.fault.message)" }
                    ?? "\(session.farm?.callsMade ?? 0) calls",
                location: file)
            output(check.line)
            result.expectations = session.expectations + [check]
        } else {
            result.expectations = session.expectations
        }
        if let farm = session.farm {
            result.renders = (0..<farm.renderCount).map { index in
                RenderOutcome(
                    project: farm.project(of: index), finished: farm.endedAt(of: index) != nil, failed: farm.progress(of: index).failed,
                    errors: Farm.milestones.compactMap { farm.estimateErrors(of: index, at: $0) }, drift: farm.finishDrift(of: index),
                    learned: farm.learned(index))
            }
        }
        result.wallSeconds = (ContinuousClock.now - started) / .seconds(1)
        return result
    }

    /// Why the script stopped early, or nil when it ran to its end.
    private static func runScript(file: String, session: ScenarioSession, options: ScenarioOptions) -> String? {
        let code: String
        do {
            code = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            return "cannot read \(file): \(error.localizedDescription)"
        }
        let state: LuaState
        do {
            state = try LuaState(memoryLimit: options.memoryBytes, prelude: ScenarioPrelude.text, host: session.call)
        } catch {
            return "the scenario prelude did not load: \(error)"
        }
        let limits = LuaCallLimits(instructions: 1 << 62, seconds: options.timeoutSeconds)
        switch state.call("run_scenario", [.string(file), .string(code)], limits: limits) {
        case .success: return nil
        case .failure(let failure): return failure.description
        }
    }
}
