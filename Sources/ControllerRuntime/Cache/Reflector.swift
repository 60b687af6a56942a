import Kubernetes
import Logging
import Metrics
import ServiceLifecycle

/// Keeps a `Store` equal to the backend's objects of one kind: list, then watch, forever (client-go reflector,
/// kube-rs `watcher` + `reflector`).
///
/// - Resumes each watch from the last resourceVersion it saw (BOOKMARKs included), so a dropped stream loses and
///   repeats nothing; a 410 (history compacted) lists again and replaces the cache with the new listing.
/// - Failed lists and watches are retried after `configuration.backoff` (exponential with jitter), reset on
///   progress.
/// - Each object is decoded on its own. One that does not decode into `API.Object` is reported — a warning log,
///   the metric `controller_runtime_reflector_decode_failures_total{kind}`, and a Warning event when an
///   `EventRecorder` is given — and skipped; the watch goes on. A cached earlier version of that object stays
///   cached (the controller keeps acting on the last valid spec); a DELETED event removes it even when its body
///   does not decode.
/// - With `.only(namespaces)` every namespace has its own list/watch; a relist of one replaces only its objects.
///
/// A `Service`: `run()` returns on graceful shutdown or cancellation. `store.hasSynced` turns true once every
/// namespace has been listed once (readiness).
public final class Reflector<API: ObjectAPI>: Service {
    /// The cache this reflector fills.
    public let store: Store<API.Object>
    private let api: API
    private let configuration: ReflectorConfiguration
    private let eventRecorder: EventRecorder?
    private let logger: Logger
    private let decodeFailures: Counter
    private let relists: Counter
    private let watchRestarts: Counter

    /// A reflector for `api`'s kind.
    ///
    /// - Parameters:
    ///   - store: the cache to fill (a new one when `nil`).
    ///   - eventRecorder: where to report objects that do not decode (only logged and counted when `nil`).
    public init(
        api: API, configuration: ReflectorConfiguration = ReflectorConfiguration(), store: Store<API.Object>? = nil,
        eventRecorder: EventRecorder? = nil, logger: Logger, metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) {
        self.api = api
        self.configuration = configuration
        self.store = store ?? Store()
        self.eventRecorder = eventRecorder
        var logger = logger
        logger[metadataKey: "reflector.kind"] = "\(api.kind)"
        self.logger = logger
        let dimensions = [("kind", api.kind)]
        decodeFailures = Counter(
            label: "controller_runtime_reflector_decode_failures_total", dimensions: dimensions, factory: metricsFactory)
        relists = Counter(label: "controller_runtime_reflector_lists_total", dimensions: dimensions, factory: metricsFactory)
        watchRestarts = Counter(
            label: "controller_runtime_reflector_watches_total", dimensions: dimensions, factory: metricsFactory)
    }

    /// Whether every watched namespace has been listed once.
    public var hasSynced: Bool { store.hasSynced }

    /// Lists and watches until graceful shutdown or cancellation.
    public func run() async throws {
        let namespaces: [String?]
        switch configuration.namespaces {
        case .only(let names) where api.isNamespaced && !names.isEmpty:
            namespaces = Array(Set(names)).sorted()
        default:
            namespaces = [nil]
        }
        store.expectPartitions(namespaces.count)
        await cancelWhenGracefulShutdown { [self] in
            await withTaskGroup(of: Void.self) { group in
                for (partition, namespace) in namespaces.enumerated() {
                    group.addTask { await self.runPartition(partition, namespace: namespace) }
                }
            }
        }
    }

    // MARK: One list/watch loop

