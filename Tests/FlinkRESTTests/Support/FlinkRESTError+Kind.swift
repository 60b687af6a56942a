import FlinkREST
import Testing

extension FlinkRESTError {
    /// The error's case without its payload, for comparisons in tests.
    enum Kind: String, Sendable {
        case invalidRequest, unreachable, timeout, cancelled, unauthorized, notFound, duplicateJob, badRequest
        case serverError, throttled, unexpectedResponse
    }

    /// The case of this error.
    var kind: Kind {
        switch self {
        case .invalidRequest: .invalidRequest
        case .unreachable: .unreachable
        case .timeout: .timeout
        case .cancelled: .cancelled
        case .unauthorized: .unauthorized
        case .notFound: .notFound
        case .duplicateJob: .duplicateJob
        case .badRequest: .badRequest
        case .serverError: .serverError
        case .throttled: .throttled
        case .unexpectedResponse: .unexpectedResponse
        }
    }
}

/// Runs `body` and returns the `FlinkRESTError` it threw, or `nil` if it succeeded (any other error is recorded
/// as a test issue).
func flinkError(
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () async throws -> Void
) async -> FlinkRESTError? {
    do {
        try await body()
        return nil
    } catch let error as FlinkRESTError {
        return error
    } catch {
        Issue.record("expected a FlinkRESTError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
