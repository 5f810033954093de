import Hummingbird
import Logging
import RPC

/// How every access rule refuses a request: one log line at `info` naming the rule and the
/// client's address (so an operator can tell a misconfigured farm node from an attack), and 403
/// with the reason in the body. Requests refused by RPC method are answered with a fault instead
/// (`RPCFault.refused`), by the endpoint.
enum AccessRefusal {
    static func refuse(
        _ request: Request, context: TrackerRequestContext, rule: String, reason: String, status: HTTPResponse.Status = .forbidden,
        headers: HTTPFields = [:]
    ) -> HTTPError {
        context.logger.info("refused request", metadata: [
            "status": "\(status.code)", "rule": "\(rule)", "reason": "\(reason)", "client": "\(context.client ?? "unknown")",
            "request": "\(request.method) \(request.uri.path)",
        ])
        return HTTPError(status, headers: headers, message: "\(reason) (rule: \(rule))\n")
    }

    /// The token of `Authorization: Bearer TOKEN`, or the password of `Authorization: Basic`
    /// (any user name), or nil.
    static func presentedToken(_ request: Request) -> String? {
        guard let value = request.headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { return nil }
        switch parts[0].lowercased() {
        case "bearer":
            return parts[1].filter { $0 != " " }
        case "basic":
            guard let decoded = Base64.decode(Array(parts[1].filter { $0 != " " }.utf8)),
                let text = String(validating: decoded, as: UTF8.self), let colon = text.firstIndex(of: ":")
            else { return nil }
            return String(text[text.index(after: colon)...])
        default:
            return nil
        }
    }

    /// Compares in time that depends only on the lengths, so the token cannot be guessed a byte
    /// at a time from how long refusals take.
    static func matches(_ presented: String?, _ expected: String) -> Bool {
        guard let presented else { return false }
        let a = Array(presented.utf8), b = Array(expected.utf8)
        var difference = UInt8(a.count == b.count ? 0 : 1)
        for index in 0..<max(a.count, b.count) {
            difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
        }
        return difference == 0
    }
}
