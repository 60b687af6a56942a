import Foundation
import Kubernetes
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// Records `events.k8s.io/v1` Events about objects, aggregating repeats (client-go's events recorder).
///
/// - **Never blocks a reconcile.** `record` only takes a lock and returns; `run()` (a `Service`) does the writes.
///   Failed writes are logged (and counted in `controller_runtime_event_write_failures_total`), never thrown.
/// - **Aggregation.** Occurrences with the same regarding object, type, reason, action, related object and note
///   are one Event: the first occurrence creates it (at once), repeats only count; `series.count` (total
///   occurrences) and `series.lastObservedTime` are written at most every `seriesUpdateInterval`. So 100
///   identical events make one Event with `series.count == 100`, not 100 objects or 100 PATCHes.
/// - **Shape.** `reportingController`/`reportingInstance` from the configuration; the note is cut to 1 KiB
///   (on a UTF-8 boundary); events about cluster-scoped objects go to `clusterScopedNamespace`.
/// - **Shutdown.** On graceful shutdown `run()` writes every pending count, then returns.
public final class EventRecorder: Service {
    /// What makes two occurrences the same event.
    private struct AggregationKey: Hashable {
        var regarding: ObjectReference
        var related: ObjectReference?
        var type: EventType
        var reason: String
        var action: String
        var note: String
    }

    private struct Entry {
        var stored: Event?
        var inFlight = false
        var count: Int
        var writtenCount = 0
        var firstObserved: MicroTime
        var lastObserved: MicroTime
        var lastWrite: ContinuousClock.Instant?
        var lastOccurrence: ContinuousClock.Instant
        var failures = 0
    }

    private struct State {
        var entries: [AggregationKey: Entry] = [:]
    }

    /// How many times a failed write is retried before the occurrence is given up.
    private static let maximumWriteAttempts = 3
    /// The longest `note` the API accepts.
    public static let maximumNoteBytes = 1024

    /// The configuration.
    public let configuration: EventRecorderConfiguration
    private let sink: any EventSink
    private let logger: Logger
    private let state = Mutex(State())
    private let signal = WakeSignal()
    private let writeFailures: Counter
    private let dropped: Counter
    private let recorded: Counter

    /// A recorder writing to `sink`.
    public init(
        sink: any EventSink, configuration: EventRecorderConfiguration, logger: Logger,
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        self.sink = sink
        self.configuration = configuration
        self.logger = logger
        writeFailures = Counter(label: "controller_runtime_event_write_failures_total", factory: metricsFactory)
        dropped = Counter(label: "controller_runtime_events_dropped_total", factory: metricsFactory)
        recorded = Counter(label: "controller_runtime_events_recorded_total", factory: metricsFactory)
    }

    // MARK: Recording

    /// Records one occurrence; returns at once.
    ///
    /// - Parameters:
    ///   - reason: why, in CamelCase (`SubmitFailed`).
    ///   - action: what the operator did or tried, in CamelCase (`Submit`).
    ///   - regarding: the object the event is about (its `resourceVersion` is ignored for aggregation).
    ///   - note: a human-readable message; cut to 1 KiB.
    public func record(
        _ type: EventType, reason: String, action: String, regarding: ObjectReference, related: ObjectReference? = nil,
        note: String
    ) {
        var aggregationRegarding = regarding
        aggregationRegarding.resourceVersion = nil
        let key = AggregationKey(
            regarding: aggregationRegarding, related: related, type: type, reason: reason, action: action,
            note: Self.truncate(note, toBytes: Self.maximumNoteBytes))
        let now = ContinuousClock.now
        let wallClock = MicroTime.now()
        recorded.increment()
        let wake = state.withLock { state -> Bool in
            if var entry = state.entries[key], now - entry.lastOccurrence < configuration.aggregationWindow {
                let hadPending = entry.count > entry.writtenCount
                entry.count += 1
                entry.lastObserved = wallClock
                entry.lastOccurrence = now
                state.entries[key] = entry
                return !hadPending
            }
            guard state.entries.count < configuration.maximumTrackedEvents || state.entries[key] != nil else {
                dropped.increment()
                return false
            }
            state.entries[key] = Entry(
                count: 1, firstObserved: wallClock, lastObserved: wallClock, lastOccurrence: now)
            return true
        }
        if wake { signal.signal() }
    }

    /// Records an event about a typed object.
    public func record<Object: KubernetesResource>(
        _ type: EventType, reason: String, action: String, regarding object: Object, note: String
    ) {
        record(type, reason: reason, action: action, regarding: Self.reference(to: object), note: note)
    }

