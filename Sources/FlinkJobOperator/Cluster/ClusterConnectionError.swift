/// Why no Flink REST client could be built for a FlinkSessionCluster; each case names the failing step.
public enum ClusterConnectionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `spec.restURL` is not an absolute http(s) URL.
    case invalidRESTURL(String)
    /// `spec.auth` carries credentials but `spec.restURL` is plain `http://` (and `allowPlaintextHTTP` is unset).
    case credentialsOverPlaintext
    /// A referenced Secret is not in the operator's cache (absent, or in a namespace the operator does not watch).
    case secretNotFound(namespace: String, name: String)
    /// A referenced Secret lacks the key.
    case secretKeyMissing(namespace: String, name: String, key: String)
    /// The HTTP transport refused the TLS or connection settings.
    case transport(String)

    public var description: String {
        switch self {
        case .invalidRESTURL(let why):
            "spec.restURL is invalid: \(why)"
        case .credentialsOverPlaintext:
            ClusterValidator.plaintextCredentials
        case .secretNotFound(let namespace, let name):
            "Secret \(namespace)/\(name) was not found (or is in a namespace the operator does not watch)"
        case .secretKeyMissing(let namespace, let name, let key):
            "Secret \(namespace)/\(name) has no key \"\(key)\""
        case .transport(let why):
            "cannot set up the HTTP client: \(why)"
        }
    }
}
