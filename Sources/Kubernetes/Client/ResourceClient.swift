import Foundation
import HTTPTransport
import JSONCore

/// Operations on one kind, in one namespace or across all of them (kube-rs `Api<K>`).
///
/// `namespace == nil` on a namespaced kind means "all namespaces": list and watch work, per-object calls throw
/// `KubernetesError.invalidRequest` (create and replace fall back to the object's own `metadata.namespace`).
/// Every call throws `KubernetesError`.
public struct ResourceClient<Object: KubernetesObject>: Sendable {
    /// The client the calls go through.
    public let client: KubernetesClient
    /// The kind's place in the API.
    public let descriptor: ResourceDescriptor
    /// The namespace, or `nil` for all namespaces / cluster-scoped kinds.
    public let namespace: String?

    /// Operations on `descriptor` in `namespace`.
    public init(client: KubernetesClient, descriptor: ResourceDescriptor, namespace: String?) {
        self.client = client
        self.descriptor = descriptor
        self.namespace = descriptor.scope == .cluster ? nil : namespace
    }

    // MARK: Read

    /// Reads one object.
    public func get(_ name: String) async throws -> Object {
        try await send(.get, try objectPath(name), what: "\(descriptor.kind) \(name)")
    }

    /// Lists objects (one page when `options.limit` is set).
    public func list(_ options: ListOptions = ListOptions()) async throws -> ObjectList<Object> {
        let request = APIRequest(
            method: .get, path: descriptor.collectionPath(namespace: namespace), query: options.queryItems)
        let response = try await client.perform(request)
        return try KubernetesClient.decode(
            ObjectList<Object>.self, from: response.body, what: "\(descriptor.kind) list")
    }

    /// Lists every object, following `continue` tokens page by page (`options.limit` is the page size).
    ///
    /// The result carries the list resourceVersion of the pages (the same on every page). If a token expires
    /// midway the error `isGone`: list again from the start.
    public func listAll(_ options: ListOptions = ListOptions()) async throws -> ObjectList<Object> {
        var options = options
        var page = try await list(options)
        var items = page.items
        let metadata = ListMeta(resourceVersion: page.metadata.resourceVersion)
        while let token = page.metadata.nextPageToken {
            options.continueToken = token
            page = try await list(options)
            items += page.items
        }
        return ObjectList(metadata: metadata, items: items, apiVersion: page.apiVersion, kind: page.kind)
    }

    /// Opens a watch; events arrive through the returned sequence until the server ends the stream.
    ///
    /// - Throws: `.gone` for HTTP 410, `.api` for other error statuses, `.transport` when no answer came.
    ///   The sequence itself throws `.gone` for an in-band 410 ERROR event, `.api` for other ERROR events and
    ///   `.decoding` (with the raw line) for lines that are not valid events.
    public func watch(_ options: WatchOptions = WatchOptions()) async throws -> WatchEventStream<Object> {
        let request = APIRequest(
            method: .get, path: descriptor.collectionPath(namespace: namespace), query: options.queryItems)
        return try await WatchEventStream.open(client: client, request: request, kind: descriptor.kind)
    }

    // MARK: Write

    /// Creates an object (POST to the collection); returns it as stored.
    public func create(_ object: Object, options: WriteOptions = WriteOptions()) async throws -> Object {
        let path = descriptor.collectionPath(namespace: try writeNamespace(object))
        return try await send(
            .post, path, query: options.queryItems, body: try encode(object, what: "\(descriptor.kind) to create"),
            what: "created \(descriptor.kind)")
    }

    /// Replaces an object (PUT); `metadata.resourceVersion` must be the current one or the server answers 409.
    public func replace(_ object: Object, options: WriteOptions = WriteOptions()) async throws -> Object {
        let name = try objectName(object)
        let path = descriptor.objectPath(name: name, namespace: try writeNamespace(object))
        return try await send(
            .put, path, query: options.queryItems, body: try encode(object, what: "\(descriptor.kind) \(name)"),
            what: "replaced \(descriptor.kind) \(name)")
    }

    /// Patches an object (merge, JSON or server-side apply).
    public func patch(_ name: String, _ patch: Patch, options: PatchOptions = PatchOptions()) async throws -> Object {
        try await sendPatch(patch, path: try objectPath(name), name: name, options: options)
    }

    // MARK: Status subresource

    /// Reads an object through `/status`.
    public func getStatus(_ name: String) async throws -> Object {
        try await send(.get, try objectPath(name, subresource: "status"), what: "\(descriptor.kind) \(name) status")
    }

    /// Replaces the status (PUT `/status`); everything but `.status` in `object` is ignored by the server.
    public func replaceStatus(_ object: Object, options: WriteOptions = WriteOptions()) async throws -> Object {
        let name = try objectName(object)
        let path = descriptor.objectPath(name: name, namespace: try writeNamespace(object), subresource: "status")
        return try await send(
            .put, path, query: options.queryItems,
            body: try encode(object, what: "\(descriptor.kind) \(name) status"),
            what: "\(descriptor.kind) \(name) after status update")
    }

    /// Patches the status (PATCH `/status`); the patch should touch `.status` only.
    public func patchStatus(_ name: String, _ patch: Patch, options: PatchOptions = PatchOptions()) async throws
        -> Object
    {
        try await sendPatch(patch, path: try objectPath(name, subresource: "status"), name: name, options: options)
    }

    // MARK: Scale subresource

    /// Reads the `/scale` subresource.
    public func getScale(_ name: String) async throws -> Scale {
        try await send(.get, try objectPath(name, subresource: "scale"), what: "Scale of \(descriptor.kind) \(name)")
    }

