import Hummingbird
import LuaPlugins
import NIOCore
import RPC

/// `POST /admin/plugins/reload` (what `rendertracker plugins reload` calls) and
/// `GET /admin/plugins`. The group they are added to answers only peers on this machine and
/// refuses cross-site requests (`buildApplication`).
struct PluginAdminRoutes {
    let plugins: PluginEngine

    func add(to group: RouterGroup<TrackerRequestContext>) {
        group.post("reload") { _, _ in
            switch plugins.reload() {
            case .success: return report(reloaded: true, error: nil)
            case .failure(let error): return report(reloaded: false, error: error.description)
            }
        }
        group.get { _, _ in
            report(reloaded: nil, error: nil)
        }
    }

    /// The plugins running now, their failures and the hook queue, as JSON.
    private func report(reloaded: Bool?, error: String?) -> Response {
        let statistics = plugins.statistics
        var fields: [String: RPCValue] = [
            "folder": .string(plugins.folder.path),
            "plugins": .array(statistics.registrations.map { registration in
                .structure([
                    "name": .string(registration.name), "name_formula": .bool(registration.setsNameFormula),
                    "estimator": .bool(registration.setsEstimator), "events": .array(registration.events.map(RPCValue.string)),
                    "failures": .int(statistics.failures[registration.name] ?? 0),
                    "disabled": .bool(statistics.disabled.contains(registration.name)),
                ])
            }),
            "hook_queue_depth": .int(statistics.hookQueueDepth),
            "dropped_events": .int(statistics.droppedEvents),
            "reloads": .int(statistics.reloads),
            "failed_reloads": .int(statistics.failedReloads),
        ]
        if let reloaded { fields["reloaded"] = .bool(reloaded) }
        if let error { fields["error"] = .string(error) }
        return Response(
            status: error == nil ? .ok : .unprocessableContent,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: JSONWriter.string(.structure(fields)) + "\n"))
        )
    }
}
