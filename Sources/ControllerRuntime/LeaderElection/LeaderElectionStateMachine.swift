import Kubernetes

/// The leader election protocol of one candidate, without I/O (client-go `tryAcquireOrRenew`, as a swift-nio
/// style state machine).
///
/// The driver reads the lock, feeds the record to `recordRead`, performs the write the returned action names,
/// and reports the outcome with `writeSucceeded` or `attemptFailed`; `tick` checks the renew deadline between
/// attempts; `releaseRequested` yields the release write. Every instant is the driver's monotonic clock; wall
/// clock times (`MicroTime`) are only written into the record, never compared.
///
/// Rules (DESIGN §2):
/// - Expiry is judged on **local observation time**: another holder's lease counts as expired only when this
///   candidate has seen the record unchanged for the record's `leaseDurationSeconds` — the other host's
///   `renewTime` is never compared with this clock.
/// - A released lease (no holder) may be taken at once.
/// - Taking over from another holder increments `leaseTransitions` and sets `acquireTime`.
/// - A leader that sees another holder, or that has not renewed for `renewDeadline`, has lost: the machine stops
///   for good (`leadershipLost`).
public struct LeaderElectionStateMachine: Sendable {
    /// Where the candidate is.
    public enum State: Sendable, Equatable {
        /// Not leading; trying to acquire.
        case candidate
        /// Leading; `lastRenewed` is when the last acquire or renew write succeeded.
        case leading(lastRenewed: ContinuousClock.Instant)
        /// Writing the release; `attemptsLeft` counts the release writes still allowed after a failed one.
        case releasing(attemptsLeft: Int)
        /// Done: leadership was lost or released. No more writes.
        case stopped
    }

    /// What the driver does next.
    public enum Action: Sendable, Equatable {
        /// Create the lock record (there is none).
        case create(LeaseRecord)
        /// Update the lock record (`version` is the precondition).
        case update(LeaseRecord)
        /// Another candidate holds a valid lease (or the attempt failed): try again after the retry period.
        case retryLater
        /// The write succeeded: this candidate leads now; start reconciling.
        case becameLeader
        /// The lease was renewed; keep leading.
        case renewed
        /// Leadership is gone: stop reconciling at once.
        case leadershipLost(reason: String)
        /// The release is written (or was not needed); the candidate is done.
        case released
        /// The release write failed (a renew that was cut short may still have landed and moved the version):
        /// read the lock again and hand the record to `recordRead`, which yields the next release write.
        case rereadForRelease
        /// The release could not be written; the lease expires after its duration.
        case releaseAbandoned
        /// Nothing to do.
        case none
    }

    /// This candidate's identity.
    public let identity: String
    /// The lease duration written into the record, in seconds.
    public let leaseDurationSeconds: Int
    /// How long a leader may go without a successful renew.
    public let renewDeadline: Duration
    /// The current state.
    public private(set) var state: State = .candidate
    /// The last record seen and when (local monotonic time) its content last changed.
    private var observed: (record: LeaseRecord, at: ContinuousClock.Instant)?

    /// A candidate that has seen nothing yet.
    public init(identity: String, leaseDurationSeconds: Int, renewDeadline: Duration) {
        self.identity = identity
        self.leaseDurationSeconds = leaseDurationSeconds
        self.renewDeadline = renewDeadline
    }

    /// Whether the candidate leads.
    public var isLeading: Bool {
        if case .leading = state { return true }
        return false
    }

