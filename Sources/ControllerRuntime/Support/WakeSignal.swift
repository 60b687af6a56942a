import Synchronization

/// A one-waiter wake-up: `signal()` wakes the current `wait`, or the next one when nobody waits (the signal is
/// kept, at most one).
///
/// Used by loops that sleep until a deadline but must wake early when something new arrives (the work queue's
/// delay loop, the event recorder). Continuations are resumed outside the lock.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
        var cancelled = false
    }

    private let state = Mutex(State())

    init() {}

    /// Wakes the waiter (or the next one).
    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.pending = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns at `deadline` (never when `nil`), at a signal, or at cancellation, whichever comes first.
    func wait(until deadline: ContinuousClock.Instant?) async {
        if let deadline, deadline <= .now { return }
        await withTaskGroup(of: Void.self) { group in
            if let deadline {
                group.addTask { try? await Task.sleep(until: deadline, clock: .continuous) }
            }
            group.addTask { await self.waitForSignal() }
            await group.next()
            group.cancelAll()
        }
    }

    private func waitForSignal() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.pending || state.cancelled {
                        state.pending = false
                        state.cancelled = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                if let waiter = state.waiter {
                    state.waiter = nil
                    return waiter
                }
                // The handler ran before the continuation was stored: let the body return at once.
                state.cancelled = true
                return nil
            }
            waiter?.resume()
        }
    }
}
