import FlinkJobOperator
import FlinkREST
import FlinkTestSupport
import Foundation
import Kubernetes
import Testing

/// Server-side request forgery against the built operator: FlinkJobs whose artifact URI aims at the Kubernetes API
/// server, the cloud metadata service, or an allowed server that redirects to the API server are refused with
/// `ArtifactNotAllowed` and nothing reaches Flink; an artifact from the allowed server deploys and runs.
@Suite(.serialized) struct ArtifactEgressEndToEndTests {
    @Test func internalTargetsAreRefusedAndAnAllowedArtifactServerDeploys() async throws {
        let environment = try await EndToEndEnvironment.start(flink: try await FlinkTestCluster.shared())
        let jar = try Data(contentsOf: URL(fileURLWithPath: environment.testJobsJar))
        // 127.0.0.2 is the "artifact repository"; the API server emulator listens on 127.0.0.1.
        let server = try await ArtifactServer.start(host: "127.0.0.2", files: ["/releases/testjobs.jar": jar])
        let config = environment.directory.appendingPathComponent("egress-config.yaml")
        try Data("artifacts:\n  egress:\n    allowedRanges: [\"127.0.0.0/8\"]\n".utf8).write(to: config)
        let op = try OperatorUnderTest.start(environment, arguments: ["--config", config.path])
        let allowed = EndToEndEnvironment.uniqueName("egress-allowed")
        defer { Task { await environment.cancelFlinkJobs(named: allowed) } }
        do {
            let probePath = "/api/v1/namespaces/\(EndToEndEnvironment.operatorNamespace)/secrets/ssrf-probe"
            let apiServer = environment.emulator.baseURL + probePath
            let attacks = [
                ("egress-apiserver", apiServer, "Kubernetes API server"),
                ("egress-metadata", "http://169.254.169.254/latest/meta-data/iam/security-credentials/", "link-local"),
                ("egress-redirect", "\(server.url)/redirect?to=\(apiServer.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)",
                 "a redirect hop is refused"),
            ].map { (EndToEndEnvironment.uniqueName($0.0), $0.1, $0.2) }
            for (name, uri, _) in attacks {
                var job = environment.streamingJob(name)
                job.spec.artifact.jar?.uri = uri
                _ = try await environment.jobs.create(job)
            }
            var job = environment.streamingJob(allowed)
            job.spec.artifact.jar?.uri = "\(server.url)/releases/testjobs.jar"
            _ = try await environment.jobs.create(job)

            for (name, _, rule) in attacks {
                let refused = try await environment.waitFor(name, "ArtifactNotAllowed") { job in
                    job.status?.conditions?.first { $0.type == "Ready" && $0.reason == "ArtifactNotAllowed" }
                }
                #expect(refused.status == .false)
                #expect(refused.message.contains(rule), "\(name): \(refused.message)")
                #expect(refused.message.contains("nothing was uploaded"))
                #expect(try await environment.flinkJobs(named: name).isEmpty)
            }
            let running = try await environment.waitUntilReady(allowed)
            #expect(running.status?.artifact?.digest?.hasPrefix("sha256:") == true)
            #expect(try await environment.flinkJobs(named: allowed).count == 1)
            #expect(!environment.emulator.requestLog.contains { $0.path == probePath }, "the API server never saw the probe")
            #expect(server.requested.contains("/releases/testjobs.jar"))
        } catch {
            Issue.record("operator log tail:\n\(op.tail())")
            _ = try? await op.terminate()
            server.stop()
            await environment.stop()
            throw error
        }
        _ = try? await op.terminate()
        server.stop()
        await environment.stop()
    }
}
