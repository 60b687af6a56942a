import FlinkJobOperator
import FlinkREST
import FlinkTestSupport
import Foundation
import JSONCore
import Kubernetes
import KubernetesEmulator
import Logging
import Synchronization

/// One end-to-end world: a Kubernetes API emulator (HTTPS, the project's CRDs installed, a FlinkSessionCluster
/// pointing at a real Flink session cluster), a kubeconfig for the operator binary, and clients for assertions.
struct EndToEndEnvironment: Sendable {
    static let namespace = "team-a"
    static let operatorNamespace = "flink-system"

    let emulator: KubernetesEmulator
    let directory: URL
    /// The administrator's kubeconfig (the tests' own view, and kubectl's).
    let kubeconfig: URL
    /// The operator's: its ServiceAccount with the shipped RBAC rules only (`OperatorIdentity`).
    let operatorKubeconfig: URL
    let flink: FlinkTestCluster
    let flinkClient: FlinkRESTClient
    let kubernetes: KubernetesClient
    let root: URL

    var jobs: ResourceClient<FlinkJob> { kubernetes.resources(FlinkJob.self, namespace: Self.namespace) }
    var clusters: ResourceClient<FlinkSessionCluster> { kubernetes.resources(FlinkSessionCluster.self, namespace: nil) }

