#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
public import RenderTrackerService

/// Where the shared store lives: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`, the form
/// libpq and every PostgreSQL tool take (`postgresql://` too). The password comes from the URL,
/// else `PGPASSWORD`, else the first line of `passwordFile`; a URL carrying one is never
/// printed with it (`description`). `?sslmode=require` asks for TLS, the server's certificate
/// verified against the system's trust store, or against the certificates in the file
/// `sslrootcert` names (a studio's own authority); `disable` (the default) and `prefer` connect in
/// the clear. Other parameters are refused, naming them, rather than ignored.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public var user: String
    public var host: String
    public var port: Int
    public var database: String
    public var password: String?
    public var requiresTLS: Bool
    /// The authorities trusted for the server's certificate (PEM), instead of the system's.
    public var rootCertificateFile: String?

    /// - Throws: `StoreError` naming what is wrong with the URL and showing the form.
    public init(parsing text: String, passwordFile: String? = nil) throws(StoreError) {
        let form = "postgres://USER@HOST[:PORT]/DATABASE"
        guard let components = URLComponents(string: text), ["postgres", "postgresql"].contains(components.scheme ?? "") else {
            throw StoreError("--store \(Self.redacted(text)) is not a PostgreSQL URL: the form is \(form)")
        }
        guard let host = components.host, !host.isEmpty else {
            throw StoreError("--store \(Self.redacted(text)) names no host: the form is \(form)")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw StoreError("--store \(Self.redacted(text)) names no database (the path after the host): the form is \(form)")
        }
        // An IPv6 address is written in brackets in a URL (`postgres://u@[::1]:5432/db`), not in a
        // socket address.
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        self.port = components.port ?? 5432
        self.database = database.removingPercentEncoding ?? database
        self.user = components.user.map { $0.removingPercentEncoding ?? $0 } ?? Self.environment("PGUSER") ?? "rendertracker"
        let parameters = components.queryItems ?? []
        if let unknown = parameters.first(where: { !["sslmode", "sslrootcert"].contains($0.name) }) {
            throw StoreError("--store: the URL parameter \(unknown.name) is not one rendertracker takes (it takes sslmode and sslrootcert)")
        }
        switch parameters.last(where: { $0.name == "sslmode" })?.value ?? "disable" {
        case "disable", "prefer", "allow": requiresTLS = false
        case "require", "verify-ca", "verify-full": requiresTLS = true
        case let other: throw StoreError("--store: sslmode=\(other) is not one of disable, allow, prefer, require, verify-ca, verify-full")
        }
        rootCertificateFile = parameters.last(where: { $0.name == "sslrootcert" })?.value
        if let file = rootCertificateFile {
            guard requiresTLS else {
                throw StoreError("--store: sslrootcert=\(file) is for TLS connections: add sslmode=verify-full (or require)")
            }
            guard FileManager.default.isReadableFile(atPath: file) else {
                throw StoreError("--store: the certificate file \(file) (sslrootcert) cannot be read")
            }
        }
        if let password = components.password {
            self.password = password.removingPercentEncoding ?? password
        } else if let password = Self.environment("PGPASSWORD") {
            self.password = password
        } else if let passwordFile {
            guard let contents = try? String(contentsOfFile: passwordFile, encoding: .utf8) else {
                throw StoreError("the store's password file \(passwordFile) cannot be read")
            }
            self.password = contents.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).first.map(String.init)
        } else {
            self.password = nil
        }
    }

    /// The URL without its password, saying whether it uses TLS.
    public var description: String {
        let base = "postgres://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
        guard requiresTLS else { return base }
        return base + "?sslmode=verify-full" + (rootCertificateFile.map { "&sslrootcert=\($0)" } ?? "")
    }

    private static func redacted(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? text
    }

    private static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
    }
}
