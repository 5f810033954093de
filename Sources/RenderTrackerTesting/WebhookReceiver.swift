import Hummingbird
import Logging
import NIOCore
import Synchronization

/// A real HTTP server that keeps every POST it receives: where webhook plugins deliver in tests.
/// A POST to `/redirect/<path>` is not kept: it answers 307 Temporary Redirect to `/<path>`.
public final class WebhookReceiver: Sendable {
    public struct Delivery: Sendable {
        public var path: String
        public var contentType: String?
        public var userAgent: String?
        public var body: String
    }

    private let received = Mutex<[Delivery]>([])
    public let port: Int

    private init(port: Int) { self.port = port }

    public var deliveries: [Delivery] { received.withLock { $0 } }

    /// Waits (polling, at most `seconds`) until `count` deliveries arrived; returns them.
    public func waitFor(_ count: Int, seconds: Double = 10) async throws -> [Delivery] {
        for _ in 0..<Int(seconds * 20) where deliveries.count < count {
            try await Task.sleep(for: .milliseconds(50))
        }
        return deliveries
    }

    public static func with<Result: Sendable>(_ body: @Sendable (WebhookReceiver) async throws -> Result) async throws -> Result {
        let store = Mutex<WebhookReceiver?>(nil)
        return try await RunningServer.onEphemeralPort({ logger, onRunning in
            let router = Router()
            router.post("/**") { request, _ -> Response in
                if request.uri.path.hasPrefix("/redirect/") {
                    return Response(status: .temporaryRedirect, headers: [.location: String(request.uri.path.dropFirst("/redirect".count))])
                }
                let bytes = try await request.body.collect(upTo: 1 << 20)
                let delivery = Delivery(path: request.uri.path, contentType: request.headers[.contentType], userAgent: request.headers[.userAgent], body: String(buffer: bytes))
                store.withLock { $0 }?.received.withLock { $0.append(delivery) }
                return Response(status: .noContent)
            }
            return Application(
                router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) }, logger: logger
            )
        }) { port, _ in
            let receiver = WebhookReceiver(port: port)
            store.withLock { $0 = receiver }
            return try await body(receiver)
        }
    }
}
