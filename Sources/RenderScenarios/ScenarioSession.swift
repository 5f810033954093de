import FarmSimulation
import Logging
import LuaPlugins
import RenderTracker
import RenderTrackerService
import RPC
import LuaHost
import RenderLog
import Foundation

/// One scenario being run: the farm, the tracker it talks to, and what the script has checked.
/// Carries out the prelude's host calls; lives on the scenario's one thread.
final class ScenarioSession {
    let file: String
    let options: ScenarioOptions
    private(set) var expectations: [Expectation] = []
    private(set) var farm: Farm?
    private(set) var tracker: ScenarioTracker?
    /// Render logs replayed into the tracker (`farm:replay`), in the order the script began them.
    private(set) var replays: [ScenarioLogReplay] = []
    /// The replay that sent the latest call: its line is the moment expectations are checked at.
    private var lastReplayed: ScenarioLogReplay?
    private let output: (String) -> Void

    /// Where the farm's calls are recorded, if anywhere.
    private let recorder: RenderLogRecorder?

    init(file: String, options: ScenarioOptions, recorder: RenderLogRecorder?, output: @escaping (String) -> Void) {
        self.file = file
        self.options = options
        self.recorder = recorder
        self.output = output
    }

    func call(_ id: Int32, _ arguments: [LuaValue]) -> Result<[LuaValue], LuaHostError> {
        guard let function = ScenarioHostFunction(rawValue: id) else {
            return .failure(LuaHostError(message: "unknown host function \(id)"))
        }
        do {
            return .success(try call(function, Arguments(values: arguments, function: function)))
        } catch {
            return .failure(error)
        }
    }

    private func call(_ function: ScenarioHostFunction, _ arguments: Arguments) throws(LuaHostError) -> [LuaValue] {
        switch function {
        case .newFarm:
            let seed = try arguments.integer(0, "seed") &+ options.seedSet &* ScenarioOptions.seedSetStride
            let tracker = ScenarioTracker(
                start: options.start, pluginFolder: options.pluginFolder, pluginOptions: options.pluginOptions, recorder: recorder,
                logger: options.logger, keepsEvents: !ScenarioRunner.isRenderLog(file))
            let farm = Farm(seed: UInt64(bitPattern: Int64(seed)), sink: tracker)
            if let lost = try arguments.optionalNumber(1, "lost_machine_seconds") { farm.lostMachineSeconds = lost }
            farm.onTimeAdvance = { [unowned tracker] seconds in tracker.timeAdvanced(to: seconds) }
            self.tracker = tracker
            self.farm = farm
            return [.integer(Int64(seed))]
        case .report:
            guard case .bool(let passed) = arguments.value(0) else { throw LuaHostError(message: "report: passed must be a boolean") }
            let expectation = Expectation(
                passed: passed, label: try arguments.string(1, "label"), detail: arguments.value(2).stringValue ?? "",
                location: arguments.value(3).stringValue ?? "", moment: moment)
            expectations.append(expectation)
            output(expectation.line)
            return []
        case .print:
            output("  " + (arguments.value(0).stringValue ?? ""))
            return []
        default:
            guard let farm, let tracker else {
                throw LuaHostError(message: "make the farm first: local farm = scenario.farm{ seed = 1 }")
            }
            return try call(function, arguments, farm: farm, tracker: tracker)
        }
    }

