import ControllerRuntime
import Foundation
import JSONCore
import Kubernetes
import KubernetesEmulator
import Logging
import Testing

@testable import FlinkJobOperator

/// Credentials to a Flink cluster over plain http, tried three ways: the API server refuses the object (the CRD
/// rule), `validate` and local mode refuse it (`ClusterValidator`), and the operator never builds a client that
/// would send them (`ClusterConnection`) — unless `spec.auth.allowPlaintextHTTP` says so.
@Suite struct PlaintextCredentialsTests {
    static func cluster(_ restURL: String, allow: Bool? = nil) -> FlinkSessionCluster {
        FlinkSessionCluster(
            metadata: ObjectMeta(name: "leaky"),
            spec: FlinkSessionClusterSpec(
                restURL: restURL,
                auth: .init(
                    bearerTokenSecretRef: .init(name: "flink-token", namespace: "flink-system", key: "token"),
                    allowPlaintextHTTP: allow)))
    }

    static var secrets: Store<Secret> {
        let store = Store<Secret>()
        store.load([Secret(
            metadata: ObjectMeta(name: "flink-token", namespace: "flink-system"), data: ["token": Data("s3cr3t".utf8)])])
        return store
    }

    @Test func theOperatorBuildsNoClientThatWouldSendATokenInClearText() throws {
        #expect(throws: ClusterConnectionError.credentialsOverPlaintext) {
            _ = try ClusterConnection.build(
                cluster: Self.cluster("http://flink.flink.svc:8081"), secrets: Self.secrets, logger: Logger(label: "test"))
        }
        #expect(ClusterConnectionError.credentialsOverPlaintext.description.contains("spec.auth.allowPlaintextHTTP: true"))
        _ = try ClusterConnection.build(
            cluster: Self.cluster("http://flink.flink.svc:8081", allow: true), secrets: Self.secrets, logger: Logger(label: "test"))
        _ = try ClusterConnection.build(
            cluster: Self.cluster("https://flink.flink.svc:8081"), secrets: Self.secrets, logger: Logger(label: "test"))
    }

    @Test func validateAndLocalModeRefuseItWithTheSameMessage() {
        #expect(ClusterValidator.problems(Self.cluster("http://flink:8081")) == [ClusterValidator.plaintextCredentials])
        #expect(ClusterValidator.problems(Self.cluster("http://flink:8081", allow: true)).isEmpty)
        #expect(ClusterValidator.problems(Self.cluster("https://flink:8081")).isEmpty)
    }

    @Test func theAPIServerRefusesTheObjectThroughTheCRDRule() async throws {
        let emulator = try await KubernetesEmulator.start()
        defer { Task { await emulator.stop() } }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        try await emulator.installCRD(
            yaml: try String(contentsOf: root.appendingPathComponent("crds/flinksessioncluster.yaml"), encoding: .utf8))
        var body = try JSONValue(encoding: Self.cluster("http://flink:8081"))
        body["apiVersion"] = "flink.jobcontroller.io/v1alpha1"
        body["kind"] = "FlinkSessionCluster"
        let response = emulator.perform("POST", GroupVersionResource.flinkSessionClusters.path(), body: body)
        #expect(response.status == 422)
        #expect(response.message.contains(ClusterValidator.plaintextCredentials), "\(response.message)")
    }
}
