import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Synchronization

/// The URLSession webhook posts go out on. Its tasks report to a delegate rather than to a
/// completion handler, so that every redirect is decided here: not followed unless the plugin
/// asked (`{follow_redirects = true}`), and when followed, each hop's destination is checked as
/// the first one was. Outcomes are logged with the plugin's name.
final class WebhookSessions: Sendable {
    private let session: URLSession
    private let delegate: Delegate

    init(timeoutSeconds: Double, destinations: PostDestinations, logger: Logger) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeoutSeconds
        delegate = Delegate(destinations: destinations, logger: logger)
        session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
    }

    /// Sends `request`; `done` runs once it ended, however it ended.
    func post(_ request: URLRequest, plugin: String, followRedirects: Bool, done: @escaping @Sendable () -> Void) {
        let task = session.dataTask(with: request)
        delegate.start(task.taskIdentifier, Delivery(plugin: plugin, host: request.url?.host ?? "", followRedirects: followRedirects, done: done))
        task.resume()
    }

    struct Delivery {
        var plugin: String
        var host: String
        var followRedirects: Bool
        var done: @Sendable () -> Void
        /// The start of the answer, for the log when it is a refusal.
        var answer = Data()
        /// Why a redirect was not followed.
        var redirectRefused: String?
    }

    final class Delegate: NSObject, URLSessionDataDelegate, Sendable {
        private let destinations: PostDestinations
        private let logger: Logger
        private let deliveries = Mutex<[Int: Delivery]>([:])
        private static let answerBytesLogged = 200

        init(destinations: PostDestinations, logger: Logger) {
            self.destinations = destinations
            self.logger = logger
        }

        func start(_ task: Int, _ delivery: Delivery) {
            deliveries.withLock { $0[task] = delivery }
        }

        func urlSession(
            _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse, newRequest request: URLRequest,
            completionHandler: @escaping @Sendable (URLRequest?) -> Void
        ) {
            let follows = deliveries.withLock { $0[task.taskIdentifier]?.followRedirects } ?? false
            let target = request.url
            let refusal: String? =
                if !follows {
                    "redirect to \(target?.absoluteString.prefix(200) ?? "?") not followed: the plugin did not ask (follow_redirects)"
                } else if let target, let host = target.host {
                    destinations.refusal(host: host, port: target.port ?? (target.scheme?.lowercased() == "https" ? 443 : 80))
                        .map { "redirect not followed: \($0)" }
                } else {
                    "redirect to an address without a host not followed"
                }
            deliveries.withLock { $0[task.taskIdentifier]?.redirectRefused = refusal }
            completionHandler(refusal == nil ? request : nil)
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
            deliveries.withLock { deliveries in
                guard let kept = deliveries[dataTask.taskIdentifier]?.answer.count, kept < Self.answerBytesLogged else { return }
                deliveries[dataTask.taskIdentifier]?.answer.append(data.prefix(Self.answerBytesLogged - kept))
            }
        }

        func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
            guard let delivery = deliveries.withLock({ $0.removeValue(forKey: task.taskIdentifier) }) else { return }
            defer { delivery.done() }
            let status = (task.response as? HTTPURLResponse)?.statusCode
            var metadata: Logger.Metadata = ["plugin": "\(delivery.plugin)", "host": "\(delivery.host)"]
            if let error {
                metadata["error"] = "\(error.localizedDescription)"
                logger.warning("webhook not delivered", metadata: metadata)
            } else if let status, !(200..<300).contains(status) {
                metadata["status"] = "\(status)"
                metadata["answer"] = "\(String(decoding: delivery.answer, as: UTF8.self))"
                if let refused = delivery.redirectRefused { metadata["reason"] = "\(refused)" }
                logger.warning("webhook refused", metadata: metadata)
            } else {
                logger.debug("webhook delivered", metadata: metadata)
            }
        }
    }
}