    /// Starts the emulator and registers `flink` as the FlinkSessionCluster `default`.
    static func start(flink: FlinkTestCluster, probeInterval: String = "2s", clock: SteppedClock? = nil) async throws
        -> EndToEndEnvironment
    {
        let root = try FlinkTestCluster.repositoryRoot()
        var configuration = KubernetesEmulator.Configuration()
        configuration.namespaces = [namespace, operatorNamespace]
        configuration.users = [try OperatorIdentity.user(root: root)]
        if let clock { configuration.clock = { clock.now } }
        let emulator = try await KubernetesEmulator.start(configuration)
        for file in ["flinkjob.yaml", "flinksessioncluster.yaml"] {
            try await emulator.installCRD(
                yaml: try String(contentsOf: root.appendingPathComponent("crds/\(file)"), encoding: .utf8))
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let kubeconfig = directory.appendingPathComponent("kubeconfig")
        try emulator.writeKubeconfig(to: kubeconfig, namespace: namespace)
        let operatorKubeconfig = directory.appendingPathComponent("operator-kubeconfig")
        try emulator.writeKubeconfig(to: operatorKubeconfig, token: OperatorIdentity.token, namespace: namespace)
        let logger = Logger(label: "e2e", factory: { _ in SwiftLogNoOpLogHandler() })
        let kubernetes = try KubernetesClient(
            configuration: try KubernetesConfiguration.kubeconfig(environment: ["KUBECONFIG": kubeconfig.path], logger: logger),
            logger: logger)
        let environment = EndToEndEnvironment(
            emulator: emulator, directory: directory, kubeconfig: kubeconfig, operatorKubeconfig: operatorKubeconfig,
            flink: flink,
            flinkClient: try flink.restClient(), kubernetes: kubernetes, root: root)
        _ = try await environment.clusters.create(FlinkSessionCluster(
            metadata: ObjectMeta(name: "default"),
            spec: FlinkSessionClusterSpec(
                restURL: flink.restURL, probe: .init(interval: probeInterval, timeout: "2s", failureThreshold: 2, openDuration: "3s"))))
        return environment
    }

    func stop() async {
        await kubernetes.shutdown()
        await emulator.stop()
        // FJC_E2E_KEEP=1 keeps the directory (operator logs, savepoints) for debugging.
        if ProcessInfo.processInfo.environment["FJC_E2E_KEEP"] != "1" {
            try? FileManager.default.removeItem(at: directory)
        }
    }

    // MARK: Manifests

    /// A checkpointed streaming job running the test jobs' `StreamingJob`.
    func streamingJob(
        _ name: String, args: [String] = ["--rate", "5", "--checkpoint-interval", "500"], parallelism: Int = 1,
        upgradeMode: FlinkJobSpec.UpgradeMode = .savepoint, digest: String? = nil
    ) -> FlinkJob {
        var spec = FlinkJobSpec(
            artifact: .init(
                jar: .init(uri: "file://\(testJobsJar)", entryClass: FlinkTestJobs.streamingJobClass), digest: digest),
            args: args, parallelism: parallelism, upgradeMode: upgradeMode)
        spec.savepoints = .init(directory: "file://\(directory.path)/savepoints/\(name)")
        spec.restartStrategy = .init(type: .fixedDelay, attempts: 100, delay: "1s")
        return FlinkJob(metadata: ObjectMeta(name: name, namespace: Self.namespace), spec: spec)
    }

    /// A batch job running the test jobs' `BatchJob`.
    func batchJob(_ name: String, args: [String] = ["--records", "2000"], batch: FlinkJobSpec.Batch = .init()) -> FlinkJob {
        var spec = FlinkJobSpec(
            type: .batch,
            artifact: .init(jar: .init(uri: "file://\(testJobsJar)", entryClass: FlinkTestJobs.batchJobClass)),
            args: args, parallelism: 1)
        spec.batch = batch
        spec.recovery = .init(onFailure: .never, backoffLimit: 0)
        return FlinkJob(metadata: ObjectMeta(name: name, namespace: Self.namespace), spec: spec)
    }

    var testJobsJar: String { root.appendingPathComponent("testjobs/build/testjobs.jar").path }

    /// A FlinkJob name unique to this test run: Flink keeps finished jobs (and their names) in its history, so
    /// reusing a name across runs on the shared cluster would mix their jobs up.
    static func uniqueName(_ base: String) -> String {
        "\(base)-\(UUID().uuidString.prefix(6).lowercased())"
    }

    /// Whether two filesystem URIs name the same path (`file:/x`, `file:///x` and `/x` are the same).
    static func samePath(_ a: String, _ b: String) -> Bool {
        func normalized(_ path: String) -> String {
            var text = path.hasPrefix("file:") ? String(path.dropFirst(5)) : path
            while text.hasPrefix("//") { text.removeFirst() }
            while text.hasSuffix("/") { text.removeLast() }
            return text
        }
        return normalized(a) == normalized(b)
    }

    // MARK: Editing

    /// Changes the FlinkJob's spec as `kubectl edit` would: read, change, replace, and again on a conflict (the
    /// operator writes the object too: finalizers, status).
    @discardableResult
    func editSpec(_ name: String, _ change: @Sendable (inout FlinkJobSpec) -> Void) async throws -> FlinkJob {
        var attempt = 0
        while true {
            var job = try await jobs.get(name)
            change(&job.spec)
            do {
                return try await jobs.replace(job)
            } catch let error as KubernetesError where error.isConflict && attempt < 10 {
                attempt += 1
            }
        }
    }

    // MARK: Waiting

    /// Polls the FlinkJob until `check` returns a value.
    @discardableResult
    func waitFor<Value: Sendable>(
        _ name: String, _ what: String, timeout: Duration = .seconds(90), _ check: @escaping @Sendable (FlinkJob) -> Value?
    ) async throws -> Value {
        try await poll("\(name): \(what)", timeout: timeout, interval: .milliseconds(250), retryErrors: true) {
            check(try await jobs.get(name))
        }
    }

    /// Waits until the FlinkJob is Ready for its current generation.
    @discardableResult
    func waitUntilReady(_ name: String, timeout: Duration = .seconds(90)) async throws -> FlinkJob {
        try await waitFor(name, "Ready=True", timeout: timeout) { job in
            guard let ready = job.status?.conditions?.first(where: { $0.type == "Ready" }), ready.status == .true,
                job.status?.observedGeneration == job.metadata.generation
            else { return nil }
            return job
        }
    }

    /// The Flink jobs the operator submitted for FlinkJob `name` (by the `pipeline.name` it sets).
    func flinkJobs(named name: String) async throws -> [JobOverview] {
        try await flinkClient.jobsOverview().filter { $0.name == "\(Self.namespace)/\(name)" }
    }

    /// The reasons of the events the operator recorded about FlinkJob `name`.
    func eventReasons(for name: String) -> [String] {
        emulator.objects(.eventsV1, namespace: Self.namespace)
            .filter { $0[path: ["regarding", "name"]]?.stringValue == name }
            .compactMap { $0[path: ["reason"]]?.stringValue }
    }

    /// Registers another FlinkSessionCluster (e.g. one reached through a test proxy).
    func addCluster(named name: String, restURL: String) async throws {
        _ = try await clusters.create(FlinkSessionCluster(
            metadata: ObjectMeta(name: name),
            spec: FlinkSessionClusterSpec(
                restURL: restURL, probe: .init(interval: "2s", timeout: "2s", failureThreshold: 2, openDuration: "3s"))))
    }

    /// Cancels whatever Flink still runs for `name` (test cleanup).
    func cancelFlinkJobs(named name: String) async {
        for job in (try? await flinkJobs(named: name)) ?? [] where !job.state.isGloballyTerminal {
            try? await flinkClient.cancelJob(job.id)
        }
    }
}

/// A wall clock the test moves by hand, shared with the emulator (creation timestamps) and the operator binary
/// (through the file named by `FJC_TEST_CLOCK_FILE`), so cron schedules can be stepped through in seconds.
final class SteppedClock: Sendable {
    let file: URL
    private let current: Mutex<Date>

    init(directory: URL, start: Date) throws {
        file = directory.appendingPathComponent("clock-\(UUID().uuidString.prefix(8))")
        current = Mutex(start)
        try write(start)
    }

    var now: Date { current.withLock { $0 } }

    /// Sets the time (the operator sees it at its next reconcile).
    func set(_ date: Date) throws {
        current.withLock { $0 = date }
        try write(date)
    }

    private func write(_ date: Date) throws {
        try Data(String(date.timeIntervalSince1970).utf8).write(to: file, options: .atomic)
    }
}
