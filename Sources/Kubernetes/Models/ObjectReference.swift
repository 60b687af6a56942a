/// `v1.ObjectReference`: names one object, e.g. the `regarding` object of an Event.
public struct ObjectReference: Sendable, Hashable, Codable {
    /// The referent's API version.
    public var apiVersion: String?
    /// The referent's kind.
    public var kind: String?
    /// The referent's namespace.
    public var namespace: String?
    /// The referent's name.
    public var name: String?
    /// The referent's UID.
    public var uid: String?
    /// The referent's resourceVersion at the time of reference.
    public var resourceVersion: String?
    /// A field path inside the referent (e.g. a container), if any.
    public var fieldPath: String?

    /// A reference with the given fields.
    public init(
        apiVersion: String? = nil, kind: String? = nil, namespace: String? = nil, name: String? = nil,
        uid: String? = nil, resourceVersion: String? = nil, fieldPath: String? = nil
    ) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.uid = uid
        self.resourceVersion = resourceVersion
        self.fieldPath = fieldPath
    }
}
