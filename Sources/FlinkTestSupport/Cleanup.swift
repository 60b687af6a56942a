/// Runs `body`, then `cleanup` whether `body` returned or threw (async `defer`, which Swift lacks).
///
/// Tests use it to cancel the Flink jobs they started, so parallel tests never run out of slots. `cleanup` runs
/// in a task of its own that does not inherit cancellation: a test cancelled by its time limit still cancels
/// its jobs (HTTP calls of a cancelled task would fail at once).
public func withCleanup<Value>(
    _ body: () async throws -> Value,
    cleanup: @escaping @Sendable () async -> Void
) async throws -> Value {
    let value: Value
    do {
        value = try await body()
    } catch {
        await Task { await cleanup() }.value
        throw error
    }
    await Task { await cleanup() }.value
    return value
}
