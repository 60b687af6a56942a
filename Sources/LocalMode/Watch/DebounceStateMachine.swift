/// Turns a burst of file events into one change: fires once the events have been quiet for `quiet`, or at the
/// latest `maxDelay` after the first event of the burst (so a file written continuously still gets loaded).
///
/// An editor's save is several events (write, rename, chmod); each arrival pushes the deadline back. Pure: the
/// owner passes the time in and acts on `fire`'s answer.
struct DebounceStateMachine {
    let quiet: Duration
    let maxDelay: Duration
    private var first: ContinuousClock.Instant?
    private var last: ContinuousClock.Instant?

    init(quiet: Duration, maxDelay: Duration) {
        self.quiet = quiet
        self.maxDelay = max(quiet, maxDelay)
    }

    /// An event arrived at `now`.
    mutating func eventArrived(at now: ContinuousClock.Instant) {
        if first == nil { first = now }
        last = now
    }

    /// When the pending burst is due, `nil` when nothing is pending.
    var deadline: ContinuousClock.Instant? {
        guard let first, let last else { return nil }
        return min(last + quiet, first + maxDelay)
    }

    /// Whether the burst is due at `now`; when it is, the machine starts over (the caller reloads once).
    mutating func fire(at now: ContinuousClock.Instant) -> Bool {
        guard let deadline, now >= deadline else { return false }
        first = nil
        last = nil
        return true
    }
}
