import ArgumentParser
import Foundation
import LuaHost
import LuaPlugins

/// The plugin options `serve` and `plugins check` share, so a check runs plugins exactly as the
/// daemon would: both resolve them through `ServeSettings`, so the environment and the
/// configuration file count for both.
struct PluginOptionsGroup: ParsableArguments {
    @Option(help: "Folder of Lua plugins (every *.lua, loaded in name order); reloaded on SIGHUP or when a file changes.")
    var plugins: String?

    @Option(help: "Lua instructions a naming or estimate call may run (default \(PluginOptions().requestCallLimits.instructions)).")
    var pluginRequestInstructions: Int?

    @Option(help: "Milliseconds a naming or estimate call may take before the built-in answer is used (default \(PluginOptions().requestCallLimits.seconds * 1000)).")
    var pluginRequestMilliseconds: Double?

    @Option(help: "Lua instructions an event hook (or a plugin's loading) may run (default \(PluginOptions().hookCallLimits.instructions)).")
    var pluginHookInstructions: Int?

    @Option(help: "Milliseconds an event hook may take (default \(PluginOptions().hookCallLimits.seconds * 1000)).")
    var pluginHookMilliseconds: Double?

    @Option(help: "Megabytes each plugin Lua state may hold; there are two, requests and hooks (default \(PluginOptions().memoryLimitBytes >> 20)).")
    var pluginMemoryMegabytes: Int?

    @Option(help: "Events that may wait for hooks; more are dropped and counted (default \(PluginOptions().hookQueueCapacity)).")
    var hookQueue: Int?

    @Option(help: "Minutes without progress after which a Rendering frame fires frame_stalled (default \(PluginOptions().stallSeconds / 60)).")
    var stallMinutes: Double?

    @Option(help: "Failures in a row after which a plugin is disabled until the next reload (default \(PluginOptions().failuresBeforeDisabling)).")
    var pluginFailuresBeforeDisabling: Int?

    @Option(help: ArgumentHelp(
        "A network tracker.http_post may not post to (CIDR); repeat for several. Given, it replaces the default (link-local: 169.254.0.0/16 and fe80::/10); `none` refuses no network. The daemon itself is always refused.",
        valueName: "network"))
    var pluginPostRefuse: [String] = []

    /// The plugin folder and options, resolved like every `serve` setting (flag, environment,
    /// configuration file, default) and checked; throws `ValidationError` naming the setting.
    func resolve(_ settings: inout ServeSettings) throws -> (folder: String?, options: PluginOptions) {
        let defaults = PluginOptions()
        let folder = try settings.optional("plugins", flag: plugins)
        if let folder {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
                throw ValidationError("--plugins \(folder): no such folder")
            }
        }
        let requestInstructions = try settings.value("plugin-request-instructions", flag: pluginRequestInstructions, default: defaults.requestCallLimits.instructions)
        let hookInstructions = try settings.value("plugin-hook-instructions", flag: pluginHookInstructions, default: defaults.hookCallLimits.instructions)
        guard requestInstructions >= 1000, hookInstructions >= 1000 else {
            throw ValidationError("--plugin-request-instructions and --plugin-hook-instructions must be at least 1000")
        }
        let requestMilliseconds = try settings.value("plugin-request-milliseconds", flag: pluginRequestMilliseconds, default: defaults.requestCallLimits.seconds * 1000)
        let hookMilliseconds = try settings.value("plugin-hook-milliseconds", flag: pluginHookMilliseconds, default: defaults.hookCallLimits.seconds * 1000)
        guard requestMilliseconds > 0, hookMilliseconds > 0 else {
            throw ValidationError("--plugin-request-milliseconds and --plugin-hook-milliseconds must be positive")
        }
        let memoryMegabytes = try settings.value("plugin-memory-megabytes", flag: pluginMemoryMegabytes, default: defaults.memoryLimitBytes >> 20)
        guard memoryMegabytes >= 4 else { throw ValidationError("--plugin-memory-megabytes must be at least 4") }
        let hookQueue = try settings.value("hook-queue", flag: hookQueue, default: defaults.hookQueueCapacity)
        guard hookQueue > 0 else { throw ValidationError("--hook-queue must be positive") }
        let stallMinutes = try settings.value("stall-minutes", flag: stallMinutes, default: defaults.stallSeconds / 60)
        guard stallMinutes > 0 else { throw ValidationError("--stall-minutes must be positive") }
        let failures = try settings.value("plugin-failures-before-disabling", flag: pluginFailuresBeforeDisabling, default: defaults.failuresBeforeDisabling)
        guard failures > 0 else { throw ValidationError("--plugin-failures-before-disabling must be positive") }
        let refuse = try settings.list("plugin-post-refuse", flag: pluginPostRefuse, default: defaults.refusedPostNetworks.map(\.description))
        if refuse != ["none"], let bad = refuse.first(where: { IPNetwork($0) == nil }) {
            throw ValidationError("--plugin-post-refuse \(bad): expected a network such as 10.0.0.0/8 or fd00::/8, or none")
        }
        let options = PluginOptions(
            requestCallLimits: LuaCallLimits(instructions: requestInstructions, seconds: requestMilliseconds / 1000),
            hookCallLimits: LuaCallLimits(instructions: hookInstructions, seconds: hookMilliseconds / 1000),
            memoryLimitBytes: memoryMegabytes << 20,
            hookQueueCapacity: hookQueue,
            stallSeconds: stallMinutes * 60,
            failuresBeforeDisabling: failures,
            refusedPostNetworks: refuse.compactMap(IPNetwork.init)
        )
        return (folder, options)
    }
}
