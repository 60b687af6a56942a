import FlinkModel
import Foundation
import Kubernetes
import Testing

@testable import FlinkJobOperator

/// Signature trust, tried as an attacker would: on a cluster that requires signatures, a tenant signs their own
/// artifact — once naming their own key, once hoping their signature passes without one. Both are refused and
/// nothing reaches Flink; the artifact the platform signed runs.
@Suite struct SignatureTrustScenarioTests {
    @Test func aTenantCannotVouchForItsOwnArtifactOnASignatureRequiringCluster() async throws {
        let world = try await ScenarioWorld.start()
        defer { Task { await world.stop() } }
        let keys = world.directory.appendingPathComponent("keys")
        try FileManager.default.createDirectory(at: keys, withIntermediateDirectories: true)
        func path(_ name: String) -> String { world.directory.appendingPathComponent("artifacts/\(name)").path }
        _ = try world.writeArtifact("platform.jar", bytes: "built and signed by the platform")
        _ = try world.writeArtifact("self-vouched.jar", bytes: "a tenant's own build")
        _ = try world.writeArtifact("tenant-signed.jar", bytes: "another tenant build")
        let (platformPath, selfPath, tenantPath) = (path("platform.jar"), path("self-vouched.jar"), path("tenant-signed.jar"))
        let platform = try await offThePool { try OpenSSL.sign(file: platformPath, kind: "rsa:2048", in: keys) }
        let selfVouched = try await offThePool { try OpenSSL.sign(file: selfPath, kind: "ec", in: keys) }
        let tenantSigned = try await offThePool { try OpenSSL.sign(file: tenantPath, kind: "ec", in: keys) }

        // The platform's key lives in the operator's namespace; the tenant's in its own.
        _ = try await world.client.resources(Secret.self, namespace: "flink-system").create(Secret(
            metadata: ObjectMeta(name: "artifact-keys", namespace: "flink-system"),
            data: ["platform.pem": Data(platform.publicKey.utf8)]))
        _ = try await world.client.resources(Secret.self, namespace: ScenarioWorld.namespace).create(Secret(
            metadata: ObjectMeta(name: "my-key", namespace: ScenarioWorld.namespace),
            data: ["pem": Data(selfVouched.publicKey.utf8)]))
        let clusters = world.client.resources(FlinkSessionCluster.self, namespace: nil)
        var cluster = try await clusters.get("default")
        cluster.spec.artifactPolicy = .init(
            requireSignature: true, trustedKeys: [.init(name: "artifact-keys", namespace: "flink-system", key: "platform.pem")])
        _ = try await clusters.replace(cluster)

        func job(_ name: String, signature: FlinkJobSpec.Artifact.Signature) -> FlinkJob {
            var job = world.streamingJob(name)
            job.spec.artifact.jar?.uri = world.artifactURI("\(name).jar")
            job.spec.artifact.signature = signature
            return job
        }
        try await world.create(job("self-vouched", signature: .init(
            publicKeySecretRef: .init(name: "my-key", key: "pem"), value: selfVouched.signature.base64EncodedString())))
        try await world.create(job("tenant-signed", signature: .init(value: tenantSigned.signature.base64EncodedString())))
        try await world.create(job("platform", signature: .init(value: platform.signature.base64EncodedString())))

        func ready(_ job: FlinkJob) -> Kubernetes.Condition? { job.status?.conditions?.first { $0.type == "Ready" } }
        let refused = try await world.settle("self-vouched") { ready($0)?.reason == "ArtifactNotAllowed" }
        #expect(ready(refused)?.message.contains("names a key of the job's own namespace, which is not trusted") == true)
        let unverified = try await world.settle("tenant-signed") { ready($0)?.reason == "ArtifactVerificationFailed" }
        #expect(ready(unverified)?.message.contains("Secret flink-system/artifact-keys") == true, "\(String(describing: ready(unverified)))")
        try await world.settle("platform") { $0.status?.phase == .running }

        let uploaded = world.flink.jars.map(\.name)
        #expect(uploaded.count == 1 && uploaded.allSatisfy { $0.hasSuffix("-platform.jar") }, "only the platform-signed jar reached Flink: \(uploaded)")
        #expect(world.liveFlinkJobs("self-vouched").isEmpty && world.liveFlinkJobs("tenant-signed").isEmpty)
        #expect(world.liveFlinkJobs("platform").count == 1)
    }
}
