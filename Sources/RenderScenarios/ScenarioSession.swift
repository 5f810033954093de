import FarmSimulation
import Logging
import LuaPlugins
import RenderTracker
import RenderTrackerService
import RPC
import LuaHost
import RenderLog

/// One scenario being run: the farm, the tracker it talks to, and what the script has checked.
/// Carries out the prelude's host calls; lives on the scenario's one thread.
final class ScenarioSession {
    let file: String
    let options: ScenarioOptions
    private(set) var expectations: [Expectation] = []
    private(set) var farm: Farm?
    private(set) var tracker: ScenarioTracker?
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
                logger: options.logger)
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
                location: arguments.value(3).stringValue ?? "")
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
            let result = farm.run(until: condition)
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
            let milestone = try arguments.integer(1, "percent")
            guard Farm.milestones.contains(milestone) else {
                throw LuaHostError(message: "estimate_error: percent must be one of \(Farm.milestones.map(String.init).joined(separator: ", ")), got \(milestone)")
            }
            guard let errors = farm.estimateErrors(of: index, at: milestone) else { return [.null] }
            return [.record([
                "tracker": .optional(errors.tracker), "straight_line": .optional(errors.straightLine), "average_frame": .optional(errors.averageFrame),
            ])]
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
        case .newFarm, .report, .print:
            throw LuaHostError(message: "scenario.farm: a scenario has one farm")
        }
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
