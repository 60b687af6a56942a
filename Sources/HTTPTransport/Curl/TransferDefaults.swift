import Foundation

/// The per-client settings applied to every easy handle, converted once from the configuration.
struct TransferDefaults: Sendable {
    /// A PEM input as libcurl takes it: a file path or the bytes for a `_BLOB` option.
    enum PEMInput: Sendable {
        case file(String)
        case bytes([UInt8])

        init(_ source: TLSConfiguration.PEMSource) {
            switch source {
            case .file(let path): self = .file(path)
            case .pem(let text): self = .bytes(Array(text.utf8))
            }
        }
    }

    let userAgent: String
    let connectTimeout: Duration
    let preferHTTP2: Bool
    /// `nil` keeps libcurl's system CA bundle.
    let trustRoots: PEMInput?
    let clientCertificate: PEMInput?
    let clientKey: PEMInput?
    let verifyPeer: Bool

    /// Validates and converts a configuration.
    ///
    /// - Throws: `HTTPTransportError.invalidConfiguration` when a client certificate comes without its key (or
    ///   the reverse), or a limit or timeout is not positive.
    init(_ configuration: CurlHTTPClient.Configuration) throws(HTTPTransportError) {
        let tls = configuration.tls
        switch (tls.clientCertificate, tls.clientKey) {
        case (.some, .none): throw .invalidConfiguration("a client certificate needs a client key")
        case (.none, .some): throw .invalidConfiguration("a client key needs a client certificate")
        default: break
        }
        guard configuration.connectTimeout > .zero else {
            throw .invalidConfiguration("connectTimeout must be positive")
        }
        if let timeout = configuration.requestTimeout, timeout <= .zero {
            throw .invalidConfiguration("requestTimeout must be positive")
        }
        if let timeout = configuration.idleTimeout, timeout <= .zero {
            throw .invalidConfiguration("idleTimeout must be positive")
        }
        guard configuration.maxResponseBodyBytes > 0, configuration.streamBufferBytes > 0 else {
            throw .invalidConfiguration("maxResponseBodyBytes and streamBufferBytes must be positive")
        }
        if let connections = configuration.maxConnectionsPerHost, connections <= 0 {
            throw .invalidConfiguration("maxConnectionsPerHost must be positive")
        }
        userAgent = configuration.userAgent
        connectTimeout = configuration.connectTimeout
        preferHTTP2 = configuration.preferHTTP2
        switch tls.trustRoots {
        case .system: trustRoots = nil
        case .file(let path): trustRoots = .file(path)
        case .pem(let text): trustRoots = .bytes(Array(text.utf8))
        }
        clientCertificate = tls.clientCertificate.map(PEMInput.init)
        clientKey = tls.clientKey.map(PEMInput.init)
        verifyPeer = !tls.insecureSkipVerify
    }
}

extension Duration {
    /// Whole milliseconds, rounded up so a tiny positive duration never becomes "no limit" (0).
    var roundedUpMilliseconds: Int {
        let (seconds, attoseconds) = components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int(clamping: max(1, milliseconds))
    }
}
