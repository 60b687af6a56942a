import ControllerRuntime
import Foundation
import HTTPTransport
import JSONCore
import Kubernetes
import KubernetesEmulator
import Logging

/// A `Widget`: a small namespaced custom kind with a status subresource, served by the emulator for these tests.
struct Widget: KubernetesResource, HasSpec, HasStatus, Hashable {
    static let group = "test.jobcontroller.io"
    static let version = "v1"
    static let kind = "Widget"
    static let plural = "widgets"
    static let scope = ResourceScope.namespaced

    struct Spec: Codable, Sendable, Hashable {
        var size: Int
        var color: String?
    }

    struct Status: Codable, Sendable, Hashable {
        var phase: String?
        var observedSize: Int?
        var note: String?
        var conditions: [Condition]?
    }

    var metadata: ObjectMeta
    var spec: Spec
    var status: Status?

    static let resource = GroupVersionResource(group: group, version: version, resource: plural)

    /// The emulator's description of the kind (no schema: every field is kept as sent, so tests can store
    /// objects the Swift type cannot decode).
    static let description = ResourceDescription(
        group: group, version: version, plural: plural, singular: "widget", kind: kind, hasStatusSubresource: true)

    /// The JSON of a widget, as a test creates it.
    static func json(_ name: String, namespace: String = "default", size: JSONValue = 1, labels: [String: String] = [:])
        -> JSONValue
    {
        var metadata: JSONValue = ["name": .string(name), "namespace": .string(namespace)]
        if !labels.isEmpty { metadata["labels"] = .object(labels.mapValues(JSONValue.string)) }
        return ["apiVersion": "test.jobcontroller.io/v1", "kind": "Widget", "metadata": metadata, "spec": ["size": size]]
    }
}

/// An emulator serving `Widget`s plus a real client (libcurl, HTTPS, token) talking to it.
struct TestEnvironment {
    let emulator: KubernetesEmulator
    let client: KubernetesClient
    let logger: Logger

    static func start(
        namespaces: [String] = ["team-a", "team-b"],
        _ configure: (inout KubernetesEmulator.Configuration) -> Void = { _ in }
    ) async throws -> TestEnvironment {
        var configuration = KubernetesEmulator.Configuration()
        configuration.namespaces = namespaces
        configuration.resources = [Widget.description]
        configure(&configuration)
        let emulator = try await KubernetesEmulator.start(configuration)
        var logger = Logger(label: "controller-runtime-test")
        logger.logLevel = ProcessInfo.processInfo.environment["TEST_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .critical
        let kubeConfiguration = KubernetesConfiguration(
            server: emulator.baseURL, tls: TLSConfiguration(trustRoots: .pem(emulator.caCertificatePEM)),
            authentication: .bearer(StaticBearerToken(emulator.adminToken)), requestTimeout: .seconds(10))
        let client = try KubernetesClient(configuration: kubeConfiguration, logger: logger, watchIdleTimeout: .seconds(120))
        return TestEnvironment(emulator: emulator, client: client, logger: logger)
    }

    var widgets: KubernetesObjectAPI<Widget> { KubernetesObjectAPI(client: client) }

    /// Creates a widget in-process (not through the client) and returns its resourceVersion.
    @discardableResult
    func createWidget(_ name: String, namespace: String = "default", size: JSONValue = 1, labels: [String: String] = [:])
        throws -> JSONValue
    {
        try emulator.create(Widget.resource, namespace: namespace, Widget.json(name, namespace: namespace, size: size, labels: labels))
    }

    /// Merge-patches a widget's spec in-process.
    func setSize(_ name: String, namespace: String = "default", _ size: JSONValue) throws {
        let response = emulator.perform(
            "PATCH", Widget.resource.path(namespace: namespace, name: name), body: ["spec": ["size": size]],
            contentType: "application/merge-patch+json")
        guard response.status == 200 else { throw TestFailure("patch answered \(response.status)") }
    }

    /// Deletes a widget in-process.
    func deleteWidget(_ name: String, namespace: String = "default") throws {
        let response = emulator.perform("DELETE", Widget.resource.path(namespace: namespace, name: name))
        guard response.status == 200 else { throw TestFailure("delete answered \(response.status)") }
    }

    /// The server's widgets as (key, resourceVersion) pairs.
    func serverWidgets(namespace: String? = nil) -> [String: String] {
        var result: [String: String] = [:]
        for item in emulator.objects(Widget.resource, namespace: namespace) {
            let ns = item[path: ["metadata", "namespace"]]?.stringValue ?? ""
            let name = item[path: ["metadata", "name"]]?.stringValue ?? ""
            result["\(ns)/\(name)"] = item[path: ["metadata", "resourceVersion"]]?.stringValue ?? ""
        }
        return result
    }

    func stop() async {
        await client.shutdown()
        await emulator.stop()
    }
}

/// A failure inside test support.
struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
func eventually(
    timeout: Duration = .seconds(10), every interval: Duration = .milliseconds(20), _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return try await condition()
}

/// The cache's widgets as (key, resourceVersion) pairs.
func cachedWidgets(_ store: Store<Widget>) -> [String: String] {
    var result: [String: String] = [:]
    for widget in store.list() {
        result["\(widget.metadata.namespace ?? "")/\(widget.metadata.name ?? "")"] = widget.metadata.resourceVersion ?? ""
    }
    return result
}