    private func call(_ function: ScenarioHostFunction, _ arguments: Arguments, farm: Farm, tracker: ScenarioTracker) throws(LuaHostError) -> [LuaValue] {
        switch function {
        case .addMachines:
            let count = try arguments.integer(0, "count")
            let speed = try arguments.number(1, "speed")
            guard count >= 0, speed > 0 else { throw LuaHostError(message: "farm:add_machines: count must be 0 or more and speed positive") }
            let failureRate = try arguments.number(3, "failure_rate")
            let boot = try arguments.number(4, "boot_seconds")
            guard (0...1).contains(failureRate) else { throw LuaHostError(message: "farm:add_machines: failure_rate must be between 0 and 1") }
            guard boot.isFinite, boot >= 0 else { throw LuaHostError(message: "farm:add_machines: boot_seconds must be 0 or more") }
            let names = farm.addMachines(count: count, speed: speed, prefix: try arguments.string(2, "prefix"), failureRate: failureRate, bootSeconds: boot)
            return [.array(names.map(LuaValue.string))]
        case .removeMachines:
            let names = farm.removeMachines(
                count: try arguments.integer(0, "count"), prefix: arguments.value(1).stringValue, drain: arguments.value(2) == .bool(true))
            return [.array(names.map(LuaValue.string))]
        case .setSpeed:
            let speed = try arguments.number(0, "speed")
            guard speed.isFinite, speed > 0 else { throw LuaHostError(message: "farm:set_speed: speed must be positive") }
            return [.integer(Int64(farm.setSpeed(speed, prefix: arguments.value(1).stringValue)))]
        case .submit:
            let spec = try RenderSpec(lua: arguments.value(0))
            let index = farm.submit(spec)
            return [.integer(Int64(index)), .string(farm.project(of: index))]
        case .run:
            let condition: Farm.StopCondition
            if let seconds = try arguments.optionalNumber(0, "seconds") {
                condition = .time(farm.now + seconds)
            } else if let time = try arguments.optionalNumber(1, "until_time") {
                condition = .time(time)
            } else if let fraction = try arguments.optionalNumber(2, "until_done") {
                condition = .framesDone(render: try render(arguments, 3, farm), fraction: fraction)
            } else {
                condition = .idle
            }
            let result = try run(farm, until: condition)
            switch result {
            case .reached: return [.string("reached")]
            case .idle: return [.string("idle")]
            case .stuck(let waiting):
                output("  note: \(waiting) jobs are waiting and no machine is alive to run them (at \(Int(farm.now.rounded())) s of farm time)")
                return [.string("stuck")]
            }
        case .rerender:
            farm.rerender(try render(arguments, 0, farm))
            return []
        case .progress:
            let progress = farm.progress(of: try render(arguments, 0, farm))
            return [.record([
                "done": .integer(Int64(progress.done)), "total": .integer(Int64(progress.total)), "started": .optional(progress.startedAt),
                "finished": .optional(progress.finishedAt), "failed": .bool(progress.failed),
            ])]
        case .estimateErrors:
            let index = try render(arguments, 0, farm)
            guard let errors = farm.estimateErrors(of: index, at: try milestone(arguments, 1)) else { return [.null] }
            return [errors.luaValue]
        case .call:
            let method = try arguments.string(0, "method")
            let count = try arguments.integer(1, "count")
            let given = arguments.value(2).arrayElements ?? []
            let params = (0..<count).map { $0 < given.count ? RPCValue(lua: given[$0]) : .null }
            switch tracker.core.dispatcher.call(method, params) {
            case .success(let value): return [.bool(true), LuaValue(rpc: value)]
            case .failure(let fault): return [.bool(false), .string("fault \(fault.code): \(fault.message)")]
            }
        case .events:
            let project = arguments.value(0).stringValue
            let name = arguments.value(1).stringValue
            if let name, PluginEvent.Name(rawValue: name) == nil {
                throw LuaHostError(message: "farm:events: unknown event name \"\(name)\" (known: \(PluginEvent.Name.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            let events = tracker.events.all.filter { event in
                (name == nil || event.name.rawValue == name) && (project == nil || event.payload["project"].stringValue == project)
            }
            return [.array(events.map(\.payload))]
        case .notifications:
            return [.array(tracker.capturedNotifications().map(\.luaValue))]
        case .now:
            return [.number(farm.now)]
        case .machines:
            let counts = farm.machineCounts
            return [.integer(Int64(counts.alive)), .integer(Int64(counts.busy))]
        case .replay:
            return [.integer(Int64(try startReplay(arguments, farm: farm, tracker: tracker)))]
        case .replayRun:
            return [.string(try runReplay(arguments, farm: farm, tracker: tracker))]
        case .replayInfo:
            let replay = try replay(arguments, 0)
            return [.record([
                "calls": .integer(Int64(replay.calls)), "faults": .integer(Int64(replay.faults.count)),
                "first_faults": .array(replay.faults.prefix(5).map { .string("\($0.location): \($0.method): \($0.message)") }),
                "restarts": .integer(Int64(replay.restarts)), "ended": .bool(replay.ended),
                "projects": .array(replay.projects.map(LuaValue.string)), "line": .optional(replay.lastLocation),
                "log_time": .optional(replay.lastTime?.iso8601),
            ])]
        case .replayProgress:
            let replay = try replay(arguments, 0)
            let project = try arguments.string(1, "project")
            guard let render = replay.sampler.render(of: project), let progress = replay.sampler.progress(of: project) else { return [.null] }
            return [.record([
                "done": .integer(Int64(progress.done)), "total": .integer(Int64(progress.total)), "started": .number(render.firstCall),
                "finished": .optional(render.finishedAt),
            ])]
        case .replayEstimateErrors:
            let replay = try replay(arguments, 0)
            let project = try arguments.string(1, "project")
            let milestone = try milestone(arguments, 2)
            guard let errors = replay.sampler.render(of: project)?.errors(at: milestone) else { return [.null] }
            return [errors.luaValue]
        case .newFarm, .report, .print:
            throw LuaHostError(message: "scenario.farm: a scenario has one farm")
        }
    }

    /// Runs the farm, replayed logs' calls among its events; a log found damaged on the way stops
    /// the scenario with the log's `FILE:LINE` and the reason.
    private func run(_ farm: Farm, until condition: Farm.StopCondition) throws(LuaHostError) -> Farm.RunResult {
        let result = farm.run(until: condition)
        if let failure = replays.lazy.compactMap(\.failure).first {
            throw LuaHostError(message: failure.description)
        }
        return result
    }

    private func startReplay(_ arguments: Arguments, farm: Farm, tracker: ScenarioTracker) throws(LuaHostError) -> Int {
        let given = arguments.value(0).arrayElements ?? []
        let files = given.compactMap(\.stringValue)
        guard !files.isEmpty, files.count == given.count else {
            throw LuaHostError(message: "farm:replay: file must be a render log's path, or files a list of paths")
        }
        var window = ScenarioLogReplay.Window(at: try arguments.optionalNumber(4, "at") ?? farm.now)
        window.from = try arguments.optionalNumber(1, "from") ?? 0
        window.to = try arguments.optionalNumber(2, "to")
        window.speed = try arguments.optionalNumber(3, "speed") ?? 1
        guard window.speed > 0 else { throw LuaHostError(message: "farm:replay: speed must be above 0, got \(window.speed)") }
        guard window.from >= 0, (window.to ?? window.from) >= window.from else {
            throw LuaHostError(message: "farm:replay: from must be 0 or more and to at least from (seconds after the log's first call)")
        }
        guard window.at >= farm.now else {
            throw LuaHostError(message: "farm:replay: at = \(window.at) is in the past (the farm is at \(farm.now) s)")
        }
        do {
            let replay = try ScenarioLogReplay(files: files.map(resolve), window: window, farm: farm, tracker: tracker) { [unowned self] in
                lastReplayed = $0
            }
            replays.append(replay)
            return replays.count - 1
        } catch {
            throw LuaHostError(message: "farm:replay: \(error)")
        }
    }

    /// `replay:run{...}`: the replay (and the farm with it) until a moment, or the log's end.
    private func runReplay(_ arguments: Arguments, farm: Farm, tracker: ScenarioTracker) throws(LuaHostError) -> String {
        let replay = try replay(arguments, 0)
        if let seconds = try arguments.optionalNumber(1, "seconds") {
            _ = try run(farm, until: .time(farm.now + seconds))
            return "reached"
        }
        if let time = try arguments.optionalNumber(2, "until_time") {
            _ = try run(farm, until: .time(time))
            return "reached"
        }
        var reached: () -> Bool = { false }
        if let fraction = try arguments.optionalNumber(3, "until_done") {
            let project = try arguments.string(4, "project")
            reached = { [unowned replay] in
                guard let (done, total) = replay.sampler.progress(of: project), total > 0 else { return false }
                return Double(done) >= fraction * Double(total)
            }
        } else if arguments.value(5) == .bool(true) {
            // Hooks run only on events: the notifications are counted again only when events came.
            let before = tracker.capturedNotifications().count
            var events = tracker.events.count
            reached = { [unowned tracker] in
                guard tracker.events.count != events else { return false }
                events = tracker.events.count
                return tracker.capturedNotifications().count > before
            }
        }
        while !reached() {
            guard let due = replay.nextMoment else { return "ended" }
            _ = try run(farm, until: .time(max(due, farm.now)))
        }
        return "reached"
    }

    /// The moment an expectation is checked at, while a log replays: farm time and the log line.
    private var moment: String {
        guard let replay = lastReplayed, let line = replay.lastLocation, let time = replay.lastTime else { return "" }
        return String(format: "%.1f", farm?.now ?? 0) + " s of farm time, after \(line) (recorded \(time.iso8601))"
    }

    /// A log's path as the script gives it, relative to the script's folder, with `..` taken out so
    /// that messages name it as a reader would (`examples/logs/night.jsonl:12`).
    private func resolve(_ path: String) -> String {
        guard !path.hasPrefix("/"), !ScenarioRunner.isRenderLog(file) else { return path }
        var parts: [Substring] = []
        for part in (file.split(separator: "/", omittingEmptySubsequences: false).dropLast() + path.split(separator: "/")) where part != "." {
            if part == "..", let last = parts.last, last != "..", !last.isEmpty { parts.removeLast() } else { parts.append(part) }
        }
        return parts.joined(separator: "/")
    }

    private func replay(_ arguments: Arguments, _ index: Int) throws(LuaHostError) -> ScenarioLogReplay {
        let replay = try arguments.integer(index, "replay")
        guard replays.indices.contains(replay) else { throw LuaHostError(message: "no replay \(replay) in this scenario") }
        return replays[replay]
    }

    private func milestone(_ arguments: Arguments, _ index: Int) throws(LuaHostError) -> Int {
        let milestone = try arguments.integer(index, "percent")
        guard Farm.milestones.contains(milestone) else {
            throw LuaHostError(message: "estimate_error: percent must be one of \(Farm.milestones.map(String.init).joined(separator: ", ")), got \(milestone)")
        }
        return milestone
    }

    private func render(_ arguments: Arguments, _ index: Int, _ farm: Farm) throws(LuaHostError) -> Int {
        let render = try arguments.integer(index, "render")
        guard (0..<farm.renderCount).contains(render) else { throw LuaHostError(message: "no render \(render) on this farm") }
        return render
    }

}

/// A host call's arguments, read with errors that name the function and the argument.
private struct Arguments {
    var values: [LuaValue]
    var function: ScenarioHostFunction

