/// The binary format of a savepoint (`formatType`).
public enum SavepointFormatType: String, Codable, Hashable, Sendable {
    /// Portable across state backends (Flink's default).
    case canonical = "CANONICAL"
    /// The state backend's own format: faster, tied to the backend.
    case native = "NATIVE"
}
