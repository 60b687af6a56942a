import Foundation
import JSONCore
import Synchronization
import TLSFixtures

/// A Kubernetes API server for tests: real HTTPS on 127.0.0.1 with a per-run CA, bearer-token auth with
/// RBAC-like rules, and kube-apiserver semantics (resourceVersions, status subresources, patches, server-side
/// apply, finalizers, list/watch with bookmarks and 410s, CRDs with structural schemas).
///
/// Each instance is independent, so tests running in parallel each start their own:
/// ```swift
/// let emulator = try await KubernetesEmulator.start()
/// defer { Task { await emulator.stop() } }
/// try await emulator.installCRD(yaml: crdText)
/// ```
public final class KubernetesEmulator: Sendable {
    /// How to start an emulator.
    public struct Configuration: Sendable {
        /// The port on 127.0.0.1; 0 picks a free one.
        public var port: Int = 0
        /// The admin token (random when `nil`).
        public var adminToken: String?
        /// More users to accept.
        public var users: [EmulatorUser] = []
        /// Namespaces to create besides `default`, `kube-system`, `kube-public` and `kube-node-lease`.
        public var namespaces: [String] = []
        /// Kinds to serve from the start (CRDs can also be installed later).
        public var resources: [ResourceDescription] = []
        /// The wall clock for server timestamps; tests may freeze it.
        public var clock: @Sendable () -> Date = { Date() }
        /// Multiplies every watch duration (`timeoutSeconds`, bookmark interval and tick); 0.02 makes a
        /// `timeoutSeconds=75` watch end after 1.5 s with bookmarks at the same relative times.
        public var watchTimeScale: Double = 1
        /// Interval of periodic BOOKMARK events (before scaling); a kube-apiserver uses one minute.
        public var bookmarkInterval: Duration = .seconds(60)
        /// Server-side timeout of watches that do not set `timeoutSeconds` (before scaling).
        public var defaultWatchTimeout: Duration = .seconds(1800)
        /// Delay until a created CustomResourceDefinition is Established and served.
        public var crdEstablishDelay: Duration = .milliseconds(50)
        /// Events the watch cache keeps before the oldest are evicted (watches from before them get 410).
        public var watchCacheCapacity: Int = 100_000
        /// Largest accepted request body (a kube-apiserver accepts 3 MiB).
        public var maxRequestBodyBytes: Int = 3 * 1024 * 1024
        /// Largest object the store keeps (etcd's default `--max-request-bytes`, 1.5 MiB); a bigger write fails
        /// with a 500 "etcdserver: request is too large", as on a real cluster.
        public var maxObjectBytes: Int = 1_572_864

        /// The defaults: a random port, a random admin token, real time, one-minute bookmarks.
        public init() {}
    }

    let pipeline: RequestPipeline
    private let server: EmulatorHTTPServer
    private let api: APIServer
    /// The CA certificate (PEM) that signed the server certificate: what clients must trust.
    public let caCertificatePEM: String
    /// A token of a user allowed everything (group `system:masters`).
    public let adminToken: String

    /// `https://127.0.0.1:<port>`.
    public var baseURL: String { "https://127.0.0.1:\(port)" }
    /// The listening port.
    public var port: Int { server.port }

    private init(pipeline: RequestPipeline, server: EmulatorHTTPServer, api: APIServer, caCertificatePEM: String, adminToken: String) {
        self.pipeline = pipeline
        self.server = server
        self.api = api
        self.caCertificatePEM = caCertificatePEM
        self.adminToken = adminToken
    }

