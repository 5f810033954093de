import ServiceLifecycle
import UnixSignals

/// The loop both of the daemon's own services run: `onHangup` on every SIGHUP (logrotate, an
/// operator's reload) and `tick` every `interval`, until graceful shutdown or cancellation. It
/// returns then, so the service can do its last work (flush, drain) before it reports stopped.
enum PeriodicWork {
    static func run(
        every interval: Duration, onHangup: @escaping @Sendable () -> Void, tick: @escaping @Sendable () -> Void
    ) async {
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in hangups.cancelOnGracefulShutdown() {
                    onHangup()
                }
            }
            group.addTask {
                while !Task.isCancelled && !Task.isShuttingDownGracefully {
                    do {
                        try await Task.sleep(for: interval)
                    } catch {
                        return
                    }
                    tick()
                }
            }
            await group.next()
            group.cancelAll()
        }
    }
}
