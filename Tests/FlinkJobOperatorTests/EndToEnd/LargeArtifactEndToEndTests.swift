import FlinkJobOperator
import FlinkREST
import FlinkTestSupport
import Foundation
import Kubernetes
import Testing

/// A 300 MiB artifact under a 256 MiB memory budget: the built operator hashes, copies, verifies (an Ed25519
/// signature by an operator-trusted key) and uploads it, and its peak resident memory stays far below the
/// artifact's size — every step streams. (The bytes are no real jar, so Flink then refuses to run them; the test
/// ends once Flink holds the uploaded jar, which only happens after the signature verified.)
@Suite(.serialized) struct LargeArtifactEndToEndTests {
    static let artifactBytes = 300 << 20
    static let memoryLimit = 256 << 20

    @Test func aThreeHundredMebibyteSignedArtifactIsProcessedWithinTheMemoryLimit() async throws {
        let environment = try await EndToEndEnvironment.start(flink: try await FlinkTestCluster.shared())
        let artifacts = environment.directory.appendingPathComponent("large-artifacts")
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        let jarName = "large-\(UUID().uuidString.prefix(8).lowercased()).jar"
        let jar = artifacts.appendingPathComponent(jarName)
        // Written in 1 MiB chunks (the test process must not hold it either), and signed, off the cooperative pool.
        let key = artifacts.appendingPathComponent("key.pem").path
        try await offThePool {
            FileManager.default.createFile(atPath: jar.path, contents: nil)
            let handle = try FileHandle(forWritingTo: jar)
            let chunk = Data((0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7) })
            for _ in 0..<(Self.artifactBytes >> 20) { try handle.write(contentsOf: chunk) }
            try handle.close()
            // Ed25519 signs the artifact's SHA-256 digest (see SignatureVerifier).
            try OpenSSL.run(["openssl", "genpkey", "-algorithm", "ED25519", "-out", key])
            try OpenSSL.run(["openssl", "pkey", "-in", key, "-pubout", "-out", key + ".pub"])
            try OpenSSL.run(["sh", "-c", "openssl dgst -sha256 -binary \"$0\" > \"$1\"", jar.path, key + ".sha256"])
            try OpenSSL.run(["openssl", "pkeyutl", "-sign", "-rawin", "-inkey", key, "-in", key + ".sha256", "-out", key + ".sig"])
        }
        let signature = try Data(contentsOf: URL(fileURLWithPath: key + ".sig")).base64EncodedString()
        let config = environment.directory.appendingPathComponent("large-config.yaml")
        try Data("artifacts:\n  trustedKeyFiles: [\"\(key).pub\"]\n".utf8).write(to: config)

        let op = try OperatorUnderTest.start(
            environment, name: "large", arguments: ["--config", config.path, "--artifact-dir", artifacts.path])
        let name = EndToEndEnvironment.uniqueName("large")
        defer { Task { await environment.cancelFlinkJobs(named: name) } }
        do {
            var job = environment.streamingJob(name)
            job.spec.artifact.jar?.uri = "file://\(jar.path)"
            job.spec.artifact.signature = .init(value: signature)
            _ = try await environment.jobs.create(job)
            try await poll("Flink holds the uploaded jar", timeout: .seconds(180), interval: .seconds(1)) {
                let refused = try await environment.jobs.get(name).status?.conditions?.first {
                    $0.type == "Ready" && $0.reason == "ArtifactVerificationFailed"
                }
                if let refused { throw LargeArtifactFailure(message: "the signature did not verify: \(refused.message)") }
                return try await environment.flinkClient.listJars().contains { $0.name.hasSuffix(jarName) }
            }
            let peak = try #require(Self.peakResidentBytes(pid: op.pid))
            #expect(peak < Self.memoryLimit, "peak RSS \(peak >> 20) MiB for a \(Self.artifactBytes >> 20) MiB artifact")
            print("large artifact: uploaded; operator peak RSS \(peak >> 20) MiB")
            _ = try await environment.jobs.delete(name)
            for jar in try await environment.flinkClient.listJars() where jar.name.hasSuffix(jarName) {
                try? await environment.flinkClient.deleteJar(jar.id)
            }
        } catch {
            Issue.record("operator log tail:\n\(op.tail())")
            _ = try? await op.terminate()
            await environment.stop()
            throw error
        }
        _ = try? await op.terminate()
        await environment.stop()
    }

    /// `VmHWM` (the peak resident set) of a process, from `/proc/<pid>/status`.
    static func peakResidentBytes(pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return nil }
        return line.split(separator: " ").compactMap { Int($0) }.first.map { $0 * 1024 }
    }
}

private struct LargeArtifactFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
