/// Sends HTTP requests. The seam between the API clients (Kubernetes, Flink) and the wire.
///
/// Implementations are safe to call from any task concurrently; cancelling the calling task aborts the
/// transfer promptly and throws `HTTPTransportError.cancelled`.
public protocol HTTPClient: Sendable {
    /// Sends a request and collects the whole response body (bounded by the client's maximum body size).
    func execute(_ request: HTTPRequest) async throws -> HTTPResponse

    /// Sends a request and returns once the response head has arrived; the body streams afterwards.
    func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse
}
