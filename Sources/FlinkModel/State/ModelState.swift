import FlinkREST

/// An uploaded jar in `web.upload.dir`.
struct StoredJar: Sendable, Hashable {
    let id: String
    let name: String
    let path: String
    let uploadedAt: Int64
    /// The manifest's `Main-Class`, if any.
    let entryClass: String?
}

/// What the JobManager keeps in memory, all of it lost on a restart without HA.
struct JobManagerMemory: Sendable {
    /// Remembered jobs in submission order (ended ones until `Timings.jobRetention` passed).
    var jobs: [ModelJob] = []
    /// Every job id submitted since the JobManager started, also of jobs no longer listed: a new run under one
    /// is a duplicate.
    var seenJobIDs: Set<FlinkJobID> = []
    /// Savepoint operations in trigger order.
    var savepoints: [SavepointOperation] = []
    /// Savepoint disposals in trigger order.
    var disposals: [DisposalOperation] = []

    /// The position of job `id` in `jobs`.
    func index(of id: FlinkJobID) -> Int? {
        jobs.firstIndex { $0.id == id }
    }
}

/// The whole model behind `InMemoryFlink`'s lock: clock, random source, JobManager memory, jars, storage, logs.
///
/// Invariant kept by every mutating entry point: nothing scheduled is due (`nextEventTime() > now` or `nil`),
/// i.e. the state is what Flink would show at `now`. Every operation is synchronous and allocation-light: no
/// JSON, no I/O.
struct ModelState: Sendable {
    let configuration: InMemoryFlink.Configuration
    var random: SeededGenerator
    /// Model time since the start (sub-millisecond steps accumulate).
    var elapsed: Duration = .zero
    var jobManager = JobManagerMemory()
    /// Uploaded jars, oldest first (they survive a JobManager restart only when asked to).
    var jars: [StoredJar] = []
    var storage = SnapshotStorage()
    var effects: [ModelEffect] = []
    var events: [ModelEvent] = []
    var sequence = 0
    /// Program behaviours, most recent last (the last match wins).
    var programs: [ProgramRule] = []
    /// Manifest entry classes by jar name suffix, most recent last (the last match wins).
    var manifests: [ManifestRule] = []
    /// Until when (epoch ms) the REST API is down after a JobManager restart.
    var unavailableUntil: Int64?

    struct ProgramRule: Sendable {
        var selector: ProgramSelector
        var behaviour: ProgramBehaviour
    }

    struct ManifestRule: Sendable {
        var jarNameSuffix: String
        var entryClass: String?
    }

    init(configuration: InMemoryFlink.Configuration, seed: UInt64) {
        self.configuration = configuration
        self.random = SeededGenerator(seed: seed)
    }

    /// Model time, epoch milliseconds.
    var now: Int64 { configuration.startTime + elapsed.wholeMilliseconds }

    var timings: InMemoryFlink.Timings { configuration.timings }

    /// Slots no job holds.
    var freeSlots: Int {
        configuration.totalSlots - jobManager.jobs.reduce(0) { $0 + $1.slots }
    }

    // MARK: Logs

    /// Appends a mutating call and its answer to the effect log.
    mutating func record(_ call: ModelCall, _ outcome: ModelOutcome) {
        sequence += 1
        effects.append(ModelEffect(sequence: sequence, time: now, call: call, outcome: outcome))
    }

    /// Appends something the model did to the event log.
    mutating func note(_ kind: ModelEvent.Kind) {
        sequence += 1
        events.append(ModelEvent(sequence: sequence, time: now, kind: kind))
    }

    // MARK: Entry

    /// Refuses calls while the JobManager is down after a restart.
    mutating func ensureReachable(_ operation: FlinkOperation) throws(FlinkRESTError) {
        guard let until = unavailableUntil else { return }
        if now >= until {
            unavailableUntil = nil
            return
        }
        throw .unreachable(
            "\(operation.requestLine): Failed to connect to \(configuration.endpoint): Connection refused "
                + "(the JobManager is restarting)")
    }

    /// The behaviour of a run of `entryClass` from jar `jarName`.
    func program(entryClass: String?, jarName: String) -> ProgramBehaviour {
        programs.last { $0.selector.matches(entryClass: entryClass, jarName: jarName) }?.behaviour
            ?? ProgramBehaviour()
    }

    /// The manifest entry class of a jar uploaded as `name`.
    func manifestEntryClass(forJarNamed name: String) -> String? {
        if let rule = manifests.last(where: { name.hasSuffix($0.jarNameSuffix) }) { return rule.entryClass }
        return configuration.manifestEntryClass
    }

    /// Deletes `path` from storage, noting it when it existed.
    mutating func deleteSnapshot(_ path: String) {
        if storage.delete(path) { note(.snapshotDeleted(path: StoragePath.canonical(path))) }
    }
}
