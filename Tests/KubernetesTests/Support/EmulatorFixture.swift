import Foundation
import HTTPTransport
import JSONCore
import Kubernetes
import KubernetesEmulator
import Logging

/// A running emulator serving the FlinkJob-like kinds of the conformance transcripts, plus a client that talks
/// to it over HTTPS with the admin token and the emulator's CA.
struct EmulatorFixture {
    let emulator: KubernetesEmulator
    let client: KubernetesClient
    let logs: LogRecorder

    /// The namespaced, status+scale FlinkJob kind.
    static let flinkJobs = ResourceDescription(
        group: "flink.jobcontroller.io", version: "v1alpha1", plural: "flinkjobs", singular: "flinkjob",
        kind: "FlinkJob", shortNames: ["fj"], hasStatusSubresource: true,
        scale: .init(specReplicasPath: ".spec.parallelism", statusReplicasPath: ".status.parallelism"))
    /// The cluster-scoped FlinkSessionCluster kind.
    static let sessionClusters = ResourceDescription(
        group: "flink.jobcontroller.io", version: "v1alpha1", plural: "flinksessionclusters",
        singular: "flinksessioncluster", kind: "FlinkSessionCluster", scope: .cluster, hasStatusSubresource: true)

    /// Starts an emulator (`team-a`, `team-b` namespaces, both kinds) and a client for it; runs `body`; stops both.
    static func with<T>(
        configure: (inout KubernetesEmulator.Configuration) -> Void = { _ in },
        _ body: (EmulatorFixture) async throws -> T
    ) async throws -> T {
        var configuration = KubernetesEmulator.Configuration()
        configuration.namespaces = ["team-a", "team-b"]
        configuration.resources = [flinkJobs, sessionClusters]
        configure(&configuration)
        let emulator = try await KubernetesEmulator.start(configuration)
        let logs = LogRecorder()
        let client: KubernetesClient
        do {
            client = try KubernetesClient(
                configuration: clientConfiguration(for: emulator, token: emulator.adminToken), logger: logs.logger())
        } catch {
            await emulator.stop()
            throw error
        }
        let fixture = EmulatorFixture(emulator: emulator, client: client, logs: logs)
        do {
            let result = try await body(fixture)
            await client.shutdown()
            await emulator.stop()
            return result
        } catch {
            await client.shutdown()
            await emulator.stop()
            throw error
        }
    }

    /// HTTPS with the emulator's CA and a static bearer token.
    static func clientConfiguration(for emulator: KubernetesEmulator, token: String?) -> KubernetesConfiguration {
        KubernetesConfiguration(
            server: emulator.baseURL, tls: TLSConfiguration(trustRoots: .pem(emulator.caCertificatePEM)),
            authentication: token.map { .bearer(StaticBearerToken($0)) }, namespace: "default")
    }

    /// FlinkJobs in `namespace`.
    func jobs(_ namespace: String? = "default") -> ResourceClient<TestJob> {
        client.resources(TestJob.self, namespace: namespace)
    }
}

/// Thrown when a test waits too long for something asynchronous.
struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Runs `operation` with a deadline (generous: only catches hangs).
func withDeadline<T: Sendable>(
    _ what: String, seconds: Double = 20, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            throw TimedOut(what: what)
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw TimedOut(what: what) }
        return first
    }
}

extension WatchEventStream {
    /// Reads exactly `count` events (fails on a timeout or an early end).
    func first(_ count: Int, seconds: Double = 20) async throws -> [WatchEvent<Object>] {
        try await withDeadline("\(count) watch events", seconds: seconds) {
            var events: [WatchEvent<Object>] = []
            for try await event in self {
                events.append(event)
                if events.count == count { break }
            }
            return events
        }
    }
}

extension WatchEvent {
    /// `TYPE name` for compact assertions.
    var summary: String {
        switch self {
        case .added(let object): "ADDED \(name(object))"
        case .modified(let object): "MODIFIED \(name(object))"
        case .deleted(let object): "DELETED \(name(object))"
        case .bookmark: "BOOKMARK"
        case .error(let status): "ERROR \(status.code ?? 0)"
        }
    }

    private func name(_ object: Object) -> String {
        (object as? any KubernetesObject)?.metadata.name ?? "?"
    }
}
