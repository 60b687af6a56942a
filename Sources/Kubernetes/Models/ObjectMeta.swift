import JSONCore

/// `metav1.ObjectMeta`: the metadata every persisted Kubernetes object carries.
///
/// Every field is optional because the server fills most of them; absent fields are not written on encode.
public struct ObjectMeta: Sendable, Hashable, Codable {
    /// The object's name, unique per namespace (or cluster, for cluster-scoped kinds).
    public var name: String?
    /// A prefix from which the server generates a unique name on create when `name` is empty.
    public var generateName: String?
    /// The namespace; `nil` for cluster-scoped objects.
    public var namespace: String?
    /// The server-assigned identity of this incarnation of the object.
    public var uid: String?
    /// An opaque version for optimistic concurrency; never compare it numerically.
    public var resourceVersion: String?
    /// Incremented by the server on every change of the desired state (`spec`).
    public var generation: Int64?
    /// When the object was created (server-set).
    public var creationTimestamp: KubeTime?
    /// Set by the server when deletion was requested and finalizers still hold the object.
    public var deletionTimestamp: KubeTime?
    /// Grace period the server recorded with the deletion request.
    public var deletionGracePeriodSeconds: Int64?
    /// Identifying key/value labels (selectable).
    public var labels: [String: String]?
    /// Non-identifying key/value annotations.
    public var annotations: [String: String]?
    /// Finalizers that must all be removed before a deleted object disappears.
    public var finalizers: [String]?
    /// Objects this one depends on (garbage collection).
    public var ownerReferences: [OwnerReference]?
    /// Field ownership bookkeeping of server-side apply, kept verbatim.
    public var managedFields: JSONValue?

    /// Metadata with the given identifying fields; everything else empty.
    public init(
        name: String? = nil,
        namespace: String? = nil,
        labels: [String: String]? = nil,
        annotations: [String: String]? = nil,
        finalizers: [String]? = nil,
        ownerReferences: [OwnerReference]? = nil,
        resourceVersion: String? = nil,
        uid: String? = nil,
        generateName: String? = nil
    ) {
        self.name = name
        self.namespace = namespace
        self.labels = labels
        self.annotations = annotations
        self.finalizers = finalizers
        self.ownerReferences = ownerReferences
        self.resourceVersion = resourceVersion
        self.uid = uid
        self.generateName = generateName
    }

    /// Whether deletion has been requested (`deletionTimestamp` is set).
    public var isDeleting: Bool { deletionTimestamp != nil }

    /// Whether `finalizers` lists `finalizer`.
    public func hasFinalizer(_ finalizer: String) -> Bool {
        finalizers?.contains(finalizer) ?? false
    }
}
