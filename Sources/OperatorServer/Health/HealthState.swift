import Synchronization

/// The operator's health, updated by its components and read by the probe endpoints (a push model).
///
/// - Liveness: 200 unless a liveness check is failing (`setLive(_:_:detail:)`); no checks means alive.
/// - Readiness: 200 when every readiness check is OK (`setReady(_:_:detail:)`) and — when
///   `readinessRequiresStartup` (the default) — startup has completed; the report then shows that as a check
///   named `startup`. Register each readiness check as failing (`setReady("caches", false, detail: "syncing")`)
///   before the server starts, so the pod is never ready before the check has had a say.
/// - Startup: 200 once `markStartupComplete(detail:)` was called; it never reverts.
///
/// Thread-safe: every method may be called from any task or thread; readers see a consistent snapshot.
/// Setting the same value twice is a no-op, so components may report on every loop iteration.
public final class HealthState: Sendable {
    /// The name of the implicit check that startup adds to the startup (and, by default, readiness) report.
    public static let startupCheckName = "startup"

    private struct State {
        var live: [String: HealthCheck] = [:]
        var ready: [String: HealthCheck] = [:]
        var startup = HealthCheck(ok: false, detail: "startup not complete")
    }

    private let state = Mutex(State())
    /// Whether readiness also waits for startup to complete.
    public let readinessRequiresStartup: Bool

    /// Makes a state with no checks and startup not complete.
    public init(readinessRequiresStartup: Bool = true) {
        self.readinessRequiresStartup = readinessRequiresStartup
    }

    /// Sets (adds or replaces) the liveness check `name`; a failing one makes `/health/live` answer 503.
    public func setLive(_ name: String, _ ok: Bool, detail: String = "") {
        state.withLock { $0.live[name] = HealthCheck(ok: ok, detail: detail) }
    }

    /// Sets (adds or replaces) the readiness check `name`; any failing one makes `/health/ready` answer 503.
    public func setReady(_ name: String, _ ok: Bool, detail: String = "") {
        state.withLock { $0.ready[name] = HealthCheck(ok: ok, detail: detail) }
    }

    /// Removes the liveness check `name` (no-op when absent).
    public func removeLive(_ name: String) {
        state.withLock { _ = $0.live.removeValue(forKey: name) }
    }

    /// Removes the readiness check `name` (no-op when absent).
    public func removeReady(_ name: String) {
        state.withLock { _ = $0.ready.removeValue(forKey: name) }
    }

    /// Records that startup completed (caches synced once); `/health/startup` answers 200 from now on.
    ///
    /// Idempotent: later calls only replace the detail text.
    public func markStartupComplete(detail: String = "startup complete") {
        state.withLock { $0.startup = HealthCheck(ok: true, detail: detail) }
    }

    /// Whether `markStartupComplete(detail:)` has been called.
    public var isStartupComplete: Bool {
        state.withLock { $0.startup.ok }
    }

    /// A consistent snapshot of one probe's checks.
    public func report(for probe: HealthProbe) -> HealthReport {
        let requiresStartup = readinessRequiresStartup
        return state.withLock { state in
            switch probe {
            case .liveness:
                return HealthReport(probe: probe, checks: state.live)
            case .readiness:
                var checks = state.ready
                if requiresStartup {
                    // A check the caller named "startup" must pass too, so both are kept: the caller's wins the
                    // key only when the implicit one passes.
                    if let own = checks[Self.startupCheckName], state.startup.ok {
                        checks[Self.startupCheckName] = own
                    } else {
                        checks[Self.startupCheckName] = state.startup
                    }
                }
                return HealthReport(probe: probe, checks: checks)
            case .startup:
                return HealthReport(probe: probe, checks: [Self.startupCheckName: state.startup])
            }
        }
    }
}
