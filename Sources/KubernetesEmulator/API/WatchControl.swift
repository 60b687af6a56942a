import Synchronization

/// Lets fault injection end an open watch, at once or after a number of further events.
final class WatchControl: Sendable {
    /// The watched path.
    let path: String
    private let signal: AsyncStream<Void>.Continuation
    private let drop = Mutex<(remaining: Int?, now: Bool)>((nil, false))

    /// A control for the watch on `path`, woken through `signal`.
    init(path: String, signal: AsyncStream<Void>.Continuation) {
        self.path = path
        self.signal = signal
    }

    /// Ends the watch after `events` more events (0: at once).
    func requestDrop(afterEvents events: Int) {
        drop.withLock { state in
            if events <= 0 { state.now = true } else { state.remaining = events }
        }
        signal.yield(())
    }

    /// Wakes the watch loop.
    func wake() {
        signal.yield(())
    }

    /// Whether the stream must end now.
    var shouldDrop: Bool { drop.withLock { $0.now } }

    /// Counts one delivered event; returns whether the stream must end after it.
    func delivered() -> Bool {
        drop.withLock { state in
            guard let remaining = state.remaining else { return state.now }
            state.remaining = remaining - 1
            if remaining - 1 <= 0 { state.now = true }
            return state.now
        }
    }
}
