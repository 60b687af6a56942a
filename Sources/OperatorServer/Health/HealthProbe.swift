/// The three Kubernetes probes the operator answers, and their endpoints.
public enum HealthProbe: String, Sendable, CaseIterable, Codable {
    /// `/health/live` and `/healthz`: the process works; 503 only when a liveness check failed.
    case liveness
    /// `/health/ready` and `/readyz`: every readiness check is OK (and, by default, startup completed).
    case readiness
    /// `/health/startup`: startup completed once (caches synced once); never reverts.
    case startup

    /// The URL paths that answer this probe; the first is the canonical one.
    public var paths: [String] {
        switch self {
        case .liveness: ["/health/live", "/healthz"]
        case .readiness: ["/health/ready", "/readyz"]
        case .startup: ["/health/startup"]
        }
    }
}
