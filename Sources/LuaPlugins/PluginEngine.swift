import Foundation
public import Logging
public import RenderTracker
import Synchronization
public import LuaHost

/// Why a reload kept the plugins that were running.
public struct PluginReloadError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// Counters for metrics and `plugins reload` answers.
public struct PluginStatistics: Sendable, Equatable {
    public var registrations: [PluginRegistration]
    /// Failed calls per plugin since the daemon started.
    public var failures: [String: Int]
    /// Plugins switched off by repeated failures until the next reload.
    public var disabled: [String]
    public var hookQueueDepth: Int
    public var droppedEvents: Int
    public var reloads: Int
    public var failedReloads: Int
}

/// The plugins a daemon runs. Two Lua states hold the same plugins: one answers naming and
/// estimate calls while an RPC waits (under a lock a caller waits on for at most the call's time
/// limit), the other runs event hooks on their own queue. A reload builds both afresh and swaps
/// them in only if every plugin loads and passes a smoke test. Every failure falls back to the
/// built-in behaviour, is logged with the plugin's file and line, and is counted.
public final class PluginEngine: ProjectNameFormula, Sendable {
    public let folder: PluginFolder
    public let options: PluginOptions
    private let host: PluginHost
    private let logger: Logger
    private let builtInFormula = BuiltInProjectNameFormula()
    private let current = Mutex<PluginGeneration?>(nil)
    private let hooks: HookQueue
    private let counters = Mutex(Counters())

    private struct Counters {
        var failures: [String: Int] = [:]
        var reloads = 0
        var failedReloads = 0
    }

    /// - Parameters:
    ///   - logger: what the engine reports (loads, failures, drops).
    ///   - pluginLogger: where plugins' own `tracker.log` lines go; `logger` when nil.
    public init(
        folder: PluginFolder, options: PluginOptions = PluginOptions(), effects: any PluginEffects, clock: any TrackerClock, logger: Logger,
        pluginLogger: Logger? = nil
    ) {
        self.folder = folder
        self.options = options
        self.logger = logger
        host = PluginHost(effects: effects, clock: clock, logger: pluginLogger ?? logger, environment: ProcessInfo.processInfo.environment)
        hooks = HookQueue(capacity: options.hookQueueCapacity)
    }

    // MARK: Loading

    /// Loads the folder afresh and swaps it in; on any error the running plugins stay.
    @discardableResult
    public func reload() -> Result<[PluginRegistration], PluginReloadError> {
        let loaded: Result<PluginGeneration, PluginReloadError>
        do {
            loaded = .success(try load(try folder.read()))
        } catch let error as PluginFolderError {
            loaded = .failure(PluginReloadError(description: error.description))
        } catch let error as PluginLoadError {
            loaded = .failure(PluginReloadError(description: error.description))
        } catch {
            loaded = .failure(PluginReloadError(description: "\(error)"))
        }
        switch loaded {
        case .success(let generation):
            // The old states close when the last call holding them returns.
            current.withLock { $0 = generation }
            counters.withLock { $0.reloads += 1 }
            logger.notice("plugins loaded", metadata: [
                "folder": "\(folder.path)", "plugins": "\(generation.registrations.map(\.name).joined(separator: ", "))",
            ])
            return .success(generation.registrations)
        case .failure(let error):
            counters.withLock { $0.failedReloads += 1 }
            logger.error("plugins not reloaded; the plugins already running stay", metadata: ["folder": "\(folder.path)", "error": "\(error)"])
            return .failure(error)
        }
    }

    /// Loads `files` into both states and smoke-tests the formula and the estimator.
    func load(_ files: [PluginFile]) throws(PluginLoadError) -> PluginGeneration {
        let hookSet = try PluginSet(files: files, options: options, host: host)
        let requestSet = try PluginSet(files: files, options: options, host: host, quietWhileLoading: true)
        if let plugin = requestSet.formulaPlugin,
            case .failure(let failure) = requestSet.projectName(user: "artist", localHipPath: Self.sampleHipPath, limits: options.requestCallLimits)
        {
            throw PluginLoadError(plugin: plugin, failure: .error("smoke test of the name formula failed: \(failure.summary)"))
        }
        if let plugin = requestSet.estimatorPlugin,
            case .failure(let failure) = requestSet.secondsLeft(project: Self.sampleProject, limits: options.requestCallLimits)
        {
            throw PluginLoadError(plugin: plugin, failure: .error("smoke test of the estimator failed: \(failure.summary)"))
        }
        return PluginGeneration(requestSet: requestSet, hookSet: hookSet)
    }

    static let sampleHipPath = "/studio/shows/demo/shots/sh010/work/artist/demo_sh010_lighting_v003.hip"

