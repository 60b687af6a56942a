import Kubernetes

/// An `ObjectAPI` of any backend behind one concrete type, so generic runtime pieces (`Reflector<API>`) can be
/// built from a backend chosen at run time (Kubernetes or local files).
public struct AnyObjectAPI<Object: KubernetesObject>: ObjectAPI {
    private let base: any ObjectAPI<Object>

    /// Wraps `base`.
    public init(_ base: any ObjectAPI<Object>) {
        self.base = base
    }

    public var kind: String { base.kind }
    public var apiVersion: String { base.apiVersion }
    public var isNamespaced: Bool { base.isNamespaced }
    public func list(_ request: ListRequest) async throws -> RawObjectList { try await base.list(request) }
    public func watch(_ request: WatchRequest) async throws -> RawWatchStream { try await base.watch(request) }
    public func get(_ key: ObjectKey) async throws -> Object { try await base.get(key) }
    public func patch(_ key: ObjectKey, _ patch: Patch) async throws -> Object { try await base.patch(key, patch) }
    public func patchStatus(_ key: ObjectKey, _ patch: Patch) async throws -> Object {
        try await base.patchStatus(key, patch)
    }
    public func replaceStatus(_ object: Object) async throws -> Object { try await base.replaceStatus(object) }
    public func delete(_ key: ObjectKey) async throws { try await base.delete(key) }
}
