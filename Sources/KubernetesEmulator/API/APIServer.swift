import Foundation
import JSONCore
import Synchronization

/// The Kubernetes API semantics, independent of HTTP: routing, authorization, the object store, validation,
/// patching, server-side apply, list and watch.
///
/// Every request is handled under one lock, so writes are linearisable and each commit's watch events are
/// ordered by revision.
final class APIServer: Sendable {
    /// Behaviour knobs.
    let settings: ServerSettings
    /// All mutable state, behind one lock.
    let state: Mutex<ServerState>
    private let watchControls = Mutex<[Int: WatchControl]>([:])

    /// A core serving the built-in kinds.
    init(settings: ServerSettings) {
        self.settings = settings
        var initial = ServerState(store: ObjectStore(watchCacheCapacity: settings.watchCacheCapacity))
        for type in ResourceType.builtins { initial.types[type.key] = type }
        state = Mutex(initial)
    }

    // MARK: Entry point

    /// Handles one request (already authenticated).
    func handle(_ request: APIRequest) -> APIOutcome {
        do {
            return try route(request)
        } catch {
            return .response(render(error))
        }
    }

    /// The response for an error (a Status, or plain text).
    func render(_ error: APIError) -> APIResponse {
        if let text = error.plainText {
            return APIResponse(status: error.code, contentType: "text/plain; charset=utf-8", headers: error.headers,
                               body: Data(text.utf8))
        }
        return APIResponse(status: error.code, headers: error.headers,
                           body: BuiltinTypes.statusWriter.data(error.status ?? .emptyObject))
    }

    /// A JSON response.
    func json(_ status: Int, _ value: JSONValue, writer: GoJSONWriter = .sorted, warnings: [String] = []) -> APIOutcome {
        .response(APIResponse(status: status, warnings: warnings, body: writer.data(value)))
    }

    private func route(_ request: APIRequest) throws(APIError) -> APIOutcome {
        guard let path = RequestPath(request.path) else { throw .pageNotFound }
        switch path {
        case .version, .health, .apiVersions, .apiGroupList, .apiGroup, .resourceList:
            try authorizeNonResource(request)
            guard request.method == "GET" else { throw APIError.methodNotAllowed(request.method, resource: "", group: "") }
            return try discovery(path, request)
        case .openAPIV2, .openAPIV3Index, .openAPIV3:
            try authorizeNonResource(request)
            guard request.method == "GET" else { throw APIError.methodNotAllowed(request.method, resource: "", group: "") }
            return try openAPI(path, request)
        case .resource(var resourcePath):
            // /api/v1/namespaces/{name}/status|finalize are namespace subresources.
            if resourcePath.group.isEmpty, resourcePath.namespace != nil, resourcePath.name == nil,
               ["status", "finalize"].contains(resourcePath.plural), let ns = resourcePath.namespace {
                resourcePath = ResourcePath(group: "", version: "v1", namespace: nil, plural: "namespaces", name: ns,
                                            subresource: resourcePath.plural)
            }
            let type = try state.withLock { state throws(APIError) -> ResourceType in
                guard let t = state.type(group: resourcePath.group, version: resourcePath.version, plural: resourcePath.plural)
                else { throw APIError.pageNotFound }
                return t
            }
            return try handleResource(request, path: resourcePath, type: type)
        }
    }

    // MARK: Resource routing

    /// The Kubernetes verb of a resource request.
    static func verb(method: String, path: ResourcePath, query: [String: String]) -> String {
        let watch = path.legacyWatch || parseBool(query["watch"]) == true
        switch method {
        case "GET", "HEAD":
            if watch { return "watch" }
            return path.name == nil ? "list" : "get"
        case "POST": return "create"
        case "PUT": return "update"
        case "PATCH": return "patch"
        case "DELETE": return path.name == nil ? "deletecollection" : "delete"
        default: return method.lowercased()
        }
    }

