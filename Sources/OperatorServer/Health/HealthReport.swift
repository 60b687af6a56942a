import Foundation

/// The answer to one probe: whether it passes, the checks it looked at, and its HTTP rendering.
///
/// Body: `{"checks":{"name":{"detail":"...","ok":true}},"status":"ok"}` (keys sorted, so it is byte-stable);
/// `status` is `ok` with HTTP 200 or `unavailable` with HTTP 503.
public struct HealthReport: Sendable, Hashable {
    /// The probe answered.
    public var probe: HealthProbe
    /// Every check the probe looked at, by name.
    public var checks: [String: HealthCheck]
    /// Whether the probe passes: every check in `checks` is OK.
    public var isHealthy: Bool { checks.values.allSatisfy(\.ok) }
    /// 200 when healthy, 503 otherwise.
    public var statusCode: Int { isHealthy ? 200 : 503 }
    /// `ok` when healthy, `unavailable` otherwise.
    public var status: String { isHealthy ? "ok" : "unavailable" }

    /// Makes a report; normally produced by `HealthState.report(for:)`.
    public init(probe: HealthProbe, checks: [String: HealthCheck]) {
        self.probe = probe
        self.checks = checks
    }

    private struct Body: Encodable {
        let status: String
        let checks: [String: HealthCheck]
    }

    /// The JSON body served for this report (UTF-8, keys sorted).
    public func jsonBody() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a struct of strings and booleans cannot fail; the fallback only keeps this total.
        guard let data = try? encoder.encode(Body(status: status, checks: checks)) else {
            return Array(#"{"checks":{},"status":"unavailable"}"#.utf8)
        }
        return Array(data)
    }
}
