public import Foundation

/// A certificate for 127.0.0.1 that signs itself, made by `openssl req` into a folder: the server's
/// certificate and key, and the authority a client trusts to verify it (the certificate itself).
public struct SelfSignedCertificate: Sendable {
    public let certificateFile: String
    public let keyFile: String

    /// Where `make(in:)` puts them: `cert.pem` and `key.pem` in `folder`.
    public init(in folder: String) {
        certificateFile = folder + "/cert.pem"
        keyFile = folder + "/key.pem"
    }

    /// Writes the certificate and its key (RSA, without a passphrase, valid one day) into `folder`.
    public static func make(in folder: String) async throws -> SelfSignedCertificate {
        let made = SelfSignedCertificate(in: folder)
        let outcome = try await ChildProcess.run([
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", made.keyFile, "-out", made.certificateFile,
        ])
        guard outcome.status == 0 else {
            throw CertificateError(description: "openssl req failed (status \(outcome.status)): \(outcome.output)")
        }
        return made
    }

    struct CertificateError: Error, CustomStringConvertible {
        let description: String
    }
}
