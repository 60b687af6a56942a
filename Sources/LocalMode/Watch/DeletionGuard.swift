/// When an object that no manifest defines any more may be deleted: the decision function of the manifest
/// watcher's deletions, a value type with no I/O.
///
/// Deleting a FlinkJob stops its Flink job (with a savepoint). A manifest directory that empties for a moment (a
/// `git checkout`, an editor's rename dance, an `rsync --delete`) must not stop every job, so:
/// - a missing object is deleted only after it stayed missing for `grace`;
/// - when many go missing together — at least `massThreshold` objects, or every object there is (and more than
///   one) — the whole batch waits `massGrace` instead, and the watcher says so loudly once per batch.
/// An object that comes back before its time is not deleted and its clock starts again when it next goes missing.
public struct DeletionGuard: Sendable {
    /// The guard's settings (local mode's `deletionGrace`, `massDeletionThreshold`, `massDeletionGrace`).
    public struct Settings: Sendable, Hashable {
        public var grace: Duration
        public var massThreshold: Int
        public var massGrace: Duration

        public init(grace: Duration = .seconds(2), massThreshold: Int = 3, massGrace: Duration = .seconds(600)) {
            self.grace = grace
            self.massThreshold = max(1, massThreshold)
            self.massGrace = massGrace
        }
    }

    /// What to do after looking at the missing objects.
    public struct Decision: Sendable, Hashable {
        /// Delete these now.
        public var delete: Set<StoredKey> = []
        /// Missing but waiting (for `grace`, or `massGrace` when `mass`).
        public var waiting: Set<StoredKey> = []
        /// Whether the waiting batch counts as a mass deletion.
        public var mass = false
        /// True the first time a mass deletion is seen (to log and record it once, not on every look).
        public var massStarted = false
        /// When to look again (the earliest time a waiting object may be deleted); `nil` when nothing waits.
        public var nextCheck: ContinuousClock.Instant?
    }

    public let settings: Settings
    private var missingSince: [StoredKey: ContinuousClock.Instant] = [:]
    private var inMass = false

    public init(settings: Settings) {
        self.settings = settings
    }

    /// Looks at the objects missing now (`missing`) out of `total` stored objects, at `now`.
    public mutating func decide(missing: [StoredKey], total: Int, now: ContinuousClock.Instant) -> Decision {
        let current = Set(missing)
        missingSince = missingSince.filter { current.contains($0.key) }
        for key in current where missingSince[key] == nil { missingSince[key] = now }
        var decision = Decision()
        guard !current.isEmpty else {
            inMass = false
            return decision
        }
        decision.mass = current.count >= settings.massThreshold || (current.count == total && total > 1)
        decision.massStarted = decision.mass && !inMass
        inMass = decision.mass
        let grace = decision.mass ? settings.massGrace : settings.grace
        for (key, since) in missingSince {
            let due = since.advanced(by: grace)
            if now >= due {
                decision.delete.insert(key)
            } else {
                decision.waiting.insert(key)
                decision.nextCheck = min(decision.nextCheck ?? due, due)
            }
        }
        for key in decision.delete { missingSince[key] = nil }
        if decision.waiting.isEmpty { inMass = false }
        return decision
    }
}
