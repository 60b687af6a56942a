import Foundation
import HTTPTransport
import Kubernetes
import KubernetesEmulator
import Testing

/// Configurations loaded the way the operator loads them, used against the emulator.
@Suite struct ConfigurationIntegrationTests {
    @Test func inClusterConfigurationTalksToTheServer() async throws {
        try await EmulatorFixture.with { fixture in
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            try fixture.emulator.writeInClusterFiles(to: directory.url, namespace: "team-a")
            let configuration = try KubernetesConfiguration.load(
                environment: fixture.emulator.inClusterEnvironment, serviceAccountDirectory: directory.path,
                logger: fixture.client.logger)
            #expect(configuration.namespace == "team-a")
            let client = try KubernetesClient(configuration: configuration, logger: fixture.client.logger)
            let jobs = client.resourcesInDefaultNamespace(TestJob.self)
            let created = try await jobs.create(.fixture("in-cluster"))
            #expect(created.metadata.namespace == "team-a")
            await client.shutdown()
        }
    }

    @Test func rotatedServiceAccountTokenIsPickedUp() async throws {
        try await EmulatorFixture.with { fixture in
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let emulator = fixture.emulator
            try emulator.writeInClusterFiles(to: directory.url, namespace: "default")
            let configuration = try KubernetesConfiguration.inCluster(
                environment: emulator.inClusterEnvironment, serviceAccountDirectory: directory.path,
                tokenRefreshInterval: .milliseconds(50), logger: fixture.client.logger)
            let client = try KubernetesClient(configuration: configuration, logger: fixture.client.logger)
            let jobs = client.resources(TestJob.self, namespace: "default")
            _ = try await jobs.list()
            #expect(emulator.requestLog.last?.user == "admin")

            // kubelet rotates the token: the new one is valid, the old one is revoked.
            emulator.addUser(.admin(name: "rotated-sa", token: "rotated-token-2"))
            try directory.write("rotated-token-2", to: "token")
            emulator.removeUser(token: emulator.adminToken)
            try await Task.sleep(for: .milliseconds(120))
            _ = try await jobs.list()
            #expect(emulator.requestLog.last?.user == "rotated-sa")
            #expect(emulator.requestLog.last?.status == 200)

            // A broken reload keeps the last good token.
            try directory.write("", to: "token")
            try await Task.sleep(for: .milliseconds(120))
            _ = try await jobs.list()
            #expect(emulator.requestLog.last?.user == "rotated-sa")
            #expect(
                fixture.logs.all.filter { $0.level == .warning && $0.message.contains("token") }.count == 1)
            await client.shutdown()
        }
    }

    @Test func kubeconfigWrittenByTheEmulatorWorks() async throws {
        try await EmulatorFixture.with { fixture in
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            let path = directory.url.appendingPathComponent("config")
            try fixture.emulator.writeKubeconfig(to: path, namespace: "team-b")
            let configuration = try KubernetesConfiguration.load(
                environment: ["KUBECONFIG": path.path, "HOME": directory.path], logger: fixture.client.logger)
            #expect(configuration.namespace == "team-b")
            #expect(configuration.tls.trustRoots == .pem(fixture.emulator.caCertificatePEM))
            let client = try KubernetesClient(configuration: configuration, logger: fixture.client.logger)
            let created = try await client.resourcesInDefaultNamespace(TestJob.self).create(.fixture("from-kubeconfig"))
            #expect(created.metadata.namespace == "team-b")
            await client.shutdown()
        }
    }

    @Test func untrustedServerCertificateIsATransportError() async throws {
        try await EmulatorFixture.with { fixture in
            let configuration = KubernetesConfiguration(
                server: fixture.emulator.baseURL, tls: TLSConfiguration(trustRoots: .system),
                authentication: .bearer(StaticBearerToken(fixture.emulator.adminToken)))
            let client = try KubernetesClient(configuration: configuration, logger: fixture.client.logger)
            let error = await #expect(throws: KubernetesError.self) {
                try await client.resources(TestJob.self, namespace: "default").list()
            }
            guard case .transport(let underlying) = error else {
                Issue.record("expected a transport error, got \(String(describing: error))")
                return
            }
            guard case .tlsFailed = underlying as? HTTPTransportError else {
                Issue.record("expected a TLS failure, got \(underlying)")
                return
            }
            #expect(fixture.emulator.requestLog.isEmpty)
            await client.shutdown()
        }
    }
}
