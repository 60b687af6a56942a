import FlinkJobOperator
import FlinkREST
import FlinkTestSupport
import Foundation
import HTTPTransport
import JSONCore
import Kubernetes
import KubernetesEmulator
import Testing

/// Faults: crashes, a JobManager that forgets its jobs, bad artifacts, an unreachable cluster, leader failover.
@Suite(.serialized) struct ResilienceEndToEndTests {
    /// Runs `body` with an environment and stops everything afterwards, printing operator logs on failure.
    func withEnvironment(
        flink: FlinkTestCluster? = nil, _ body: (EndToEndEnvironment, inout [OperatorUnderTest]) async throws -> Void
    ) async throws {
        let cluster: FlinkTestCluster
        if let flink { cluster = flink } else { cluster = try await FlinkTestCluster.shared() }
        let environment = try await EndToEndEnvironment.start(flink: cluster)
        var operators: [OperatorUnderTest] = []
        do {
            try await body(environment, &operators)
        } catch {
            for op in operators { Issue.record("operator log tail (\(op.logFile.lastPathComponent)):\n\(op.tail())") }
            for op in operators where op.isRunning { _ = try? await op.terminate() }
            await environment.stop()
            throw error
        }
        for op in operators where op.isRunning { _ = try? await op.terminate() }
        await environment.stop()
    }

