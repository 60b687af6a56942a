/// TLS settings of a client. Verification of the server's certificate and host name is on by default.
public struct TLSConfiguration: Sendable, Hashable {
    /// Where trusted CA certificates come from.
    public enum TrustRoots: Sendable, Hashable {
        /// The system's CA bundle.
        case system
        /// A PEM file (possibly several certificates).
        case file(path: String)
        /// PEM text in memory.
        case pem(String)
    }

    /// A PEM-encoded certificate or key, from a file or from memory.
    public enum PEMSource: Sendable, Hashable {
        case file(path: String)
        case pem(String)
    }

    /// CAs trusted to sign the server's certificate.
    public var trustRoots: TrustRoots
    /// Client certificate for mutual TLS; requires `clientKey`.
    public var clientCertificate: PEMSource?
    /// Client private key for mutual TLS.
    public var clientKey: PEMSource?
    /// Disables certificate and host-name verification. Dangerous: explicit opt-in only; callers should log it.
    public var insecureSkipVerify: Bool

    public init(
        trustRoots: TrustRoots = .system,
        clientCertificate: PEMSource? = nil,
        clientKey: PEMSource? = nil,
        insecureSkipVerify: Bool = false
    ) {
        self.trustRoots = trustRoots
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
        self.insecureSkipVerify = insecureSkipVerify
    }
}
