import Metrics

/// An `HTTPClient` that counts and times every request of the client it wraps (swift-metrics).
///
/// Records `<prefix>_requests_total{<method label>,code}` and `<prefix>_request_duration_seconds{<method label>}`;
/// a request that got no HTTP answer (connection refused, timeout, cancelled) is counted with `code="error"`.
/// Streams are counted when their response head arrives.
public struct MeteredHTTPClient: HTTPClient {
    /// The wrapped client.
    public let base: any HTTPClient
    private let prefix: String
    private let methodLabel: String
    private let factory: any MetricsFactory

    /// Wraps `base`; e.g. prefix `kubernetes_client` with method label `verb`, or `flink_client` with `method`.
    public init(_ base: any HTTPClient, prefix: String, methodLabel: String, factory: any MetricsFactory = MetricsSystem.factory) {
        self.base = base
        self.prefix = prefix
        self.methodLabel = methodLabel
        self.factory = factory
    }

    public func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
        let start = ContinuousClock.now
        do {
            let response = try await base.execute(request)
            record(request.method, code: String(response.status), since: start)
            return response
        } catch {
            record(request.method, code: "error", since: start)
            throw error
        }
    }

    public func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        let start = ContinuousClock.now
        do {
            let response = try await base.stream(request)
            record(request.method, code: String(response.status), since: start)
            return response
        } catch {
            record(request.method, code: "error", since: start)
            throw error
        }
    }

    private func record(_ method: HTTPMethod, code: String, since start: ContinuousClock.Instant) {
        Counter(
            label: "\(prefix)_requests_total", dimensions: [(methodLabel, method.rawValue), ("code", code)], factory: factory
        ).increment()
        let elapsed = start.duration(to: .now)
        let (seconds, attoseconds) = elapsed.components
        Timer(
            label: "\(prefix)_request_duration_seconds", dimensions: [(methodLabel, method.rawValue)],
            preferredDisplayUnit: .seconds, factory: factory
        ).recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
