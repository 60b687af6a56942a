/// Tracks whether the server is listening, and who waits for its bound port.
///
/// The owner keeps it in a lock and resumes the returned continuations after releasing the lock.
struct ListeningStateMachine {
    /// A task waiting for the bound port.
    typealias Waiter = CheckedContinuation<Int, any Error>

    enum State {
        /// Not listening yet; waiters by id.
        case starting(waiters: [Int: Waiter])
        /// Listening on the port.
        case listening(port: Int)
        /// The server ended (stopped or failed); `port` is set when it had been listening.
        case ended(port: Int?)
    }

    /// What the caller does after `waitForPort`.
    enum WaitAction {
        /// Resume the waiter at once with the port.
        case resume(Int)
        /// Fail the waiter at once: the server ended before listening.
        case fail
        /// The waiter was stored; it is resumed by a later event.
        case stored
    }

    private(set) var state: State = .starting(waiters: [:])

    /// The bound port while listening.
    var port: Int? {
        if case .listening(let port) = state { return port }
        return nil
    }

    /// A task wants the bound port.
    mutating func waitForPort(id: Int, _ waiter: Waiter) -> WaitAction {
        switch state {
        case .starting(var waiters):
            waiters[id] = waiter
            state = .starting(waiters: waiters)
            return .stored
        case .listening(let port):
            return .resume(port)
        case .ended:
            return .fail
        }
    }

    /// The waiter `id` was cancelled; returns it when it still waits (to be failed by the caller).
    mutating func cancel(id: Int) -> Waiter? {
        guard case .starting(var waiters) = state, let waiter = waiters.removeValue(forKey: id) else { return nil }
        state = .starting(waiters: waiters)
        return waiter
    }

    /// The server is listening on `port`; returns the waiters to resume with it.
    mutating func listening(port: Int) -> [Waiter] {
        guard case .starting(let waiters) = state else { return [] }
        state = .listening(port: port)
        return Array(waiters.values)
    }

    /// The server ended; returns the waiters to fail (they waited for a port that never came).
    mutating func ended() -> [Waiter] {
        switch state {
        case .starting(let waiters):
            state = .ended(port: nil)
            return Array(waiters.values)
        case .listening(let port):
            state = .ended(port: port)
            return []
        case .ended:
            return []
        }
    }
}
