import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The one HTTP client under every tracker call: a URLSession of its own (ephemeral: no cookies,
/// no cache), one request at a time per connection kept alive. Foundation's client rather than
/// NIO's: the command line, replays and tests send a few thousand calls, and this keeps them free
/// of NIO; the daemon's own speed is measured with wrk and the Python benchmark, not with this.
final class HTTPTransport: Sendable {
    struct Answer {
        var status: Int
        var contentType: String?
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    let base: URL
    let name: String
    private let session: URLSession
    private let authorization: String?

    /// - Parameter maxConnections: connections kept to the host at most (1 keeps calls in order on
    ///   one kept-alive connection, as a farm job sends them).
    init(url: String, timeoutSeconds: Double, maxConnections: Int, token: String? = nil) throws(TrackerClientError) {
        guard let base = URL(string: url), base.scheme == "http" || base.scheme == "https", base.host != nil else {
            throw TrackerClientError(.badURL, "not an http(s) URL: \(url)")
        }
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = maxConnections
        configuration.timeoutIntervalForRequest = timeoutSeconds
        self.base = base
        self.name = url
        self.session = URLSession(configuration: configuration)
        self.authorization = token.map { "Bearer \($0)" }
    }

    deinit {
        session.finishTasksAndInvalidate()
    }

    /// - Parameter path: replaces the URL's path (`/admin/plugins/reload`), and its query when it
    ///   has one after `?`, taken as already percent-encoded (`/preview?project=p%2Fshot&frame=1`);
    ///   nil posts to the URL itself.
    func send(
        method: String, path: String? = nil, body: [UInt8]?, contentType: String?, headers: [String: String] = [:]
    ) async throws(TrackerClientError) -> Answer {
        var url = base
        if let path, var components = URLComponents(url: base, resolvingAgainstBaseURL: false) {
            let parts = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
            components.path = String(parts[0])
            components.percentEncodedQuery = parts.count > 1 ? String(parts[1]) : nil
            url = components.url ?? base
        }
        var request = URLRequest(url: url)
        request.httpMethod = method
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        if let authorization { request.setValue(authorization, forHTTPHeaderField: "Authorization") }
        for (name, value) in headers {
            request.setValue(value, forHTTPHeaderField: name)
        }
        request.httpBody = body.map { Data($0) }
        do {
            let (data, response) = try await session.data(for: request)
            let http = response as? HTTPURLResponse
            return Answer(status: http?.statusCode ?? 0, contentType: http?.value(forHTTPHeaderField: "Content-Type"), body: Array(data))
        } catch {
            throw TrackerClientError(.unreachable, "cannot reach \(name): \(error.localizedDescription)")
        }
    }
}
