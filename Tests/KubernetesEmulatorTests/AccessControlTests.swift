import Foundation
import JSONCore
import KubernetesEmulator
import Testing

@Suite("Authentication and RBAC rules")
struct AccessControlTests {
    static let operatorRules = [
        PolicyRule(apiGroups: ["flink.jobcontroller.io"], resources: ["flinkjobs"], verbs: ["get", "list", "watch"], namespace: "team-a"),
        PolicyRule(apiGroups: ["flink.jobcontroller.io"], resources: ["flinkjobs/status"], verbs: ["update", "patch"], namespace: "team-a"),
        PolicyRule(apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["get", "update"], resourceNames: ["leader"]),
    ]

    @Test func rulesAllowExactlyTheGrantedVerbsResourcesAndNamespaces() async throws {
        let emulator = try await Fixtures.emulator {
            $0.users = [EmulatorUser(name: "system:serviceaccount:ops:operator", token: "op-token", rules: Self.operatorRules)]
        }
        let admin = try TestClient(emulator)
        let op = try TestClient(emulator, token: "op-token")
        let teamA = Fixtures.flinkJobs.path(namespace: "team-a")
        #expect(try await admin.request("POST", teamA, body: Fixtures.job("x")).status == 201)
        #expect(try await op.request("GET", teamA).status == 200)
        #expect(try await op.request("GET", teamA + "/x").status == 200)
        #expect(try await op.request("PATCH", teamA + "/x/status", body: ["status": ["phase": "Running"]],
                                     contentType: "application/merge-patch+json").status == 200)
        let spec = try await op.request("PATCH", teamA + "/x", body: ["spec": ["parallelism": 3]], contentType: "application/merge-patch+json")
        #expect(spec.status == 403)
        #expect(spec.body?["message"] == "flinkjobs.flink.jobcontroller.io \"x\" is forbidden: User \"system:serviceaccount:ops:operator\" cannot patch resource \"flinkjobs\" in API group \"flink.jobcontroller.io\" in the namespace \"team-a\"")
        #expect(try await op.request("GET", Fixtures.flinkJobs.path(namespace: "team-b")).status == 403)
        let clusterWide = try await op.request("GET", Fixtures.flinkJobs.path())
        #expect(clusterWide.status == 403)
        #expect((clusterWide.body?["message"]?.stringValue ?? "").hasSuffix("at the cluster scope"))
        // resourceNames limit get/update to the named lease.
        #expect(try await admin.request("POST", GroupVersionResource.leases.path(namespace: "default"), body: [
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": ["name": "leader"], "spec": ["holderIdentity": "a"],
        ]).status == 201)
        #expect(try await op.request("GET", GroupVersionResource.leases.path(namespace: "default", name: "leader")).status == 200)
        #expect(try await op.request("GET", GroupVersionResource.leases.path(namespace: "default", name: "other")).status == 403)
        #expect(try await op.request("GET", GroupVersionResource.leases.path(namespace: "default")).status == 403)
        await admin.close()
        await op.close()
        await emulator.stop()
    }

    @Test func unknownTokensGet401AnonymousRequestsGet403AndRemovedUsersLoseAccess() async throws {
        let emulator = try await Fixtures.emulator { $0.users = [EmulatorUser(name: "temp", token: "temp-token", rules: nil)] }
        let unknown = try TestClient(emulator, token: "nope")
        let anonymous = try TestClient(emulator, anonymous: true)
        let temp = try TestClient(emulator, token: "temp-token")
        #expect(try await unknown.request("GET", "/api/v1/namespaces").status == 401)
        let anon = try await anonymous.request("GET", "/api/v1/namespaces")
        #expect(anon.status == 403)
        #expect((anon.body?["message"]?.stringValue ?? "").contains("system:anonymous"))
        #expect(try await anonymous.request("GET", "/apis").status == 403)
        #expect(try await temp.request("GET", "/api/v1/namespaces").status == 200)
        emulator.removeUser(token: "temp-token")
        #expect(try await temp.request("GET", "/api/v1/namespaces").status == 401)
        for c in [unknown, anonymous, temp] { await c.close() }
        await emulator.stop()
    }

    @Test func kubeconfigAndInClusterFilesCarryServerCAAndToken() async throws {
        let emulator = try await KubernetesEmulator.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("emulator-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let kubeconfig = directory.appendingPathComponent("config")
        try emulator.writeKubeconfig(to: kubeconfig, namespace: "team-x")
        let text = try String(contentsOf: kubeconfig, encoding: .utf8)
        #expect(text.contains("server: \(emulator.baseURL)"))
        #expect(text.contains("token: \(emulator.adminToken)"))
        #expect(text.contains("namespace: team-x"))
        #expect(text.contains(Data(emulator.caCertificatePEM.utf8).base64EncodedString()))
        let mount = directory.appendingPathComponent("serviceaccount")
        try emulator.writeInClusterFiles(to: mount, token: "sa-token", namespace: "ops")
        #expect(try String(contentsOf: mount.appendingPathComponent("token"), encoding: .utf8) == "sa-token")
        #expect(try String(contentsOf: mount.appendingPathComponent("namespace"), encoding: .utf8) == "ops")
        #expect(try String(contentsOf: mount.appendingPathComponent("ca.crt"), encoding: .utf8) == emulator.caCertificatePEM)
        #expect(emulator.inClusterEnvironment["KUBERNETES_SERVICE_PORT"] == String(emulator.port))
        try? FileManager.default.removeItem(at: directory)
        await emulator.stop()
    }
}
