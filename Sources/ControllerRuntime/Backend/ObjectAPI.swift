import Kubernetes

/// The calls the runtime makes about one kind: the seam between the controllers and where objects are stored.
///
/// The reflector, the status writer and the finalizer helper use nothing else, so the same controllers run on
/// the Kubernetes API (`KubernetesObjectAPI`) or on a local store. An implementation must keep the API's
/// semantics the runtime relies on:
/// - **Versions.** Every stored object carries an opaque `metadata.resourceVersion` that changes on every write;
///   a write that changes nothing keeps it. `list` returns the version the listing is consistent with.
/// - **Watch.** `watch` delivers, in order, every change strictly after `request.resourceVersion` (ADDED,
///   MODIFIED, DELETED with the last state), may send BOOKMARKs, may end at any time (the runtime resumes from
///   the last version it saw), and throws `KubernetesError.gone` (see `BackendFailure.gone`) when that version
///   is older than the retained history, after which the runtime lists again.
/// - **Errors.** Failures are `KubernetesError`s with the API's `Status` reasons: 404 NotFound, 409 Conflict
///   (stale `resourceVersion`), 422 Invalid (including a failed JSON-patch `test`), 410 Gone. `BackendFailure`
///   builds them for implementations that have no HTTP server behind them.
/// - **Status.** `replaceStatus`/`patchStatus` change only `.status`; other writes never change `.status`.
public protocol ObjectAPI<Object>: Sendable {
    /// The Swift type of the kind.
    associatedtype Object: KubernetesObject

    /// The kind's name (`FlinkJob`), for logs, metrics and events.
    var kind: String { get }
    /// The kind's `group/version` (`flink.jobcontroller.io/v1alpha1`), for event references.
    var apiVersion: String { get }
    /// Whether objects of this kind live in namespaces.
    var isNamespaced: Bool { get }

    /// Lists one page of objects; each item is raw so one undecodable object does not fail the page.
    func list(_ request: ListRequest) async throws -> RawObjectList
    /// Streams changes after `request.resourceVersion`.
    func watch(_ request: WatchRequest) async throws -> RawWatchStream
    /// Reads one object.
    func get(_ key: ObjectKey) async throws -> Object
    /// Patches one object (JSON patch or merge patch; never `.status`).
    func patch(_ key: ObjectKey, _ patch: Patch) async throws -> Object
    /// Patches the status of one object (through the status subresource).
    func patchStatus(_ key: ObjectKey, _ patch: Patch) async throws -> Object
    /// Replaces the status of one object; `object.metadata.resourceVersion` is a precondition (409 when stale).
    func replaceStatus(_ object: Object) async throws -> Object
    /// Deletes one object (finalizers still run first); 404 when it does not exist. A backend whose objects come
    /// from elsewhere (local mode's manifests) refuses with an error saying so.
    func delete(_ key: ObjectKey) async throws
}

/// Which objects a list page should contain.
public struct ListRequest: Sendable, Hashable {
    /// The namespace, or `nil` for all namespaces (and for cluster-scoped kinds).
    public var namespace: String?
    /// A label selector in query syntax (`app=x,tier in (a,b)`).
    public var labelSelector: String?
    /// The page size; `nil` lists everything at once.
    public var limit: Int?
    /// The continue token of the previous page.
    public var continueToken: String?

    /// A request with the given values.
    public init(namespace: String? = nil, labelSelector: String? = nil, limit: Int? = nil, continueToken: String? = nil) {
        self.namespace = namespace
        self.labelSelector = labelSelector
        self.limit = limit
        self.continueToken = continueToken
    }
}

/// One page of a list.
public struct RawObjectList: Sendable {
    /// The items, undecoded.
    public var items: [RawObject]
    /// The version the list is consistent with; watch from here.
    public var resourceVersion: String
    /// The token for the next page, `nil` on the last page.
    public var continueToken: String?

    /// A page with the given values.
    public init(items: [RawObject], resourceVersion: String, continueToken: String? = nil) {
        self.items = items
        self.resourceVersion = resourceVersion
        self.continueToken = continueToken
    }
}

/// Where a watch starts and what it selects.
public struct WatchRequest: Sendable, Hashable {
    /// The namespace, or `nil` for all namespaces (and for cluster-scoped kinds).
    public var namespace: String?
    /// A label selector in query syntax.
    public var labelSelector: String?
    /// Deliver changes strictly after this version.
    public var resourceVersion: String
    /// Ask the backend to end the stream after this many seconds (it may end it earlier).
    public var timeoutSeconds: Int?

    /// A request with the given values.
    public init(namespace: String? = nil, labelSelector: String? = nil, resourceVersion: String, timeoutSeconds: Int? = nil) {
        self.namespace = namespace
        self.labelSelector = labelSelector
        self.resourceVersion = resourceVersion
        self.timeoutSeconds = timeoutSeconds
    }
}
