import NIOSSL

/// The certificate chain and private key the daemon serves HTTPS with (`tls-certificate`,
/// `tls-key`, PEM files), read once at start through swift-nio-ssl (BoringSSL), which Hummingbird's
/// `HummingbirdTLS` runs the connections on. TLS is optional: farm scripts speak plain HTTP to
/// a tracker on the farm network; TLS is for monitors and tokens that cross other networks.
public struct TLSFiles: Sendable, Equatable {
    public var certificatePath: String
    public var keyPath: String

    public init(certificatePath: String, keyPath: String) {
        self.certificatePath = certificatePath
        self.keyPath = keyPath
    }

    /// A file that cannot be read, or is not what it should be.
    public struct LoadError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Throws `LoadError` naming the file and what is wrong with it.
    func serverConfiguration() throws(LoadError) -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        } catch {
            throw LoadError(description: "cannot read the TLS certificate \(certificatePath) (a PEM file): \(error)")
        }
        guard !chain.isEmpty else { throw LoadError(description: "no certificate in \(certificatePath) (a PEM file)") }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        } catch {
            throw LoadError(description: "cannot read the TLS private key \(keyPath) (a PEM file, not encrypted): \(error)")
        }
        return TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
    }
}
