import ControllerRuntime
import FlinkJobOperator
import FlinkTestSupport
import Foundation
import JSONCore
import Kubernetes
import KubernetesEmulator
import LocalMode
import Logging
import Testing

/// The two implementations of `ObjectAPI` the operator runs on, each with the writes a *user* makes (which are
/// not part of `ObjectAPI`: on Kubernetes they are API calls by kubectl, in local mode edits of manifest files).
enum ContractBackendKind: String, CaseIterable, CustomTestStringConvertible, Sendable {
    /// `KubernetesObjectAPI` over HTTPS against the Kubernetes API emulator with the project's CRDs.
    case kubernetes
    /// `LocalObjectAPI` on local mode's SQLite store fed from manifest files.
    case local

    var testDescription: String { rawValue }

    func start() async throws -> any ContractBackend {
        switch self {
        case .kubernetes: try await EmulatorBackend.start()
        case .local: try LocalBackend()
        }
    }
}

/// One backend under test.
protocol ContractBackend: Sendable {
    /// The API the runtime uses.
    var api: AnyObjectAPI<FlinkJob> { get }
    /// Creates FlinkJob `name` in `default` (a user's create / a new manifest).
    func create(_ name: String, labels: [String: String], args: [String]) async throws
    /// Changes the spec's args (a user's edit).
    func edit(_ name: String, args: [String]) async throws
    /// Deletes the FlinkJob (a user's delete / a removed manifest).
    func delete(_ name: String) async throws
    /// Forgets the change history, so watches from any earlier version get 410 Gone.
    func compact() async throws
    /// Releases everything.
    func stop() async
}

extension ContractBackend {
    func create(_ name: String, labels: [String: String] = [:], args: [String] = ["--rate", "5"]) async throws {
        try await create(name, labels: labels, args: args)
    }
}

/// The emulator behind the real Kubernetes client.
struct EmulatorBackend: ContractBackend {
    let emulator: KubernetesEmulator
    let client: KubernetesClient
    let directory: URL
    let api: AnyObjectAPI<FlinkJob>

    static func start() async throws -> EmulatorBackend {
        let emulator = try await KubernetesEmulator.start(KubernetesEmulator.Configuration())
        let root = try FlinkTestCluster.repositoryRoot()
        try await emulator.installCRD(yaml: try String(contentsOf: root.appendingPathComponent("crds/flinkjob.yaml"), encoding: .utf8))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("contract-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let kubeconfig = directory.appendingPathComponent("kubeconfig")
        try emulator.writeKubeconfig(to: kubeconfig, namespace: "default")
        let logger = Logger.quiet
        let client = try KubernetesClient(
            configuration: try KubernetesConfiguration.kubeconfig(environment: ["KUBECONFIG": kubeconfig.path], logger: logger),
            logger: logger)
        return EmulatorBackend(emulator: emulator, client: client, directory: directory,
                               api: AnyObjectAPI(KubernetesObjectAPI<FlinkJob>(client: client)))
    }

    private static let path = "/apis/flink.jobcontroller.io/v1alpha1/namespaces/default/flinkjobs"

    private func check(_ response: EmulatorResponse, _ expected: Int...) throws {
        guard expected.contains(response.status) else {
            throw EmulatorError.requestFailed(status: response.status, message: response.message)
        }
    }

    func create(_ name: String, labels: [String: String], args: [String]) async throws {
        let body: JSONValue = [
            "apiVersion": "flink.jobcontroller.io/v1alpha1", "kind": "FlinkJob",
            "metadata": ["name": .string(name), "labels": .object(labels.mapValues(JSONValue.string))],
            "spec": ["artifact": ["jar": ["uri": "file:///opt/none/job.jar", "entryClass": "io.jobcontroller.testjobs.StreamingJob"]],
                     "args": .array(args.map(JSONValue.string))],
        ]
        try check(emulator.perform("POST", Self.path, body: body), 201)
    }

    func edit(_ name: String, args: [String]) async throws {
        try check(emulator.perform("PATCH", "\(Self.path)/\(name)", body: ["spec": ["args": .array(args.map(JSONValue.string))]],
                                   contentType: "application/merge-patch+json"), 200)
    }

    func delete(_ name: String) async throws {
        try check(emulator.perform("DELETE", "\(Self.path)/\(name)"), 200)
    }

    func compact() async throws {
        emulator.compact(keepingWatchCache: false)
    }

    func stop() async {
        await client.shutdown()
        await emulator.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Local mode's store, written through manifests like `flink-job-controller run --local` does.
final class LocalBackend: ContractBackend {
    let sandbox: LocalSandbox
    let store: LocalStore
    let api: AnyObjectAPI<FlinkJob>

    init() throws {
        sandbox = try LocalSandbox()
        store = try sandbox.store()
        api = AnyObjectAPI(try LocalObjectAPI<FlinkJob>(store: store))
    }

    func create(_ name: String, labels: [String: String], args: [String]) async throws {
        try sandbox.writeManifest("\(name).yaml", Manifests.job(name, args: args, labels: labels))
        try store.sync(sandbox.loader().load())
    }

    func edit(_ name: String, args: [String]) async throws {
        let labels = try store.job(name).labels
        try sandbox.writeManifest("\(name).yaml", Manifests.job(name, args: args, labels: labels))
        try store.sync(sandbox.loader().load())
    }

    func delete(_ name: String) async throws {
        try sandbox.removeManifest("\(name).yaml")
        try store.sync(sandbox.loader().load())
    }

    func compact() async throws {
        try store.compactHistory(keepingLast: 0)
    }

    func stop() async {
        store.close()
    }
}
