import Foundation
public import Hummingbird
public import Logging
public import LuaPlugins
public import RenderTracker
import RenderTrackerClient
public import RenderTrackerServer
import ServiceLifecycle

/// The real daemon (`buildApplication`, as `rendertracker serve` runs it) on an ephemeral loopback
/// port for the length of `body`.
public struct RunningServer: Sendable {
    public let port: Int
    /// Starts the graceful shutdown that SIGTERM starts in `rendertracker serve`.
    public let stop: @Sendable () async -> Void
    public var url: String { "http://127.0.0.1:\(port)" }
    /// One client for the test's plain HTTP and JSON-RPC (`get`, `post`, `result`): one URLSession,
    /// connections kept alive across the test's requests.
    let http: TrackerClient

    init(port: Int, stop: @escaping @Sendable () async -> Void) throws {
        self.port = port
        self.stop = stop
        http = try TrackerClient(url: "http://127.0.0.1:\(port)/RPC2")
    }

    public static func with<Result: Sendable>(
        configuration: RenderTrackerConfiguration = RenderTrackerConfiguration(),
        clock: any TrackerClock = SystemClock(),
        pluginEffects: (any PluginEffects)? = nil,
        _ body: @Sendable (RunningServer) async throws -> Result
    ) async throws -> Result {
        var configuration = configuration
        configuration.host = "127.0.0.1"
        configuration.port = 0
        return try await onEphemeralPort({ logger, onRunning in
            try buildApplication(configuration: configuration, logger: logger, clock: clock, pluginEffects: pluginEffects, onServerRunning: onRunning)
        }) { port, stop in
            try await body(try RunningServer(port: port, stop: stop))
        }
    }

    /// Runs the application `build` makes (given a silent logger and the callback that reports
    /// its port) for the length of `body`, then stops it gracefully. `body` gets the port and a
    /// function that starts the graceful stop early.
    public static func onEphemeralPort<App: ApplicationProtocol, Result: Sendable>(
        _ build: (Logger, @escaping @Sendable (Int) async -> Void) throws -> App,
        _ body: @Sendable (Int, @escaping @Sendable () async -> Void) async throws -> Result
    ) async throws -> Result {
        let logger = Logger(label: "rendertracker-test") { _ in SwiftLogNoOpLogHandler() }
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let app = try build(logger) { port in
            portSink.yield(port)
            portSink.finish()
        }
        let services = ServiceGroup(configuration: .init(services: [app], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await services.run() }
            defer { group.cancelAll() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else {
                throw ServerDidNotStart()
            }
            let result = try await body(port) { await services.triggerGracefulShutdown() }
            await services.triggerGracefulShutdown()
            return result
        }
    }

    public struct ServerDidNotStart: Error {}
}
