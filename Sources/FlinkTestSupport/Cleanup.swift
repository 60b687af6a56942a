/// Runs `body`, then `cleanup` whether `body` returned or threw (async `defer`, which Swift lacks).
///
/// Tests use it to cancel the Flink jobs they started, so parallel tests never run out of slots.
public func withCleanup<Value>(
    _ body: () async throws -> Value,
    cleanup: () async -> Void
) async throws -> Value {
    let value: Value
    do {
        value = try await body()
    } catch {
        await cleanup()
        throw error
    }
    await cleanup()
    return value
}