    private func runPartition(_ partition: Int, namespace: String?) async {
        var machine = WatcherStateMachine()
        var backoff = configuration.backoff
        var logger = self.logger
        if let namespace { logger[metadataKey: "reflector.namespace"] = "\(namespace)" }
        while !Task.isCancelled {
            switch machine.nextAction() {
            case .list(let token):
                do {
                    let page = try await api.list(
                        ListRequest(
                            namespace: namespace, labelSelector: configuration.labelSelector,
                            limit: configuration.pageSize, continueToken: token))
                    if case .replaceCache(let items, let resourceVersion) = machine.pageListed(page) {
                        store.replace(items.compactMap { decode($0, logger: logger) }, partition: partition)
                        relists.increment()
                        backoff.reset()
                        logger.debug(
                            "Listed objects", metadata: ["count": "\(items.count)", "resourceVersion": "\(resourceVersion)"])
                    }
                } catch {
                    if Task.isCancelled { return }
                    if BackendFailure.isGone(error) { machine.gone() }
                    let delay = backoff.next()
                    logger.warning(
                        "List failed; retrying", metadata: ["error": "\(error)", "retry_in": "\(delay)"])
                    try? await Task.sleep(for: delay)
                }
            case .watch(let resourceVersion):
                let started = ContinuousClock.now
                var received = 0
                do {
                    watchRestarts.increment()
                    let timeout = max(1, Int(configuration.watchTimeout.inSeconds.rounded()))
                    let stream = try await api.watch(
                        WatchRequest(
                            namespace: namespace, labelSelector: configuration.labelSelector,
                            resourceVersion: resourceVersion, timeoutSeconds: timeout))
                    for try await event in stream {
                        try handle(event, partition: partition, machine: &machine, logger: logger)
                        received += 1
                        backoff.reset()
                    }
                    machine.failedOrEnded()
                    // A stream the server ends at once, again and again, must not become a busy loop.
                    if received == 0 && ContinuousClock.now - started < .seconds(1) {
                        try? await Task.sleep(for: backoff.next())
                    }
                } catch {
                    if Task.isCancelled { return }
                    if BackendFailure.isGone(error) {
                        logger.info(
                            "Watch history expired (410); listing again",
                            metadata: ["resourceVersion": "\(resourceVersion)"])
                        machine.gone()
                        continue
                    }
                    machine.failedOrEnded()
                    let delay = backoff.next()
                    logger.warning("Watch failed; resuming", metadata: ["error": "\(error)", "retry_in": "\(delay)"])
                    try? await Task.sleep(for: delay)
                }
            }
        }
    }

    private func handle(
        _ event: WatchEvent<RawObject>, partition: Int, machine: inout WatcherStateMachine, logger: Logger
    ) throws {
        switch event {
        case .added(let raw), .modified(let raw):
            if let object = decode(raw, logger: logger) {
                store.apply(.upserted(object), partition: partition)
            }
            machine.eventReceived(resourceVersion: raw.metadata.resourceVersion)
        case .deleted(let raw):
            // The object is gone: its last body need not decode (and is not worth a report), only its key.
            if let object = try? raw.decode(as: API.Object.self) {
                store.apply(.deleted(object), partition: partition)
            } else if let key = raw.objectKey {
                store.remove(key, partition: partition)
            }
            machine.eventReceived(resourceVersion: raw.metadata.resourceVersion)
        case .bookmark(let bookmark):
            machine.eventReceived(resourceVersion: bookmark.resourceVersion)
        case .error(let status):
            if status.code == 410 || status.knownReason == .expired || status.knownReason == .gone {
                throw KubernetesError.gone(status)
            }
            throw KubernetesError.api(
                KubernetesAPIError(status: status, statusCode: status.code ?? 500, method: "GET", path: "watch"))
        }
    }

    /// The typed object, or `nil` after reporting why it does not decode.
    private func decode(_ raw: RawObject, logger: Logger) -> API.Object? {
        do {
            return try raw.decode(as: API.Object.self)
        } catch {
            decodeFailures.increment()
            let key = raw.objectKey.map(\.description) ?? "<unnamed>"
            logger.warning(
                "Skipping an object that does not decode",
                metadata: [
                    "object": "\(key)", "resourceVersion": "\(raw.metadata.resourceVersion ?? "")",
                    "error": "\(DecodingErrorText.describe(error))",
                ])
            if let eventRecorder, let name = raw.metadata.name {
                let reference = ObjectReference(
                    apiVersion: raw.apiVersion ?? api.apiVersion, kind: raw.kind ?? api.kind,
                    namespace: raw.metadata.namespace, name: name, uid: raw.metadata.uid,
                    resourceVersion: raw.metadata.resourceVersion)
                eventRecorder.record(
                    .warning, reason: "DecodeFailed", action: "Read", regarding: reference,
                    note: "The operator cannot read this \(api.kind) and ignores this version of it: "
                        + DecodingErrorText.describe(error))
            }
            return nil
        }
    }
}
