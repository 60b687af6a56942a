import FlinkJobOperator
import FlinkREST
import FlinkTestSupport
import Foundation
import Kubernetes
import KubernetesEmulator
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// The emulator, two FlinkSessionClusters (direct and through the recording proxy) and the operator binary.
struct BenchWorld: Sendable {
    static let namespace = "bench"

    let emulator: KubernetesEmulator
    let kubernetes: KubernetesClient
    let directory: URL
    let operatorPID: Int32
    let logFile: URL
    let root: URL

    var jobs: ResourceClient<FlinkJob> { kubernetes.resources(FlinkJob.self, namespace: Self.namespace) }

    static func start(
        clusters clusterURLs: [(name: String, url: String)], binary: String, root: URL, logLevel: String = "info"
    ) async throws -> BenchWorld {
        var configuration = KubernetesEmulator.Configuration()
        configuration.namespaces = [namespace, "flink-system"]
        let emulator = try await KubernetesEmulator.start(configuration)
        for file in ["flinkjob.yaml", "flinksessioncluster.yaml"] {
            try await emulator.installCRD(yaml: try String(contentsOf: root.appendingPathComponent("crds/\(file)"), encoding: .utf8))
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("operator-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let kubeconfig = directory.appendingPathComponent("kubeconfig")
        try emulator.writeKubeconfig(to: kubeconfig, namespace: namespace)
        let logger = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let kubernetes = try KubernetesClient(
            configuration: try KubernetesConfiguration.kubeconfig(environment: ["KUBECONFIG": kubeconfig.path], logger: logger),
            logger: logger)
        let clusters = kubernetes.resources(FlinkSessionCluster.self, namespace: nil)
        for cluster in clusterURLs {
            _ = try await clusters.create(FlinkSessionCluster(metadata: ObjectMeta(name: cluster.name), spec: .init(restURL: cluster.url)))
        }

        let logFile = directory.appendingPathComponent("operator.log")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let output = try FileHandle(forWritingTo: logFile)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "run", "--kubeconfig", kubeconfig.path, "--namespace", namespace, "--no-leader-elect",
            "--listen", "127.0.0.1:0", "--log-level", logLevel,
            "--artifact-dir", root.appendingPathComponent("testjobs/build").path,
            "--artifact-cache", directory.appendingPathComponent("cache").path,
            "--secret-namespace", "flink-system",
        ]
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let world = BenchWorld(
            emulator: emulator, kubernetes: kubernetes, directory: directory, operatorPID: process.processIdentifier,
            logFile: logFile, root: root)
        // Every cluster probed Ready before measuring.
        for name in clusterURLs.map(\.name) {
            try await poll("cluster \(name) Ready", timeout: .seconds(60), retryErrors: true) {
                try await clusters.get(name).status?.conditions?.first { $0.type == "Ready" }?.status == .true
            }
        }
        return world
    }

    func job(_ name: String, cluster: String) -> FlinkJob {
        var spec = FlinkJobSpec(
            clusterRef: .init(name: cluster),
            artifact: .init(jar: .init(
                uri: "file://\(root.appendingPathComponent("testjobs/build/testjobs.jar").path)",
                entryClass: FlinkTestJobs.streamingJobClass)),
            args: ["--rate", "5", "--checkpoint-interval", "1000"], parallelism: 1)
        spec.deletePolicy = .cancel
        return FlinkJob(metadata: ObjectMeta(name: name, namespace: Self.namespace), spec: spec)
    }

    /// Creates a FlinkJob on the direct cluster and waits until Flink runs every task of it; then deletes it.
    func operatorDeploy(name: String, rest: FlinkRESTClient) async throws -> Double {
        let start = ContinuousClock.now
        let created = try await jobs.create(job(name, cluster: "direct"))
        guard let uid = created.metadata.uid, let id = FlinkJobID(DeploymentIdentity.jobID(uid: uid, sequence: 1)) else {
            throw OperatorBenchmarkError.step("created FlinkJob has no uid")
        }
        try await Stats.waitAllRunning(rest: rest, id: id)
        let elapsed = start.duration(to: .now).seconds
        try await delete(name: name)
        return elapsed
    }

    /// Creates a FlinkJob on the proxied cluster; returns when the create call returned and the object's uid.
    func createProxied(name: String) async throws -> (ContinuousClock.Instant, String) {
        let created = try await jobs.create(job(name, cluster: "proxied"))
        let returned = ContinuousClock.now
        guard let uid = created.metadata.uid else { throw OperatorBenchmarkError.step("created FlinkJob has no uid") }
        return (returned, uid)
    }

    func delete(name: String) async throws {
        _ = try await jobs.delete(name)
        try await poll("FlinkJob \(name) gone", timeout: .seconds(60)) {
            do {
                _ = try await jobs.get(name)
                return false
            } catch let error as KubernetesError where error.isNotFound {
                return true
            }
        }
    }

    /// The operator process's resident memory in bytes (`VmRSS` from `/proc`).
    var operatorRSS: Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(operatorPID)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return nil }
        return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }.map { $0 * 1024 }
    }

    /// The operator process's CPU time in seconds (user + system, from `/proc/<pid>/stat`).
    var operatorCPUSeconds: Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(operatorPID)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    func operatorLogTail() -> String {
        ((try? String(contentsOf: logFile, encoding: .utf8)) ?? "").split(separator: "\n").suffix(30).joined(separator: "\n")
    }

    func stop() async {
        kill(operatorPID, SIGTERM)
        try? await Task.sleep(for: .seconds(2))
        await kubernetes.shutdown()
        await emulator.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}