    /// A reference to `object` for `regarding`/`related`.
    public static func reference<Object: KubernetesResource>(to object: Object) -> ObjectReference {
        ObjectReference(
            apiVersion: Object.apiVersion, kind: Object.kind, namespace: object.metadata.namespace,
            name: object.metadata.name, uid: object.metadata.uid, resourceVersion: object.metadata.resourceVersion)
    }

    // MARK: Writing

    /// Writes until graceful shutdown (then flushes every pending count) or cancellation.
    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let next = await process(force: false)
            await withGracefulShutdownHandler {
                await signal.wait(until: next)
            } onGracefulShutdown: { [signal] in
                signal.signal()
            }
        }
        if !Task.isCancelled {
            _ = await process(force: true)
        }
    }

    /// Writes every pending creation and count now, ignoring `seriesUpdateInterval`.
    public func flush() async {
        _ = await process(force: true)
    }

    /// Performs due writes; returns when the next one will be due (`nil`: nothing pending).
    private func process(force: Bool) async -> ContinuousClock.Instant? {
        let now = ContinuousClock.now
        let work = state.withLock { state -> [(AggregationKey, Entry)] in
            // Forget idle aggregations so a much later repeat starts a new Event.
            for (key, entry) in state.entries
            where !entry.inFlight && entry.count == entry.writtenCount
                && now - entry.lastOccurrence >= configuration.aggregationWindow
            {
                state.entries[key] = nil
            }
            var due: [(AggregationKey, Entry)] = []
            for (key, entry) in state.entries where !entry.inFlight && entry.count > entry.writtenCount {
                let isDue =
                    entry.stored == nil || force
                    || entry.lastWrite.map { now - $0 >= configuration.seriesUpdateInterval } ?? true
                guard isDue else { continue }
                state.entries[key]?.inFlight = true
                due.append((key, entry))
            }
            return due
        }
        for (key, entry) in work {
            await write(key, entry)
        }
        return state.withLock { state in
            state.entries.values.filter { !$0.inFlight && $0.count > $0.writtenCount }
                .map { ($0.lastWrite ?? now) + configuration.seriesUpdateInterval }.min()
        }
    }

    private func write(_ key: AggregationKey, _ entry: Entry) async {
        let series = entry.count >= 2 ? EventSeries(count: entry.count, lastObservedTime: entry.lastObserved) : nil
        var stored: Event?
        do {
            if let existing = entry.stored, let series {
                do {
                    stored = try await sink.updateSeries(of: existing, to: series)
                } catch where BackendFailure.isNotFound(error) {
                    // Expired by the server's event TTL: start a new Event with the running count.
                    stored = try await sink.create(makeEvent(key, entry, series: series))
                }
            } else {
                stored = try await sink.create(makeEvent(key, entry, series: series))
            }
        } catch {
            writeFailures.increment()
            logger.warning(
                "Cannot write event",
                metadata: [
                    "event.reason": "\(key.reason)", "event.regarding": "\(key.regarding.name ?? "")",
                    "error": "\(error)",
                ])
        }
        let now = ContinuousClock.now
        state.withLock { state in
            guard var current = state.entries[key] else { return }
            current.inFlight = false
            current.lastWrite = now
            if let stored {
                current.stored = stored
                current.writtenCount = entry.count
                current.failures = 0
            } else {
                current.failures += 1
                if current.failures >= Self.maximumWriteAttempts {
                    // Give this occurrence up rather than retry forever against a failing API.
                    current.writtenCount = current.count
                    current.failures = 0
                }
            }
            state.entries[key] = current
        }
    }

    private func makeEvent(_ key: AggregationKey, _ entry: Entry, series: EventSeries?) -> Event {
        let namespace = key.regarding.namespace ?? configuration.clusterScopedNamespace
        let base = String((key.regarding.name ?? "event").prefix(200))
        let suffix = String(UInt64(max(0, entry.firstObserved.microsecondsSince1970)) &* 1000 &+ UInt64.random(in: 0..<1000), radix: 16)
        return Event(
            metadata: ObjectMeta(name: "\(base).\(suffix)", namespace: namespace),
            eventTime: entry.firstObserved, series: series, reportingController: configuration.reportingController,
            reportingInstance: configuration.reportingInstance, action: key.action, reason: key.reason,
            regarding: key.regarding, related: key.related, note: key.note, type: key.type.rawValue)
    }

    /// `text` cut to at most `limit` UTF-8 bytes without splitting a character.
    static func truncate(_ text: String, toBytes limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        var result = ""
        var bytes = 0
        for character in text {
            let size = String(character).utf8.count
            if bytes + size > limit { break }
            result.append(character)
            bytes += size
        }
        return result
    }
}
