/// What a plugin asked the outside world for: a webhook post or a program run.
public enum PluginNotification: Sendable, Equatable {
    case httpPost(plugin: String, url: String, body: String, headers: [String: String], followRedirects: Bool = false)
    case exec(plugin: String, arguments: [String], input: String?)
}

/// Where plugin notifications go. The daemon delivers them (`LivePluginEffects`); `plugins check`,
/// tests and scenarios capture them (`CapturedPluginEffects`). Both return at once: delivery never
/// holds up a hook, let alone an RPC.
public protocol PluginEffects: Sendable {
    func send(_ notification: PluginNotification)
    /// The daemon is bound to `port`: posts to it are refused (its admin routes trust this machine).
    func daemonIsListening(port: Int)
}

extension PluginEffects {
    /// Captured notifications go nowhere, so they need no destination rule.
    public func daemonIsListening(port: Int) {}
}

/// Drops every notification.
struct DiscardedPluginEffects: PluginEffects {
    func send(_ notification: PluginNotification) {}
}
