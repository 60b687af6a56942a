/// Thrown by `withTimeout` when the operation did not finish in time.
struct OperationTimedOut: Error, CustomStringConvertible {
    var limit: Duration
    var description: String { "timed out after \(limit)" }
}

/// Runs `operation`, cancelling it and throwing `OperationTimedOut` when it takes longer than `limit`.
func withTimeout<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw OperationTimedOut(limit: limit)
        }
        defer { group.cancelAll() }
        guard let result = try await group.next() else { throw OperationTimedOut(limit: limit) }
        return result
    }
}
