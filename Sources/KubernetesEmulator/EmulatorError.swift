/// Why an emulator operation failed; each case names the failing step.
public enum EmulatorError: Error, Sendable, CustomStringConvertible {
    /// A structural schema could not be read.
    case invalidSchema(String)
    /// YAML input could not be parsed.
    case invalidYAML(String)
    /// The HTTPS server could not be started (certificate generation, TLS setup, binding the port).
    case startFailed(String)
    /// An in-process API request was refused; carries the HTTP status and the Status message.
    case requestFailed(status: Int, message: String)
    /// A CustomResourceDefinition did not become Established in time.
    case notEstablished(String)
    /// Writing a kubeconfig or in-cluster files failed.
    case writeFailed(String)

    /// A readable explanation.
    public var description: String {
        switch self {
        case .invalidSchema(let m): "invalid structural schema: \(m)"
        case .invalidYAML(let m): "invalid YAML: \(m)"
        case .startFailed(let m): "emulator could not start: \(m)"
        case .requestFailed(let status, let m): "emulator request failed with \(status): \(m)"
        case .notEstablished(let m): "CustomResourceDefinition not established: \(m)"
        case .writeFailed(let m): "could not write emulator files: \(m)"
        }
    }
}
