public import Hummingbird
import LuaPlugins
import NIOCore
import XMLRPC

/// `POST /admin/plugins/reload` (what `rendertracker plugins reload` calls) and
/// `GET /admin/plugins`: answered only to peers on this machine, as there is no authentication.
struct PluginAdminRoutes {
    let plugins: PluginEngine

    func add(to router: Router<TrackerRequestContext>) {
        router.post("/admin/plugins/reload") { _, context in
            try localOnly(context)
            switch plugins.reload() {
            case .success: return report(reloaded: true, error: nil)
            case .failure(let error): return report(reloaded: false, error: error.description)
            }
        }
        router.get("/admin/plugins") { _, context in
            try localOnly(context)
            return report(reloaded: nil, error: nil)
        }
    }

    private func localOnly(_ context: TrackerRequestContext) throws {
        guard context.isLocal else {
            throw HTTPError(.forbidden, message: "plugin administration is answered only on this machine (connect to 127.0.0.1)\n")
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
