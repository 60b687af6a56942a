import Synchronization

/// A value delivered once from the multi thread to one waiting task; the first completion wins.
///
/// `complete` may run on any thread, before or after `wait`; continuations are resumed after the lock is
/// released.
final class ResponsePromise<Value: Sendable>: Sendable {
    private enum State {
        case pending(CheckedContinuation<Value, any Error>?)
        case completed(Result<Value, HTTPTransportError>)
    }

    private let state = Mutex<State>(.pending(nil))

    init() {}

    /// Whether a result has been set.
    var isCompleted: Bool {
        state.withLock { state in
            if case .completed = state { return true }
            return false
        }
    }

    /// Sets the result unless one is already set.
    ///
    /// - Returns: `true` when this call set the result, `false` when an earlier completion won.
    @discardableResult
    func complete(_ result: Result<Value, HTTPTransportError>) -> Bool {
        let waiter: CheckedContinuation<Value, any Error>?? = state.withLock { state in
            guard case .pending(let waiter) = state else { return .none }
            state = .completed(result)
            return .some(waiter)
        }
        guard case .some(let continuation) = waiter else { return false }
        continuation?.resume(with: result.mapError { $0 as any Error })
        return true
    }

    /// Waits for the result; only one task may wait.
    func wait() async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<Value, HTTPTransportError>? = state.withLock { state in
                switch state {
                case .pending:
                    state = .pending(continuation)
                    return nil
                case .completed(let result):
                    return result
                }
            }
            if let ready { continuation.resume(with: ready.mapError { $0 as any Error }) }
        }
    }
}
