import Kubernetes

/// `ObjectAPI` over the Kubernetes API: one kind, any namespace, through `ResourceClient`.
///
/// List and watch read objects as `RawObject` (so one bad object fails neither); per-object calls decode the typed
/// `Object`. Watches ask for bookmarks.
public struct KubernetesObjectAPI<Object: KubernetesResource>: ObjectAPI {
    /// The client requests go through.
    public let client: KubernetesClient

    /// The API for `Object` through `client`.
    public init(client: KubernetesClient) {
        self.client = client
    }

    public var kind: String { Object.kind }
    public var apiVersion: String { Object.apiVersion }
    public var isNamespaced: Bool { Object.scope == .namespaced }

    public func list(_ request: ListRequest) async throws -> RawObjectList {
        let resources = ResourceClient<RawObject>(
            client: client, descriptor: Object.resourceDescriptor, namespace: request.namespace)
        let page = try await resources.list(
            ListOptions(labelSelector: request.labelSelector, limit: request.limit, continueToken: request.continueToken))
        return RawObjectList(
            items: page.items, resourceVersion: page.metadata.resourceVersion ?? "",
            continueToken: page.metadata.nextPageToken)
    }

    public func watch(_ request: WatchRequest) async throws -> RawWatchStream {
        let resources = ResourceClient<RawObject>(
            client: client, descriptor: Object.resourceDescriptor, namespace: request.namespace)
        let stream = try await resources.watch(
            WatchOptions(
                resourceVersion: request.resourceVersion, allowWatchBookmarks: true,
                timeoutSeconds: request.timeoutSeconds, labelSelector: request.labelSelector))
        return RawWatchStream(stream)
    }

    public func get(_ key: ObjectKey) async throws -> Object {
        try await resources(key.namespace).get(key.name)
    }

    public func patch(_ key: ObjectKey, _ patch: Patch) async throws -> Object {
        try await resources(key.namespace).patch(key.name, patch)
    }

    public func patchStatus(_ key: ObjectKey, _ patch: Patch) async throws -> Object {
        try await resources(key.namespace).patchStatus(key.name, patch)
    }

    public func replaceStatus(_ object: Object) async throws -> Object {
        try await resources(object.metadata.namespace).replaceStatus(object)
    }

    public func delete(_ key: ObjectKey) async throws {
        _ = try await resources(key.namespace).delete(key.name)
    }

    private func resources(_ namespace: String?) -> ResourceClient<Object> {
        client.resources(Object.self, namespace: namespace)
    }
}