    /// Replaces `/scale` (a resourceVersion in `scale.metadata` is a precondition; without one the write is
    /// unconditional).
    public func replaceScale(_ name: String, _ scale: Scale, options: WriteOptions = WriteOptions()) async throws
        -> Scale
    {
        try await send(
            .put, try objectPath(name, subresource: "scale"), query: options.queryItems,
            body: try encodeData(scale, what: "Scale"), what: "Scale of \(descriptor.kind) \(name)")
    }

    /// Patches `/scale` (e.g. `.merge(["spec": ["replicas": 3]])`).
    public func patchScale(_ name: String, _ patch: Patch, options: PatchOptions = PatchOptions()) async throws
        -> Scale
    {
        let request = APIRequest(
            method: .patch, path: try objectPath(name, subresource: "scale"), query: options.queryItems(for: patch),
            body: try patchBody(patch, name: name, fillTypeMeta: false), contentType: patch.contentType)
        let response = try await client.perform(request)
        return try KubernetesClient.decode(Scale.self, from: response.body, what: "Scale of \(descriptor.kind) \(name)")
    }

    // MARK: Delete

    /// Deletes an object.
    ///
    /// - Returns: `.deleted(Status)` when the object is gone, or `.deleting(object)` when finalizers (or foreground
    ///   propagation) keep it, with `deletionTimestamp` set. A dry run answers as if it were real.
    public func delete(_ name: String, options: DeleteOptions = DeleteOptions()) async throws -> DeleteResult<Object> {
        var request = APIRequest(method: .delete, path: try objectPath(name))
        if options.dryRun { request.query.append(("dryRun", "All")) }
        if options.needsBody {
            request.body = try encodeData(options, what: "DeleteOptions")
        }
        let response = try await client.perform(request)
        let json = try KubernetesClient.decode(JSONValue.self, from: response.body, what: "DELETE answer")
        if json["kind"]?.stringValue == "Status", json["apiVersion"]?.stringValue == "v1", descriptor.kind != "Status" {
            return .deleted(
                try KubernetesClient.decode(Status.self, from: response.body, what: "DELETE Status"))
        }
        return .deleting(
            try KubernetesClient.decode(Object.self, from: response.body, what: "\(descriptor.kind) being deleted"))
    }

    // MARK: Helpers

    private func send<T: Decodable>(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: Data? = nil, what: String
    ) async throws -> T {
        let response = try await client.perform(APIRequest(method: method, path: path, query: query, body: body))
        return try KubernetesClient.decode(T.self, from: response.body, what: what)
    }

    private func sendPatch(_ patch: Patch, path: String, name: String, options: PatchOptions) async throws -> Object {
        if case .apply = patch, options.fieldManager?.isEmpty ?? true {
            throw KubernetesError.invalidRequest("server-side apply needs PatchOptions.fieldManager")
        }
        let request = APIRequest(
            method: .patch, path: path, query: options.queryItems(for: patch),
            body: try patchBody(patch, name: name, fillTypeMeta: true), contentType: patch.contentType)
        let response = try await client.perform(request)
        return try KubernetesClient.decode(
            Object.self, from: response.body, what: "\(descriptor.kind) \(name) after patch")
    }

    private func patchBody(_ patch: Patch, name: String, fillTypeMeta: Bool) throws -> Data {
        var document: JSONValue
        switch patch {
        case .merge(let value):
            document = value
        case .json(let jsonPatch):
            document = jsonPatch.document
        case .apply(let value):
            document = value
            // Apply bodies must be complete objects: kind, apiVersion and name are required by the server.
            if fillTypeMeta, case .object = document {
                if document["apiVersion"] == nil { document["apiVersion"] = .string(descriptor.apiVersion) }
                if document["kind"] == nil { document["kind"] = .string(descriptor.kind) }
                if document[path: ["metadata", "name"]] == nil { document[path: ["metadata", "name"]] = .string(name) }
            }
        }
        do {
            return try document.encodedData()
        } catch {
            throw KubernetesError.encoding(what: "\(patch.contentType) body", underlying: error)
        }
    }

    /// Encodes an object for a write, filling `apiVersion` and `kind` from the descriptor when absent.
    private func encode(_ object: Object, what: String) throws -> Data {
        do {
            var json = try JSONValue(encoding: object)
            if json["apiVersion"] == nil { json["apiVersion"] = .string(descriptor.apiVersion) }
            if json["kind"] == nil { json["kind"] = .string(descriptor.kind) }
            return try json.encodedData()
        } catch {
            throw KubernetesError.encoding(what: what, underlying: error)
        }
    }

    private func encodeData(_ value: some Encodable, what: String) throws -> Data {
        do {
            return try JSONEncoder().encode(value)
        } catch {
            throw KubernetesError.encoding(what: what, underlying: error)
        }
    }

    private func objectPath(_ name: String, subresource: String? = nil) throws -> String {
        guard !name.isEmpty else {
            throw KubernetesError.invalidRequest("an empty \(descriptor.kind) name")
        }
        if descriptor.scope == .namespaced, namespace == nil {
            throw KubernetesError.invalidRequest(
                "\(descriptor.kind) \"\(name)\" needs a namespace; this client covers all namespaces")
        }
        return descriptor.objectPath(name: name, namespace: namespace, subresource: subresource)
    }

    private func objectName(_ object: Object) throws -> String {
        guard let name = object.metadata.name, !name.isEmpty else {
            throw KubernetesError.invalidRequest("the \(descriptor.kind) has no metadata.name")
        }
        return name
    }

    private func writeNamespace(_ object: Object) throws -> String? {
        guard descriptor.scope == .namespaced else { return nil }
        guard let namespace = namespace ?? object.metadata.namespace, !namespace.isEmpty else {
            throw KubernetesError.invalidRequest(
                "the \(descriptor.kind) needs a namespace: none on the client or in metadata.namespace")
        }
        return namespace
    }
}