    /// Starts an emulator: a fresh CA and server certificate, built-in namespaces and kinds, and the HTTPS
    /// listener.
    ///
    /// - Throws: `EmulatorError.startFailed` when certificates, TLS or the listener cannot be set up.
    public static func start(_ configuration: Configuration = Configuration()) async throws -> KubernetesEmulator {
        let ca: CertificateAuthority
        let leaf: IssuedCertificate
        do {
            ca = try CertificateAuthority()
            leaf = try ca.issue()
        } catch {
            throw EmulatorError.startFailed("certificates: \(error)")
        }
        let portBox = PortBox()
        let settings = ServerSettings(
            clock: configuration.clock, watchTimeScale: configuration.watchTimeScale,
            bookmarkInterval: configuration.bookmarkInterval, bookmarkTick: .seconds(1), bookmarkDeadlineLead: .seconds(2),
            defaultWatchTimeout: configuration.defaultWatchTimeout, crdEstablishDelay: configuration.crdEstablishDelay,
            maxRequestBodyBytes: configuration.maxRequestBodyBytes, maxObjectBytes: configuration.maxObjectBytes,
            watchCacheCapacity: configuration.watchCacheCapacity,
            serverAddress: { "127.0.0.1:\(portBox.value)" })
        let api = APIServer(settings: settings)
        let pipeline = RequestPipeline(api: api, clock: configuration.clock)
        let adminToken = configuration.adminToken ?? Self.randomToken()
        pipeline.addUser(.admin(token: adminToken))
        for user in configuration.users { pipeline.addUser(user) }
        let server = try EmulatorHTTPServer(pipeline: pipeline, certificatePEM: leaf.certificatePEM, privateKeyPEM: leaf.privateKeyPEM)
        let emulator = KubernetesEmulator(pipeline: pipeline, server: server, api: api, caCertificatePEM: ca.certificatePEM,
                                          adminToken: adminToken)
        for namespace in ["default", "kube-system", "kube-public", "kube-node-lease"] + configuration.namespaces {
            try emulator.createNamespace(namespace)
        }
        for resource in configuration.resources { emulator.register(resource) }
        // The watch cache starts here, like a kube-apiserver's after its initial list.
        api.state.withLock { $0.store.startWatchWindowHere() }
        let port = try await server.start(port: configuration.port)
        portBox.set(port)
        return emulator
    }

    /// Stops the server; open watches end.
    public func stop() async {
        await server.stop()
    }

    /// A random bearer token.
    static func randomToken() -> String {
        (0..<4).map { _ in String(UInt64.random(in: .min ... .max), radix: 36) }.joined()
    }

    // MARK: Users

    /// Accepts another user (replacing any user with the same token).
    public func addUser(_ user: EmulatorUser) { pipeline.addUser(user) }

    /// Forgets a token (requests with it then get 401).
    public func removeUser(token: String) { pipeline.removeUser(token: token) }

    // MARK: Kinds and namespaces

    /// Serves a kind from a description (without a CRD object).
    public func register(_ description: ResourceDescription) {
        let type = ResourceType(description: description)
        api.state.withLock { $0.types[type.key] = type }
    }