    @Test func operatorKilledRightAfterSubmittingLeavesExactlyOneFlinkJob() async throws {
        try await withEnvironment { environment, operators in
            // The operator reaches Flink through a proxy that kills it (SIGKILL) the instant Flink has accepted
            // the job, before the answer gets back: a real crash at the worst moment, no hook in the operator.
            let http = try CurlHTTPClient(configuration: .init(requestTimeout: .seconds(60)))
            let crash = try await CrashOnAcceptedRun.start(in: environment.flink.restURL, http: http)
            defer { crash.stop() }
            try await environment.addCluster(named: "proxied", restURL: crash.url)
            let crashy = EndToEndEnvironment.uniqueName("crashy")
            defer { Task { await environment.cancelFlinkJobs(named: crashy) } }
            let crashing = try OperatorUnderTest.start(environment, name: "crashing")
            operators.append(crashing)
            crash.arm(pid: crashing.pid)
            var manifest = environment.streamingJob(crashy)
            manifest.spec.clusterRef = .init(name: "proxied")
            let created = try await environment.jobs.create(manifest)
            try await crashing.waitForExit(timeout: .seconds(90))
            #expect(crash.killCount == 1)
            let recorded = try await environment.jobs.get(crashy)
            let expectedID = DeploymentIdentity.jobID(uid: try #require(created.metadata.uid), sequence: 1)
            #expect(recorded.status?.job?.id == expectedID, "the job id is recorded before the submission")
            #expect(recorded.status?.job?.submission == nil, "the submission's outcome was never recorded")

            let restarted = try OperatorUnderTest.start(environment, name: "restarted")
            operators.append(restarted)
            let ready = try await environment.waitUntilReady(crashy)
            #expect(ready.status?.job?.id == expectedID)
            #expect(ready.status?.deploySequence == 1)
            let flinkJobs = try await environment.flinkJobs(named: crashy)
            #expect(flinkJobs.map(\.id.hexString) == [expectedID])
            try await poll("the JobAdopted event", timeout: .seconds(20)) {
                environment.eventReasons(for: crashy).contains("JobAdopted")
            }
        }
    }

    @Test func jobsLostByARestartedJobManagerComeBackFromTheirLastCheckpointOrAreHeld() async throws {
        let flink = try await FlinkTestCluster.dedicated(name: "e2e-restart", slots: 4)
        defer { Task { try? await flink.stop() } }
        try await withEnvironment(flink: flink) { environment, operators in
            // `survivor` checkpoints where the operator can list (its --state-dir); `unlisted` checkpoints to a
            // directory it cannot see, like s3:// storage the operator has no credentials for.
            let survivor = EndToEndEnvironment.uniqueName("survivor")
            let unlisted = EndToEndEnvironment.uniqueName("unlisted")
            operators.append(try OperatorUnderTest.start(environment))
            _ = try await environment.jobs.create(environment.streamingJob(survivor))
            var hidden = environment.streamingJob(unlisted)
            hidden.spec.flinkConfiguration = [
                "execution.checkpointing.dir": "file://\(environment.directory.path)/unlisted-checkpoints"
            ]
            _ = try await environment.jobs.create(hidden)
            var checkpointed: [String: FlinkJob] = [:]
            for name in [survivor, unlisted] {
                checkpointed[name] = try await environment.waitFor(name, "a completed checkpoint recorded") { job in
                    job.status?.checkpoints?.lastCompleted?.path != nil && job.status?.state == .running ? job : nil
                }
            }
            #expect(try await environment.flinkClient.listJars().count == 1, "one upload for both jobs")
            let firstID = try #require(checkpointed[survivor]?.status?.job?.id)
            let restartBegan = ContinuousClock.now
            // Without HA the JobManager forgets both jobs; its upload directory is wiped too.
            try await flink.restart(losingJars: true)
            print("e2e-restart: JobManager and TaskManager restarted in \(ContinuousClock.now - restartBegan) (\(Date()))")

            let recovered = try await environment.waitFor(survivor, "resubmitted after the JobManager restart", timeout: .seconds(120)) { job in
                job.status?.deploySequence == 2 && job.status?.state == .running ? job : nil
            }
            #expect(recovered.status?.job?.id != firstID)
            let restorePath = try #require(recovered.status?.job?.restoredFrom)
            #expect(restorePath.contains("chk-") || restorePath.contains("savepoint"))
            let newID = try #require(recovered.status?.job?.id.flatMap(FlinkJobID.init))
            let restored = try await poll("the resubmitted job reports its restore") {
                try await environment.flinkClient.checkpointStatistics(newID)?.latest.restored
            }
            #expect(restored.externalPath.map { EndToEndEnvironment.samePath($0, restorePath) } == true)
            #expect(try await environment.flinkClient.listJars().count == 1, "the lost jar was uploaded again, once")

            // The job whose newest checkpoint cannot be proven is held, not started empty or from older state.
            let held = try await environment.waitFor(unlisted, "held with Degraded", timeout: .seconds(60)) { job in
                job.status?.conditions?.first { $0.type == "Degraded" && $0.status == .true && $0.reason == "NoRestorePoint" } != nil
                    ? job : nil
            }
            #expect(held.status?.state == .held)
            #expect(held.status?.deploySequence == 1, "nothing deployed")
            #expect(try await environment.flinkJobs(named: unlisted).isEmpty, "the restarted JobManager runs nothing for it")
        }
    }

    @Test func wrongDigestIsRefusedAndNothingIsUploaded() async throws {
        try await withEnvironment { environment, operators in
            let unverified = EndToEndEnvironment.uniqueName("unverified")
            let artifacts = environment.directory.appendingPathComponent("artifacts")
            try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
            let name = "unverified-\(UUID().uuidString.prefix(8).lowercased())"
            try Data("not the jar you are looking for".utf8).write(to: artifacts.appendingPathComponent("\(name).jar"))
            operators.append(try OperatorUnderTest.start(environment, arguments: ["--artifact-dir", artifacts.path]))
            var job = environment.streamingJob(unverified, digest: "sha256:" + String(repeating: "ab", count: 32))
            job.spec.artifact.jar?.uri = "file://\(artifacts.path)/\(name).jar"
            _ = try await environment.jobs.create(job)
            let refused = try await environment.waitFor(unverified, "ArtifactVerificationFailed") { job in
                job.status?.conditions?.first { $0.type == "Ready" && $0.reason == "ArtifactVerificationFailed" }
            }
            #expect(refused.status == .false)
            #expect(refused.message.contains("digest mismatch"))
            #expect(try await environment.flinkClient.listJars().allSatisfy { !$0.name.contains(name) })
            #expect(try await environment.flinkJobs(named: unverified).isEmpty)
        }
    }

    @Test func unreachableClusterMakesConditionsUnknownCancelsNothingAndRecovers() async throws {
        try await withEnvironment { environment, operators in
            let steady = EndToEndEnvironment.uniqueName("steady")
            defer { Task { await environment.cancelFlinkJobs(named: steady) } }
            operators.append(try OperatorUnderTest.start(environment))
            _ = try await environment.jobs.create(environment.streamingJob(steady))
            let running = try await environment.waitUntilReady(steady)
            let jobID = try #require(running.status?.job?.id.flatMap(FlinkJobID.init))

            var cluster = try await environment.clusters.get("default")
            let realURL = cluster.spec.restURL
            cluster.spec.restURL = ClosedPort.url()
            _ = try await environment.clusters.replace(cluster)
            let unknown = try await environment.waitFor(steady, "Ready=Unknown") { job in
                job.status?.conditions?.first { $0.type == "Ready" && $0.status == .unknown }
            }
            #expect(unknown.reason == "ClusterUnavailable")
            let degraded = try await environment.jobs.get(steady).status?.conditions?.first { $0.type == "Degraded" }
            #expect(degraded?.status == .true)
            // Give the operator a few reconciles while the cluster is away: the job must keep running.
            try await Task.sleep(for: .seconds(4))
            #expect(try await environment.flinkClient.jobStatus(jobID) == .running)

            cluster = try await environment.clusters.get("default")
            cluster.spec.restURL = realURL
            _ = try await environment.clusters.replace(cluster)
            let recovered = try await environment.waitUntilReady(steady, timeout: .seconds(60))
            #expect(recovered.status?.job?.id == jobID.hexString)
            #expect(recovered.status?.deploySequence == 1)
            #expect(try await environment.flinkJobs(named: steady).count == 1)
        }
    }

    @Test func twoReplicasActOnceAndTheStandbyTakesOverWhenTheLeaderDies() async throws {
        try await withEnvironment { environment, operators in
            let replicated = EndToEndEnvironment.uniqueName("replicated")
            defer { Task { await environment.cancelFlinkJobs(named: replicated) } }
            let first = try OperatorUnderTest.start(environment, name: "replica-a", leaderElection: true)
            let second = try OperatorUnderTest.start(environment, name: "replica-b", leaderElection: true)
            operators += [first, second]
            _ = try await environment.jobs.create(environment.streamingJob(replicated))
            _ = try await environment.waitUntilReady(replicated)
            #expect(try await environment.flinkJobs(named: replicated).count == 1)

            let (leader, standby) = try await poll("one replica to report leading") { () -> (OperatorUnderTest, OperatorUnderTest)? in
                let aLeads = first.logs.contains("Acquired the leader lease")
                let bLeads = second.logs.contains("Acquired the leader lease")
                if aLeads && !bLeads { return (first, second) }
                if bLeads && !aLeads { return (second, first) }
                return nil
            }
            #expect(!standby.logs.contains("Submitted Flink job"), "only the leader may act")
            try await leader.crash()

            try await environment.editSpec(replicated) { $0.args = ["--rate", "7", "--checkpoint-interval", "500"] }
            _ = try await environment.waitFor(replicated, "upgraded by the standby", timeout: .seconds(90)) { job in
                job.status?.deploySequence == 2 && job.status?.state == .running ? job : nil
            }
            #expect(standby.logs.contains("Submitted Flink job"))
            let flinkJobs = try await environment.flinkJobs(named: replicated)
            #expect(flinkJobs.count == 2, "one job per deploy sequence, no duplicates: \(flinkJobs.map(\.id))")
            #expect(flinkJobs.filter { !$0.state.isGloballyTerminal }.count == 1)
        }
    }
}
