/// The result of one named health check, as shown in the JSON body of a probe endpoint.
public struct HealthCheck: Sendable, Hashable, Codable {
    /// Whether the check passes.
    public var ok: Bool
    /// A short human-readable explanation (for example "caches synced", "standing by; leader is pod-a").
    public var detail: String

    /// Makes a check result.
    public init(ok: Bool, detail: String = "") {
        self.ok = ok
        self.detail = detail
    }
}
