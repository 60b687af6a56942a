import ControllerRuntime
import JSONCore
import Kubernetes

/// `ObjectAPI` of one kind on the `LocalStore`: what the reflectors, the status writer and the finalizer helper
/// call in local mode instead of the Kubernetes API.
public struct LocalObjectAPI<Object: KubernetesResource>: ObjectAPI {
    /// The store objects live in.
    public let store: LocalStore
    private let localKind: LocalKind

    /// The API for `Object` (FlinkJob or FlinkSessionCluster) on `store`.
    ///
    /// - Throws: `LocalModeError.storedObject` for a kind local mode does not store.
    public init(store: LocalStore) throws(LocalModeError) {
        guard let kind = LocalKind(named: Object.kind) else {
            throw .storedObject(key: Object.kind, underlying: "local mode stores only FlinkJobs and FlinkSessionClusters")
        }
        self.store = store
        self.localKind = kind
    }

    public var kind: String { Object.kind }
    public var apiVersion: String { Object.apiVersion }
    public var isNamespaced: Bool { localKind.isNamespaced }

    public func list(_ request: ListRequest) async throws -> RawObjectList {
        let listing = store.list(localKind, namespace: request.namespace, selector: try selector(request.labelSelector))
        return RawObjectList(items: listing.objects.map(\.raw), resourceVersion: String(listing.resourceVersion))
    }

    public func watch(_ request: WatchRequest) async throws -> RawWatchStream {
        let stream = try store.watch(
            localKind, namespace: request.namespace, selector: try selector(request.labelSelector),
            from: request.resourceVersion, timeout: request.timeoutSeconds.map { .seconds($0) })
        return RawWatchStream(stream)
    }

    public func get(_ key: ObjectKey) async throws -> Object {
        try decode(try store.get(storedKey(key)))
    }

    public func patch(_ key: ObjectKey, _ patch: Patch) async throws -> Object {
        try decode(try store.patch(storedKey(key), patch))
    }

    public func patchStatus(_ key: ObjectKey, _ patch: Patch) async throws -> Object {
        try decode(try store.patch(storedKey(key), patch, status: true))
    }

    /// Local mode's objects are the manifests: deleting one is deleting its file, which the operator does not do.
    public func delete(_ key: ObjectKey) async throws {
        throw LocalModeError.storedObject(
            key: key.name, underlying: "local mode does not delete objects itself: remove the manifest to delete it")
    }

    public func replaceStatus(_ object: Object) async throws -> Object {
        guard let name = object.metadata.name else { throw ControllerRuntimeError.unnamedObject(kind: Object.kind) }
        let json: JSONValue
        do {
            json = try JSONValue(encoding: object)
        } catch {
            throw LocalModeError.storedObject(key: name, underlying: "status does not encode: \(error)")
        }
        let key = StoredKey(kind: localKind, namespace: object.metadata.namespace, name: name)
        return try decode(try store.replaceStatus(key, resourceVersion: object.metadata.resourceVersion, status: json["status"]))
    }

    private func storedKey(_ key: ObjectKey) -> StoredKey {
        StoredKey(kind: localKind, namespace: key.namespace, name: key.name)
    }

    private func selector(_ text: String?) throws -> LabelSelectorQuery? {
        guard let text, !text.isEmpty else { return nil }
        guard let query = LabelSelectorQuery(text) else {
            throw BackendFailure.invalid("unable to parse requirement: \"\(text)\" is not a label selector")
        }
        return query
    }

    private func decode(_ stored: StoredObject) throws -> Object {
        do {
            return try stored.decode(as: Object.self)
        } catch {
            throw LocalModeError.storedObject(key: stored.key.description, underlying: "\(error)")
        }
    }
}
