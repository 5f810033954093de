import ArgumentParser
import Foundation
import LuaHost
import LuaPlugins

/// The plugin options `serve` and `plugins check` share, so a check runs plugins exactly as the
/// daemon would.
struct PluginOptionsGroup: ParsableArguments {
    @Option(help: "Folder of Lua plugins (every *.lua, loaded in name order); reloaded on SIGHUP or when a file changes.")
    var plugins: String?

    @Option(help: "Lua instructions a naming or estimate call may run.")
    var pluginRequestInstructions = PluginOptions().requestCallLimits.instructions

    @Option(help: "Milliseconds a naming or estimate call may take before the built-in answer is used.")
    var pluginRequestMilliseconds = PluginOptions().requestCallLimits.seconds * 1000

    @Option(help: "Lua instructions an event hook (or a plugin's loading) may run.")
    var pluginHookInstructions = PluginOptions().hookCallLimits.instructions

    @Option(help: "Milliseconds an event hook may take.")
    var pluginHookMilliseconds = PluginOptions().hookCallLimits.seconds * 1000

    @Option(help: "Megabytes each plugin Lua state may hold (there are two: requests and hooks).")
    var pluginMemoryMegabytes = PluginOptions().memoryLimitBytes >> 20

    @Option(help: "Events that may wait for hooks; more are dropped and counted.")
    var hookQueue = PluginOptions().hookQueueCapacity

    @Option(help: "Minutes without progress after which a Rendering frame fires frame_stalled.")
    var stallMinutes = PluginOptions().stallSeconds / 60

    @Option(help: "Failures in a row after which a plugin is disabled until the next reload.")
    var pluginFailuresBeforeDisabling = PluginOptions().failuresBeforeDisabling

    @Option(help: ArgumentHelp(
        "A network tracker.http_post may not post to (CIDR); repeat for several. Given, it replaces the default (link-local: 169.254.0.0/16 and fe80::/10); `none` refuses no network. The daemon itself is always refused.",
        valueName: "network"))
    var pluginPostRefuse = PluginOptions().refusedPostNetworks.map(\.description)

    func validate() throws {
        if let plugins {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: plugins, isDirectory: &isFolder), isFolder.boolValue else {
                throw ValidationError("--plugins \(plugins): no such folder")
            }
        }
        guard pluginRequestInstructions >= 1000, pluginHookInstructions >= 1000 else {
            throw ValidationError("--plugin-request-instructions and --plugin-hook-instructions must be at least 1000")
        }
        guard pluginRequestMilliseconds > 0, pluginHookMilliseconds > 0 else {
            throw ValidationError("--plugin-request-milliseconds and --plugin-hook-milliseconds must be positive")
        }
        guard pluginMemoryMegabytes >= 4 else { throw ValidationError("--plugin-memory-megabytes must be at least 4") }
        guard hookQueue > 0 else { throw ValidationError("--hook-queue must be positive") }
        guard stallMinutes > 0 else { throw ValidationError("--stall-minutes must be positive") }
        guard pluginFailuresBeforeDisabling > 0 else { throw ValidationError("--plugin-failures-before-disabling must be positive") }
        if pluginPostRefuse != ["none"], let bad = pluginPostRefuse.first(where: { IPNetwork($0) == nil }) {
            throw ValidationError("--plugin-post-refuse \(bad): expected a network such as 10.0.0.0/8 or fd00::/8, or none")
        }
    }

    var options: PluginOptions {
        PluginOptions(
            requestCallLimits: LuaCallLimits(instructions: pluginRequestInstructions, seconds: pluginRequestMilliseconds / 1000),
            hookCallLimits: LuaCallLimits(instructions: pluginHookInstructions, seconds: pluginHookMilliseconds / 1000),
            memoryLimitBytes: pluginMemoryMegabytes << 20,
            hookQueueCapacity: hookQueue,
            stallSeconds: stallMinutes * 60,
            failuresBeforeDisabling: pluginFailuresBeforeDisabling,
            refusedPostNetworks: pluginPostRefuse.compactMap(IPNetwork.init)
        )
    }
}
