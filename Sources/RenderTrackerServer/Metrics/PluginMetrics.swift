import LuaPlugins
import Prometheus
import Synchronization

extension ServerMetrics {
    /// Plugin failures, reloads, disabled plugins and the hook queue, read from the engine's
    /// statistics at each scrape: nothing is counted twice and the hook path pays nothing.
    func reportPlugins(of plugins: PluginEngine) {
        let help = "Failed plugin calls (naming, estimate, hooks), by plugin file."
        let queueDepth = registry.makeGauge(descriptor: .named("rendertracker_plugin_hook_queue_depth", help: "Events waiting for plugin hooks."))
        let disabled = registry.makeGauge(descriptor: .named("rendertracker_plugins_disabled", help: "Plugins disabled by repeated failures until the next reload."))
        let dropped = registry.makeCounter(descriptor: .named("rendertracker_plugin_dropped_events_total", help: "Events dropped because the hook queue was full."))
        let reloads = ["ok", "failed"].map {
            registry.makeCounter(descriptor: .named("rendertracker_plugin_reloads_total", help: "Plugin folder loads by outcome."), labels: [("outcome", $0)])
        }
        // Counters only go up: each scrape adds what the engine counted since the previous one.
        let reported = Mutex<(failures: [String: (counter: Counter, value: Int)], dropped: Int, reloads: Int, failedReloads: Int)>(([:], 0, 0, 0))
        beforeEachScrape { [registry] in
            let statistics = plugins.statistics
            queueDepth.set(Int64(statistics.hookQueueDepth))
            disabled.set(Int64(statistics.disabled.count))
            reported.withLock { reported in
                for (plugin, value) in statistics.failures {
                    let counter = reported.failures[plugin]?.counter
                        ?? registry.makeCounter(descriptor: .named("rendertracker_plugin_failures_total", help: help), labels: [("plugin", plugin)])
                    counter.increment(by: Int64(value - (reported.failures[plugin]?.value ?? 0)))
                    reported.failures[plugin] = (counter, value)
                }
                dropped.increment(by: Int64(statistics.droppedEvents - reported.dropped))
                reloads[0].increment(by: Int64(statistics.reloads - reported.reloads))
                reloads[1].increment(by: Int64(statistics.failedReloads - reported.failedReloads))
                (reported.dropped, reported.reloads, reported.failedReloads) = (statistics.droppedEvents, statistics.reloads, statistics.failedReloads)
            }
        }
    }
}
