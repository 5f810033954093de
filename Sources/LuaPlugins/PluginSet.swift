import RenderTracker
public import LuaHost

/// What one plugin registered when it loaded.
public struct PluginRegistration: Sendable, Equatable {
    public var name: String
    public var setsNameFormula: Bool
    public var setsEstimator: Bool
    public var events: [String]
    /// The estimator asked for every frame (`tracker.set_estimator(fn, {frames = true})`).
    public var estimatorWantsFrames = false
}

/// A plugin that did not load: which file and why (`file.lua:12: ...`).
public struct PluginLoadError: Error, Sendable, CustomStringConvertible {
    public var plugin: String
    public var failure: LuaCallFailure

    public var description: String { "\(plugin): \(failure.summary)" }
}

/// The plugins of one folder loaded into one Lua state. Not thread-safe: its owner serialises use.
final class PluginSet {
    let state: LuaState
    let registrations: [PluginRegistration]
    /// The plugin whose formula (estimator) is in use: the last to set one, in name order.
    let formulaPlugin: String?
    let estimatorPlugin: String?
    /// Whether the estimator in use reads `frames`: only then is every frame put in its snapshot.
    let estimatorWantsFrames: Bool

    /// - Parameter quietWhileLoading: drop the log lines and notifications of the plugins' top
    ///   level (arguments are still checked): for the second state of the same folder, whose
    ///   top level already ran, loudly, in the first.
    init(files: [PluginFile], options: PluginOptions, host: PluginHost, quietWhileLoading: Bool = false) throws(PluginLoadError) {
        let loading = LoadingPhase()
        let loadingHost = quietWhileLoading ? host.quiet : host
        do {
            state = try LuaState(memoryLimit: options.memoryLimitBytes, prelude: PluginPrelude.text) { id, arguments in
                (loading.isLoading ? loadingHost : host).call(id, arguments)
            }
        } catch {
            throw PluginLoadError(plugin: "(prelude)", failure: error)
        }
        defer { loading.isLoading = false }
        var registrations: [PluginRegistration] = []
        for file in files {
            let settings = LuaValue.table(Dictionary(uniqueKeysWithValues: file.settings.map { (LuaValue.string($0.key), LuaValue.string($0.value)) }))
            // Loading runs the plugin's top level, under the hook limits (it may build tables).
            let loaded = state.call("load_plugin", [.string(file.name), .string(file.text), settings], limits: options.hookCallLimits)
            switch loaded {
            case .failure(let failure):
                throw PluginLoadError(plugin: file.name, failure: failure)
            case .success(let values):
                let events = (values.count > 2 ? values[2].arrayElements : nil)?.compactMap(\.stringValue) ?? []
                registrations.append(PluginRegistration(
                    name: file.name, setsNameFormula: values.first == .bool(true), setsEstimator: values.count > 1 && values[1] == .bool(true),
                    events: events, estimatorWantsFrames: values.count > 3 && values[3] == .bool(true)
                ))
            }
        }
        self.registrations = registrations
        formulaPlugin = registrations.last(where: \.setsNameFormula)?.name
        estimatorPlugin = registrations.last(where: \.setsEstimator)?.name
        estimatorWantsFrames = registrations.last(where: \.setsEstimator)?.estimatorWantsFrames ?? false
    }

    func projectName(user: String, localHipPath: String, limits: LuaCallLimits) -> Result<String, LuaCallFailure> {
        state.call("run_formula", [.string(user), .string(localHipPath)], limits: limits).flatMap { values in
            guard let name = values.first?.stringValue, !name.isEmpty else {
                return .failure(.error("the name formula must return a non-empty string, got \(values.first.map(describe) ?? "nothing")"))
            }
            guard name.utf8.count <= ProjectNameRules.maximumBytes else {
                return .failure(.error("the name formula returned \(name.utf8.count) bytes; project names are limited to \(ProjectNameRules.maximumBytes)"))
            }
            guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                return .failure(.error("the name formula returned a name with a control character (a newline?): \(describe(.string(name)))"))
            }
            return .success(ProjectNameRules.quotesReplaced(name))
        }
    }

    func secondsLeft(project: LuaEncoder, limits: LuaCallLimits) -> Result<Double?, LuaCallFailure> {
        estimate(project: project, limits: limits).map { $0?.seconds }
    }

    /// The estimator's answer: seconds, or seconds with a low and a high bound (`return 7200,
    /// 6000, 9000`), or nil for the built-in's.
    func estimate(project: LuaEncoder, limits: LuaCallLimits) -> Result<TimeLeftEstimate?, LuaCallFailure> {
        state.call("run_estimator", encodedArguments: project.bytes, limits: limits).flatMap { values in
            switch values.first ?? .null {
            case .null: return .success(nil)
            case let value:
                guard let seconds = value.doubleValue, EstimateRange.contains(seconds) else {
                    return .failure(.error(
                        "the estimator must return seconds (a number from 0 to \(Int(EstimateRange.maximumSeconds)), a year) or nil, got \(describe(value))"))
                }
                let bounds = values.dropFirst().prefix(2)
                guard !bounds.isEmpty else { return .success(TimeLeftEstimate(seconds: seconds, low: seconds, high: seconds, isRange: false)) }
                guard bounds.count == 2, let low = bounds.first?.doubleValue, let high = bounds.last?.doubleValue,
                    EstimateRange.contains(low), EstimateRange.contains(high), low <= seconds, seconds <= high
                else {
                    return .failure(.error(
                        "the estimator's range must be two numbers low <= seconds <= high after the seconds, got \(bounds.map(describe).joined(separator: " and "))"))
                }
                return .success(TimeLeftEstimate(seconds: seconds, low: low, high: high))
            }
        }
    }

    func runHooks(plugin: String, event: PluginEvent, limits: LuaCallLimits) -> Result<Void, LuaCallFailure> {
        state.call("run_hooks", [.string(plugin), .string(event.name.rawValue), event.payload], limits: limits).map { _ in () }
    }
}

/// Whether a set's plugins are still loading; read by its host function, on the set's own thread.
private final class LoadingPhase {
    var isLoading = true
}

private func describe(_ value: LuaValue) -> String {
    switch value {
    case .string(let string): "the string \"\(string.prefix(60))\""
    case .integer, .number: "the number \(value.doubleValue ?? 0)"
    default: "a \(value.typeName)"
    }
}
