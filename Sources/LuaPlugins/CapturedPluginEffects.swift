import Synchronization

/// Keeps every notification instead of delivering it.
public final class CapturedPluginEffects: PluginEffects {
    private let captured = Mutex<[PluginNotification]>([])

    public init() {}

    public func send(_ notification: PluginNotification) {
        captured.withLock { $0.append(notification) }
    }

    public var notifications: [PluginNotification] { captured.withLock { $0 } }
}
