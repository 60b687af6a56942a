import FlinkTestSupport
import Testing

extension Kubectl {
    /// Runs `kubectl arguments…` and records an issue unless it exits 0.
    @discardableResult
    func callAsFunction(_ arguments: String..., sourceLocation: SourceLocation = #_sourceLocation) async throws -> Run {
        let result = try await run(arguments)
        #expect(result.status == 0, "\(result)", sourceLocation: sourceLocation)
        return result
    }
}