    func value(_ index: Int) -> LuaValue { index < values.count ? values[index] : .null }

    func string(_ index: Int, _ name: String) throws(LuaHostError) -> String {
        guard let string = value(index).stringValue else { throw mismatch(index, name, "a string") }
        return string
    }

    func number(_ index: Int, _ name: String) throws(LuaHostError) -> Double {
        guard let number = value(index).doubleValue, number.isFinite else { throw mismatch(index, name, "a number") }
        return number
    }

    func optionalNumber(_ index: Int, _ name: String) throws(LuaHostError) -> Double? {
        value(index) == .null ? nil : try number(index, name)
    }

    func integer(_ index: Int, _ name: String) throws(LuaHostError) -> Int {
        guard let integer = value(index).integerValue else { throw mismatch(index, name, "an integer") }
        return integer
    }

    private func mismatch(_ index: Int, _ name: String, _ expected: String) -> LuaHostError {
        LuaHostError(message: "\(name) must be \(expected), got \(value(index).typeName)")
    }
}

extension EstimateErrors {
    /// `{ tracker, straight_line, average_frame }`, each a fraction of the time really left, or nil.
    fileprivate var luaValue: LuaValue {
        .record(["tracker": .optional(tracker), "straight_line": .optional(straightLine), "average_frame": .optional(averageFrame)])
    }
}