    /// A project 40 frames into 100, with four rendering: what an estimator is smoke-tested on.
    public static let sampleProject: LuaEncoder = {
        let inFlight = (41...44).map { number in
            LuaValue.record([
                "number": .integer(Int64(number)), "status": .string("Rendering"), "fraction": .number(0.5),
                "render_fraction": .number(0.5), "download_fraction": .number(0), "job_id": .string("job-\(number)"),
                "started": .number(1_000_060), "last_progress": .number(1_000_090),
            ])
        }
        var sample = LuaEncoder()
        sample.value(.record([
            "name": .string("artist/demo_sh010_lighting_v003"), "job_id": .string("1234"), "state": .string("running"),
            "frame_count": .integer(100),
            "counts": .record([
                "Waiting": .integer(56), "Generating IFD": .integer(0), "IFD Ready": .integer(0), "Rendering": .integer(4),
                "Downloading": .integer(0), "Done": .integer(40), "Error": .integer(0),
            ]),
            "started": .number(1_000_000), "now": .number(1_000_100), "elapsed": .number(100), "builtin": .number(150),
            "rendering_peak": .integer(4), "recent_render_seconds": .array([.number(10), .number(12), .number(9)]),
            "recent_download_seconds": .array([]), "recent_completions": .array([.number(1_000_070), .number(1_000_085), .number(1_000_095)]),
            "frames_in_flight": .array(inFlight), "all_frames": .bool(false),
        ]))
        return sample
    }()

    public var registrations: [PluginRegistration] { current.withLock { $0?.registrations ?? [] } }

    /// The plugins loaded now; nil before the first successful load.
    var generation: PluginGeneration? { current.withLock { $0 } }

    // MARK: Naming and estimate (the request path)

    public func projectName(user: String, localHipPath: String) -> String {
        let name = onRequestState(\.formulaPlugin, "name formula") { plugins in
            plugins.projectName(user: user, localHipPath: localHipPath, limits: options.requestCallLimits)
        }
        return name ?? builtInFormula.projectName(user: user, localHipPath: localHipPath)
    }

    /// Whether a plugin estimator is in use (only then is a snapshot worth building), and whether
    /// it wants every frame in it.
    public var estimator: (inUse: Bool, wantsFrames: Bool) {
        guard let generation, let plugin = generation.requestSet.estimatorPlugin, !generation.isDisabled(plugin) else { return (false, false) }
        return (true, generation.requestSet.estimatorWantsFrames)
    }

    /// The plugin estimator's answer for a snapshot (see `ProjectSnapshot`), or `builtIn` when
    /// there is none or it failed.
    public func secondsLeft(snapshot: LuaEncoder, builtIn: Double?) -> Double? {
        guard let answer = estimate(snapshot: snapshot) else { return builtIn }
        return answer?.seconds
    }

    /// The estimator plugin's answer: seconds, with a range when it gives one, or `.some(nil)`
    /// when it says it cannot tell (passed on as it is); nil when there is no estimator plugin in
    /// use or it failed, and the built-in's answer stands.
    public func estimate(snapshot: LuaEncoder) -> TimeLeftEstimate?? {
        onRequestState(\.estimatorPlugin, "estimator") { plugins in
            plugins.estimate(project: snapshot, limits: options.requestCallLimits)
        }
    }

    /// Runs `body` on the request state if the capability's plugin is enabled; nil means "use the built-in".
    private func onRequestState<Value>(
        _ owner: KeyPath<PluginSet, String?>, _ capability: String, _ body: (PluginSet) -> Result<Value, LuaCallFailure>
    ) -> Value? {
        guard let generation, let plugin = generation.requestSet[keyPath: owner],
            !generation.isDisabled(plugin)
        else { return nil }
        // A plugin wedged inside a C function (a pathological pattern match) holds the lock;
        // callers wait no longer than a call may take, then answer with the built-in.
        guard generation.requestLock.lock(before: Date(timeIntervalSinceNow: options.requestCallLimits.seconds)) else {
            recordFailure(plugin, capability, .timeLimit(seconds: options.requestCallLimits.seconds, location: "waiting for the plugin state"), in: generation)
            return nil
        }
        let result = body(generation.requestSet)
        generation.requestLock.unlock()
        switch result {
        case .success(let value):
            generation.recordSuccess(plugin)
            return value
        case .failure(let failure):
            recordFailure(plugin, capability, failure, in: generation)
            return nil
        }
    }

    private func recordFailure(_ plugin: String, _ capability: String, _ failure: LuaCallFailure, in generation: PluginGeneration) {
        counters.withLock { $0.failures[plugin, default: 0] += 1 }
        let disabledNow = generation.recordFailure(plugin, disableAfter: options.failuresBeforeDisabling)
        logger.warning("plugin failed; the built-in behaviour is used instead", metadata: [
            "plugin": "\(plugin)", "call": "\(capability)", "error": "\(failure.summary)",
        ])
        if disabledNow {
            logger.error("plugin disabled until the next reload: it failed \(options.failuresBeforeDisabling) times in a row", metadata: [
                "plugin": "\(plugin)", "last_error": "\(failure.summary)",
            ])
        }
    }