    private func handleResource(_ request: APIRequest, path: ResourcePath, type: ResourceType) throws(APIError) -> APIOutcome {
        // Scope checks: a namespaced URL for a cluster-scoped kind, or an item of a namespaced kind without one.
        if !type.namespaced && path.namespace != nil { throw .pageNotFound }
        if type.namespaced && path.namespace == nil && path.name != nil { throw .pageNotFound }
        if let sub = path.subresource {
            let known = (sub == "status" && type.statusSubresource) || (sub == "scale" && type.scale != nil)
                || (type.strategy == .namespace && (sub == "status" || sub == "finalize"))
            guard known else { throw .pageNotFound }
        }
        let verb = Self.verb(method: request.method, path: path, query: request.query)
        try authorize(request.user, verb: verb, type: type, path: path)
        if path.legacyWatch || verb == "watch" {
            guard request.method == "GET" else { throw APIError.methodNotAllowed(verb, resource: type.plural, group: type.group) }
            return try watch(request, path: path, type: type)
        }
        switch (request.method, path.name, path.subresource) {
        case ("GET", nil, _): return try list(request, path: path, type: type)
        case ("GET", .some(let name), nil): return try get(request, path: path, type: type, name: name)
        case ("GET", .some(let name), "scale"): return try getScale(request, path: path, type: type, name: name)
        case ("GET", .some(let name), .some): return try get(request, path: path, type: type, name: name)
        case ("POST", nil, nil):
            guard path.namespace != nil || !type.namespaced else {
                throw APIError.methodNotAllowed(verb, resource: type.plural, group: type.group)
            }
            return try create(request, path: path, type: type)
        case ("PUT", .some(let name), "scale"): return try updateScale(request, path: path, type: type, name: name, patch: false)
        case ("PATCH", .some(let name), "scale"): return try updateScale(request, path: path, type: type, name: name, patch: true)
        case ("PUT", .some(let name), _): return try update(request, path: path, type: type, name: name)
        case ("PATCH", .some(let name), _): return try patch(request, path: path, type: type, name: name)
        case ("DELETE", .some(let name), nil): return try delete(request, path: path, type: type, name: name)
        case ("DELETE", nil, nil): return try deleteCollection(request, path: path, type: type)
        default:
            throw APIError.methodNotAllowed(verb, resource: type.plural, group: type.group)
        }
    }

    // MARK: Authorization

    private func authorize(_ user: UserInfo, verb: String, type: ResourceType, path: ResourcePath) throws(APIError) {
        guard let rules = user.rules else { return }
        let allowed = rules.contains {
            $0.allows(verb: verb, group: type.group, resource: type.plural, subresource: path.subresource,
                      namespace: path.namespace, name: path.name)
        }
        if allowed { return }
        let resource = path.subresource.map { "\(type.plural)/\($0)" } ?? type.plural
        let qualified = APIError.qualified(type.plural, type.group)
        let subject = path.name.map { "\(qualified) \"\($0)\"" } ?? qualified
        let scope = path.namespace.map { "in the namespace \"\($0)\"" } ?? "at the cluster scope"
        throw APIError.forbidden(
            message: "\(subject) is forbidden: User \"\(user.name)\" cannot \(verb) resource \"\(resource)\" in API group \"\(type.group)\" \(scope)",
            details: APIError.details(name: path.name, group: type.group, kind: type.plural))
    }

    private func authorizeNonResource(_ request: APIRequest) throws(APIError) {
        let user = request.user
        guard let rules = user.rules else { return }
        // Default RBAC (system:discovery, system:public-info-viewer) lets every authenticated user read these.
        if user.isAuthenticated { return }
        if case .health = RequestPath(request.path) { return }
        if RequestPath(request.path) == .version { return }
        if rules.contains(where: { $0.allows(verb: "get", nonResourcePath: request.path) }) { return }
        throw APIError.forbidden(
            message: "forbidden: User \"\(user.name)\" cannot get path \"\(request.path)\"", details: .emptyObject)
    }

    // MARK: Query helpers

    /// Go's `strconv.ParseBool`.
    static func parseBool(_ text: String?) -> Bool? {
        switch text {
        case "1", "t", "T", "TRUE", "true", "True": true
        case "0", "f", "F", "FALSE", "false", "False": false
        default: nil
        }
    }

    /// The fields a field selector may use for any object.
    static func selectableFields(_ object: JSONValue) -> [String: String] {
        [
            "metadata.name": object[path: ["metadata", "name"]]?.stringValue ?? "",
            "metadata.namespace": object[path: ["metadata", "namespace"]]?.stringValue ?? "",
        ]
    }

    /// The current time as `metav1.Time` text.
    var nowText: String { GoTime.formatSeconds(GoTime.Instant(settings.clock())) }

    // MARK: Watch signalling

    /// Registers a watcher's wake-up signal; returns its id and the stream of wake-ups.
    func registerWatcher(path: String) -> (Int, AsyncStream<Void>, WatchControl) {
        let (stream, continuation) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { state in
            state.nextWatchID += 1
            state.watchSignals[state.nextWatchID] = continuation
            return state.nextWatchID
        }
        let control = WatchControl(path: path, signal: continuation)
        watchControls.withLock { $0[id] = control }
        return (id, stream, control)
    }

    /// Forgets a watcher and finishes its wake-up stream.
    func unregisterWatcher(_ id: Int) {
        let continuation = state.withLock { $0.watchSignals.removeValue(forKey: id) }
        continuation?.finish()
        _ = watchControls.withLock { $0.removeValue(forKey: id) }
    }

    /// Wakes every watcher (after a commit).
    func signalWatchers() {
        let signals = state.withLock { Array($0.watchSignals.values) }
        for s in signals { s.yield(()) }
    }

    /// The open watches' controls (for fault injection).
    var openWatches: [WatchControl] { watchControls.withLock { Array($0.values) } }
}