    /// Creates a namespace (no error when it already exists).
    public func createNamespace(_ name: String) throws {
        let response = perform("POST", GroupVersionResource.namespaces.path(),
                               body: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]])
        if response.status != 201 && response.status != 409 {
            throw EmulatorError.requestFailed(status: response.status, message: response.message)
        }
    }

    /// Installs CustomResourceDefinitions from YAML (one or several `---`-separated documents), exactly as
    /// `kubectl apply` would POST them, and waits until each is Established.
    public func installCRD(yaml: String) async throws {
        for document in try YAMLConversion.parseAll(yaml) {
            try await installCRD(document)
        }
    }

    /// The documents of a multi-document YAML text as JSON values, converted as the emulator converts manifests.
    public static func yamlDocuments(_ yaml: String) throws -> [JSONValue] {
        try YAMLConversion.parseAll(yaml)
    }

    /// Installs one CustomResourceDefinition (JSON form) and waits until it is Established.
    public func installCRD(_ crd: JSONValue) async throws {
        let response = perform("POST", GroupVersionResource.customResourceDefinitions.path(), body: crd)
        guard response.status == 201 else { throw EmulatorError.requestFailed(status: response.status, message: response.message) }
        let name = crd[path: ["metadata", "name"]]?.stringValue ?? ""
        for _ in 0..<500 {
            if let stored = object(.customResourceDefinitions, name: name), CRDSupport.isEstablished(stored) { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw EmulatorError.notEstablished(name)
    }

    // MARK: Direct state access

    /// The current resourceVersion (the revision of the last write).
    public var resourceVersion: String { api.state.withLock { String($0.store.revision) } }

    /// An object as a GET would return it, or `nil`.
    public func object(_ resource: GroupVersionResource, namespace: String? = nil, name: String) -> JSONValue? {
        let response = perform("GET", resource.path(namespace: namespace, name: name))
        return response.status == 200 ? response.body : nil
    }

    /// The items a LIST would return (all namespaces when `namespace` is `nil`).
    public func objects(_ resource: GroupVersionResource, namespace: String? = nil, labelSelector: String? = nil) -> [JSONValue] {
        var query: [String: String] = [:]
        if let labelSelector { query["labelSelector"] = labelSelector }
        return perform("GET", resource.path(namespace: namespace), query: query).body?["items"]?.arrayValue ?? []
    }

    /// Runs one request in-process as the admin (no HTTP, no faults, not logged) and returns the answer.
    /// Watches are not supported here.
    public func perform(_ method: String, _ path: String, query: [String: String] = [:], body: JSONValue? = nil,
                        contentType: String = "application/json") -> EmulatorResponse {
        perform(method, path, query: query, rawBody: body.map { GoJSONWriter.sorted.data($0) } ?? Data(),
                contentType: body == nil ? nil : contentType)
    }

    /// Runs one request in-process as the admin with a raw body (YAML for apply patches, say).
    public func perform(_ method: String, _ path: String, query: [String: String] = [:], rawBody: Data,
                        contentType: String?) -> EmulatorResponse {
        let request = APIRequest(method: method, path: path, query: query, rawQuery: "", contentType: contentType,
                                 userAgent: "kubernetes-emulator", body: rawBody, user: .admin)
        switch api.handle(request) {
        case .response(let r):
            return EmulatorResponse(status: r.status, data: r.body, warnings: r.warnings)
        case .watch:
            return EmulatorResponse(status: 400, data: Data(#"{"message":"watch is not supported in-process"}"#.utf8), warnings: [])
        }
    }

    /// Creates an object in-process (as admin) and returns it as stored.
    @discardableResult
    public func create(_ resource: GroupVersionResource, namespace: String? = nil, _ object: JSONValue) throws -> JSONValue {
        let response = perform("POST", resource.path(namespace: namespace), body: object)
        guard response.status == 201, let body = response.body else {
            throw EmulatorError.requestFailed(status: response.status, message: response.message)
        }
        return body
    }

    // MARK: History

    /// Compacts history at the current revision: exact-revision lists and continue tokens from before it get
    /// 410, and (unless `keepingWatchCache`) so do watches from older resourceVersions — clients must relist.
    public func compact(keepingWatchCache: Bool = false) {
        api.state.withLock { $0.store.compact(keepingWatchCache: keepingWatchCache) }
    }

    // MARK: Request log

    /// Every request received over HTTP so far, in order.
    public var requestLog: [RequestLogEntry] { pipeline.log }

    /// Empties the request log.
    public func clearRequestLog() { pipeline.clearLog() }

    // MARK: Faults

    /// Fails matching requests with `rule.status` and a Status body (plus `Retry-After` when set).
    public func inject(_ rule: FaultRule) { pipeline.addFault(rule) }

    /// Delays matching requests.
    public func addLatency(_ rule: LatencyRule) { pipeline.addLatency(rule) }

    /// Removes all failure and latency rules.
    public func clearFaults() { pipeline.clearFaults() }

    /// Ends open watch streams whose path starts with `pathPrefix` (all when `nil`), at once or after
    /// `afterEvents` more events. The server ends them cleanly, as when it closes a watch itself.
    public func dropWatches(pathPrefix: String? = nil, afterEvents: Int = 0) {
        for control in api.openWatches where pathPrefix.map({ control.path.hasPrefix($0) }) ?? true {
            control.requestDrop(afterEvents: afterEvents)
        }
    }

    /// The number of watch streams currently open.
    public var openWatchCount: Int { api.openWatches.count }

    /// Stops listening (connections are refused and open ones closed) until `resumeListening()`.
    public func stopListening() async {
        await server.stop()
    }

    /// Listens again on the same port.
    public func resumeListening() async throws {
        _ = try await server.start(port: port)
    }
}

/// Holds the port for discovery documents once it is known.
private final class PortBox: Sendable {
    private let storage = Mutex(0)
    /// The port (0 until the server listens).
    var value: Int { storage.withLock { $0 } }
    /// Records the port.
    func set(_ v: Int) { storage.withLock { $0 = v } }
}
