/// Polls `check` until it returns a value, and returns that value.
///
/// - Parameters:
///   - what: what is awaited, for the failure message ("job abc RUNNING with all tasks running").
///   - timeout: how long to keep trying; generous bounds, not timing assertions.
///   - interval: pause between attempts.
///   - retryErrors: `true` treats a thrown error as "not yet" (remembered for the failure message), `false`
///     rethrows it at once.
///   - check: returns `nil` for "not yet".
/// - Throws: `FlinkTestSupportError.pollTimedOut` after `timeout`; `CancellationError` when cancelled.
public func poll<Value: Sendable>(
    _ what: String,
    timeout: Duration = .seconds(60),
    interval: Duration = .milliseconds(250),
    retryErrors: Bool = false,
    until check: () async throws -> Value?
) async throws -> Value {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    var lastError: String?
    while true {
        do {
            if let value = try await check() { return value }
        } catch {
            guard retryErrors else { throw error }
            lastError = String(describing: error)
        }
        guard ContinuousClock.now < deadline else {
            throw FlinkTestSupportError.pollTimedOut(what: what, timeout: timeout, lastError: lastError)
        }
        try await Task.sleep(for: interval)
    }
}

/// Polls a condition until it holds (see `poll(_:timeout:interval:retryErrors:until:)`).
public func poll(
    _ what: String,
    timeout: Duration = .seconds(60),
    interval: Duration = .milliseconds(250),
    retryErrors: Bool = false,
    until condition: () async throws -> Bool
) async throws {
    let _: Bool = try await poll(what, timeout: timeout, interval: interval, retryErrors: retryErrors) {
        try await condition() ? true : nil
    }
}