    /// The daemon is bound to `port`: the plugins' webhooks may not post to it.
    public func daemonIsListening(port: Int) {
        host.effects.daemonIsListening(port: port)
    }

    // MARK: Hooks

    /// The events some enabled plugin hooks: the rest are not even built.
    public var wantedEvents: Set<PluginEvent.Name> { current.withLock { $0?.wantedEvents ?? [] } }

    /// Queues hook calls for the tracker events of one write. Called under the tracker's lock:
    /// builds only the events some plugin wants, then hands them to the hook queue.
    public func enqueue(_ events: [TrackerEvent], in tracker: Tracker) {
        guard let generation, !generation.wantedEvents.isEmpty else { return }
        for event in events {
            for pluginEvent in PluginEvent.events(for: event, in: tracker, wanted: generation.wantedEvents) {
                enqueue(pluginEvent)
            }
        }
    }

    /// Queues one event for every plugin that hooks it, in the plugins loaded when it runs.
    public func enqueue(_ event: PluginEvent) {
        let queued = hooks.push { [self] in runHooks(event) }
        if !queued {
            let dropped = hooks.dropped
            // The first drop and then every thousandth: a flood must not become a log flood.
            if dropped == 1 || dropped % 1000 == 0 {
                logger.warning("plugin hook queue full; events dropped", metadata: [
                    "dropped": "\(dropped)", "capacity": "\(options.hookQueueCapacity)", "event": "\(event.name.rawValue)",
                ])
            }
        }
    }

    private func runHooks(_ event: PluginEvent) {
        guard let generation else { return }
        for plugin in generation.subscribers[event.name] ?? [] where !generation.isDisabled(plugin) {
            switch generation.hookSet.runHooks(plugin: plugin, event: event, limits: options.hookCallLimits) {
            case .success: generation.recordSuccess(plugin)
            case .failure(let failure): recordFailure(plugin, "hook \(event.name.rawValue)", failure, in: generation)
            }
        }
    }

    /// Waits for queued hooks to run, at most `seconds`; false if some were still waiting.
    public func drainHooks(seconds: Double) async -> Bool {
        await hooks.drain(seconds: seconds)
    }

    /// Waits for queued hooks on the calling thread, at most `seconds`: for scenarios, which run on
    /// a thread of their own and need notifications in before they look.
    public func drainHooksBlocking(seconds: Double) -> Bool {
        hooks.drainBlocking(seconds: seconds)
    }

    public var statistics: PluginStatistics {
        let generation = generation
        let counters = counters.withLock { $0 }
        return PluginStatistics(
            registrations: generation?.registrations ?? [], failures: counters.failures, disabled: generation?.disabledPlugins ?? [],
            hookQueueDepth: hooks.depth, droppedEvents: hooks.dropped, reloads: counters.reloads, failedReloads: counters.failedReloads
        )
    }
}

/// One load of the plugin folder: its two states and what each plugin has done since.
final class PluginGeneration: @unchecked Sendable {
    // @unchecked: `requestSet` is used only while holding `requestLock`, and `hookSet` only on the
    // hook queue, which is serial; everything else is immutable or behind `health`.
    let requestSet: PluginSet
    let requestLock = NSLock()
    let hookSet: PluginSet
    let registrations: [PluginRegistration]
    /// Plugins hooking each event, in name order.
    let subscribers: [PluginEvent.Name: [String]]
    let wantedEvents: Set<PluginEvent.Name>
    private let health = Mutex<(failuresInARow: [String: Int], disabled: Set<String>)>(([:], []))

    init(requestSet: PluginSet, hookSet: PluginSet) {
        self.requestSet = requestSet
        self.hookSet = hookSet
        registrations = requestSet.registrations
        var subscribers: [PluginEvent.Name: [String]] = [:]
        for registration in registrations {
            for event in registration.events.compactMap(PluginEvent.Name.init(rawValue:)) {
                subscribers[event, default: []].append(registration.name)
            }
        }
        self.subscribers = subscribers
        wantedEvents = Set(subscribers.keys)
    }

    func isDisabled(_ plugin: String) -> Bool { health.withLock { $0.disabled.contains(plugin) } }

    var disabledPlugins: [String] { health.withLock { $0.disabled.sorted() } }

    func recordSuccess(_ plugin: String) {
        health.withLock { $0.failuresInARow[plugin] = nil }
    }

    /// Counts a failure; true when this one disabled the plugin.
    func recordFailure(_ plugin: String, disableAfter limit: Int) -> Bool {
        health.withLock { health in
            let inARow = health.failuresInARow[plugin, default: 0] + 1
            health.failuresInARow[plugin] = inARow
            guard inARow >= limit, !health.disabled.contains(plugin) else { return false }
            health.disabled.insert(plugin)
            return true
        }
    }
}