    /// The lock was read: `record` (nil when absent) at local time `now`; `wallClock` is what to write as times.
    public mutating func recordRead(_ record: LeaseRecord?, now: ContinuousClock.Instant, wallClock: MicroTime) -> Action {
        switch state {
        case .releasing:
            return releaseWrite(after: record, wallClock: wallClock)
        case .stopped:
            return .none
        case .candidate, .leading:
            break
        }
        guard let record else {
            observed = nil
            return .create(
                LeaseRecord(
                    holderIdentity: identity, leaseDurationSeconds: leaseDurationSeconds, acquireTime: wallClock,
                    renewTime: wallClock, leaseTransitions: 0))
        }
        if let previous = observed, previous.record.sameContent(as: record) {
            observed = (record, previous.at)
        } else {
            observed = (record, now)
        }
        let observedAt = observed?.at ?? now
        let heldByOther = record.isHeld && record.holderIdentity != identity
        if heldByOther {
            if isLeading {
                state = .stopped
                return .leadershipLost(reason: "the lease is now held by \(record.holderIdentity ?? "")")
            }
            if now < observedAt + .seconds(record.leaseDurationSeconds) {
                return .retryLater
            }
        }
        var next = record
        next.holderIdentity = identity
        next.leaseDurationSeconds = leaseDurationSeconds
        next.renewTime = wallClock
        if record.holderIdentity != identity {
            next.acquireTime = wallClock
            next.leaseTransitions = record.leaseTransitions + 1
        }
        return .update(next)
    }

    /// A create or update succeeded; `stored` is the record as stored.
    public mutating func writeSucceeded(_ stored: LeaseRecord, now: ContinuousClock.Instant) -> Action {
        observed = (stored, now)
        switch state {
        case .candidate:
            state = .leading(lastRenewed: now)
            return .becameLeader
        case .leading:
            state = .leading(lastRenewed: now)
            return .renewed
        case .releasing:
            state = .stopped
            return .released
        case .stopped:
            return .none
        }
    }

    /// A read or write failed (a 409 included).
    public mutating func attemptFailed(now: ContinuousClock.Instant) -> Action {
        switch state {
        case .candidate:
            return .retryLater
        case .leading:
            let lost = tick(now: now)
            return lost == .none ? .retryLater : lost
        case .releasing(let attemptsLeft):
            guard attemptsLeft > 0 else {
                state = .stopped
                return .releaseAbandoned
            }
            state = .releasing(attemptsLeft: attemptsLeft - 1)
            return .rereadForRelease
        case .stopped:
            return .none
        }
    }

    /// Checks the renew deadline: a leader that has not renewed for `renewDeadline` has lost.
    public mutating func tick(now: ContinuousClock.Instant) -> Action {
        guard case .leading(let lastRenewed) = state else { return .none }
        guard now - lastRenewed >= renewDeadline else { return .none }
        state = .stopped
        return .leadershipLost(reason: "could not renew the lease within the renew deadline (\(renewDeadline))")
    }

    /// Graceful shutdown: the release write when leading (holder cleared, duration 1 s, like client-go's
    /// `ReleaseOnCancel`), so another candidate can take over at its next retry.
    public mutating func releaseRequested(wallClock: MicroTime) -> Action {
        guard isLeading, let record = observed?.record, record.holderIdentity == identity else {
            state = .stopped
            return .released
        }
        state = .releasing(attemptsLeft: Self.releaseRetries)
        return .update(Self.releaseRecord(of: record, wallClock: wallClock))
    }

    /// Release writes allowed after the first one fails.
    static let releaseRetries = 2

    /// The next release write after a failed one, from the record read again: a lease still held by this
    /// candidate is released at its current version; one held by nobody or by another needs nothing more.
    private mutating func releaseWrite(after record: LeaseRecord?, wallClock: MicroTime) -> Action {
        guard let record, record.holderIdentity == identity else {
            state = .stopped
            return .released
        }
        return .update(Self.releaseRecord(of: record, wallClock: wallClock))
    }

    private static func releaseRecord(of record: LeaseRecord, wallClock: MicroTime) -> LeaseRecord {
        LeaseRecord(
            holderIdentity: nil, leaseDurationSeconds: 1, acquireTime: wallClock, renewTime: wallClock,
            leaseTransitions: record.leaseTransitions, version: record.version)
    }
}
