import FlinkJobOperator
import FlinkREST
import FlinkTestSupport
import Foundation
import HTTPTransport
import Kubernetes
import LocalMode
import Testing

/// The built operator in local mode, a directory of manifests, and a real Flink 2.3 session cluster.
@Suite("Local mode end to end (built binary, real Flink)", .serialized)
struct LocalModeEndToEndTests {
    let flink: FlinkTestCluster
    let jobs: FlinkTestJobs
    let sandbox: LocalSandbox

    init() async throws {
        flink = try await FlinkTestCluster.shared()
        jobs = try await FlinkTestJobs.compiled()
        sandbox = try LocalSandbox()
        try FileManager.default.copyItem(atPath: jobs.testJobsJar, toPath: sandbox.artifacts.appendingPathComponent("job.jar").path)
        try sandbox.writeManifest("cluster.yaml", """
            apiVersion: flink.jobcontroller.io/v1alpha1
            kind: FlinkSessionCluster
            metadata:
              name: default
            spec:
              restURL: \(flink.restURL)
              probe: {interval: 2s, timeout: 2s, failureThreshold: 2, openDuration: 3s}

            """)
    }

    func jobManifest(
        _ name: String, args: [String] = ["--rate", "5", "--checkpoint-interval", "500"], cluster: String = "default"
    ) -> String {
        """
        apiVersion: flink.jobcontroller.io/v1alpha1
        kind: FlinkJob
        metadata:
          name: \(name)
          namespace: team-local
        spec:
          clusterRef: {name: \(cluster)}
          artifact:
            jar:
              uri: file://\(sandbox.artifacts.path)/job.jar
              entryClass: \(FlinkTestJobs.streamingJobClass)
          args: [\(args.map { "\"\($0)\"" }.joined(separator: ", "))]
          savepoints:
            directory: file://\(sandbox.root.path)/savepoints/\(name)
          restartStrategy: {type: FixedDelay, attempts: 100, delay: 1s}

        """
    }

    // MARK: Lifecycle

    @Test func aManifestRunsAnEditAndANewJarUpgradeThroughSavepointsAndDeletingTheFileStopsWithASavepoint() async throws {
        let name = Self.uniqueName("lifecycle")
        try sandbox.writeManifest("\(name).yaml", jobManifest(name))
        let controller = try LocalOperatorUnderTest.start(sandbox)
        defer { Task { try? await controller.terminate() } }
        let state = try StateDatabase.open(path: try await stateFile(), readOnly: true)

        let first = try await waitUntilReady(name, generation: 1, state: state, controller: controller)
        let firstID = try #require(first.status?.job?.id)
        #expect(try await flinkJobs(name).map(\.state) == [.running])

        // Edit the manifest: a savepoint upgrade.
        try sandbox.writeManifest("\(name).yaml", jobManifest(name, args: ["--rate", "6", "--checkpoint-interval", "500"]))
        let edited = try await waitUntilReady(name, generation: 2, state: state, controller: controller)
        let secondID = try #require(edited.status?.job?.id)
        #expect(secondID != firstID)
        #expect(edited.status?.savepoints?.last?.reason == .upgrade)
        #expect(edited.status?.job?.restoredFrom == edited.status?.savepoints?.last?.location)
        #expect(try await flinkJob(firstID)?.state == .finished, "stopped with a savepoint")

        // Replace the jar on disk (the safe way: new file, then rename): a new digest, so another upgrade.
        let oldDigest = edited.spec.artifact.digest
        try await rejar(sandbox.artifacts.appendingPathComponent("job.jar"))
        let rejarred = try await waitUntilReady(name, generation: 3, state: state, controller: controller)
        #expect(rejarred.spec.artifact.digest != oldDigest)
        #expect(rejarred.status?.artifact?.digest == rejarred.spec.artifact.digest)
        let thirdID = try #require(rejarred.status?.job?.id)
        #expect(thirdID != secondID)
        #expect(rejarred.status?.savepoints?.history?.count == 2)

        // A broken manifest next to it: reported with file and line; the running job is untouched.
        let broken = try sandbox.writeManifest("broken.yaml", "kind: FlinkJob\nmetadata: {name: x\n")
        try await poll("the broken file reported", timeout: .seconds(20)) {
            (try? state.manifestFiles().contains { $0.path == broken && ($0.problem?.hasPrefix("\(broken):") ?? false) }) ?? false
        }
        let status = try await runBinary(["status", "--state", sandbox.statePath])
        #expect(status.code == 0)
        #expect(status.output.contains("team-local   \(name)"))
        #expect(status.output.contains("\(thirdID)"))
        #expect(status.output.contains("\(broken):"))
        #expect(status.output.contains("Operator: running"))
        let describe = try await runBinary(["describe", name, "--state", sandbox.statePath])
        #expect(describe.code == 0)
        for expected in ["Savepoints:", "Upgrade", "Conditions:", "Ready", "Events:", "SavepointCompleted", "Flink Job ID:", thirdID] {
            #expect(describe.output.contains(expected), "describe shows \(expected)")
        }
        try sandbox.removeManifest("broken.yaml")
        #expect(try await flinkJob(thirdID)?.state == .running)

        // Delete the file: the job stops with a savepoint, then the object goes away.
        try sandbox.removeManifest("\(name).yaml")
        try await poll("FlinkJob \(name) removed", timeout: .seconds(90)) {
            (try? state.objects().contains { $0.key.name == name }) == false
        }
        #expect(try await flinkJob(thirdID)?.state == .finished)
        let events = try state.events(kind: "FlinkJob", namespace: "team-local", name: name)
        #expect(events.contains { $0.reason == "ManifestRemoved" })
        let savepoints = try FileManager.default.contentsOfDirectory(atPath: sandbox.root.appendingPathComponent("savepoints/\(name)").path)
        #expect(savepoints.filter { $0.hasPrefix("savepoint-") }.count == 3, "two upgrades and the delete: \(savepoints)")
        #expect(try await controller.terminate() == 0)
    }

    // MARK: Crashes

    @Test func killingTheOperatorMidDeployAndRestartingLeavesExactlyOneFlinkJob() async throws {
        // 1. The operator dies (SIGKILL, through a proxy in front of Flink) the instant Flink accepted the job,
        //    before the answer reached it.
        let http = try CurlHTTPClient(configuration: .init(requestTimeout: .seconds(60)))
        let crash = try await CrashOnAcceptedRun.start(in: flink.restURL, http: http)
        defer { crash.stop() }
        try sandbox.writeManifest("proxied.yaml", """
            apiVersion: flink.jobcontroller.io/v1alpha1
            kind: FlinkSessionCluster
            metadata:
              name: proxied
            spec:
              restURL: \(crash.url)
              probe: {interval: 2s, timeout: 2s, failureThreshold: 2, openDuration: 3s}

            """)
        let exited = Self.uniqueName("exit-after-submit")
        try sandbox.writeManifest("\(exited).yaml", jobManifest(exited, cluster: "proxied"))
        let faulty = try LocalOperatorUnderTest.start(sandbox, name: "faulty")
        crash.arm(pid: faulty.pid)
        _ = try await faulty.waitForExit(timeout: .seconds(90))
        #expect(crash.killCount == 1)
        let state = try StateDatabase.open(path: sandbox.statePath, readOnly: true)
        let recorded = try #require(try job(exited, state: state)?.status?.job?.id, "the job id is recorded before the submission")

        // 2. Another job, and a kill -9 as soon as its submission is under way.
        let killed = Self.uniqueName("kill-9")
        try sandbox.writeManifest("\(killed).yaml", jobManifest(killed))
        let crashing = try LocalOperatorUnderTest.start(sandbox, name: "crashing")
        try await poll("\(killed) deploying", timeout: .seconds(60), interval: .milliseconds(20)) {
            (try? job(killed, state: state)?.status?.job?.id) != nil
        }
        try await crashing.crash()

        let restarted = try LocalOperatorUnderTest.start(sandbox, name: "restarted")
        defer { Task { try? await restarted.terminate() } }
        let exitedJob = try await waitUntilReady(exited, generation: 1, state: state, controller: restarted)
        let killedJob = try await waitUntilReady(killed, generation: 1, state: state, controller: restarted)
        #expect(exitedJob.status?.job?.id == recorded)
        for (name, object) in [(exited, exitedJob), (killed, killedJob)] {
            let flinkJobs = try await flinkJobs(name)
            #expect(flinkJobs.count == 1, "exactly one Flink job for \(name): \(flinkJobs.map(\.id))")
            #expect(flinkJobs.first?.state == .running)
            #expect(flinkJobs.first.map { "\($0.id)" } == object.status?.job?.id)
        }
        // Clean up: deleting the manifests stops the jobs.
        try sandbox.removeManifest("\(exited).yaml")
        try sandbox.removeManifest("\(killed).yaml")
        try await poll("jobs removed", timeout: .seconds(90)) {
            (try? state.objects().filter { $0.key.kind == .flinkJob }.isEmpty) ?? false
        }
        #expect(try await restarted.terminate() == 0)
    }

    @Test func aSecondInstanceOnTheSameStateFileRefusesToStartAndAKilledHolderDoesNotBlockTheNext() async throws {
        let first = try LocalOperatorUnderTest.start(sandbox, name: "first")
        _ = try await stateFile()
        try await poll("the first instance holds the lock", timeout: .seconds(30)) {
            StateLock.holder(statePath: sandbox.statePath) != nil
        }
        let second = try LocalOperatorUnderTest.start(sandbox, name: "second")
        let code = try await second.waitForExit(timeout: .seconds(20))
        #expect(code != 0)
        #expect(second.logs.contains("already running on the state file"), "\(second.tail())")
        #expect(first.exitCode == nil, "the first instance keeps running")

        try await first.crash()
        let third = try LocalOperatorUnderTest.start(sandbox, name: "third")
        try await poll("the third instance runs", timeout: .seconds(30)) {
            third.logs.contains("Starting in local mode") && third.exitCode == nil
        }
        #expect(try await third.terminate() == 0)
    }

    // MARK: Helpers

    static func uniqueName(_ base: String) -> String {
        "\(base)-\(UUID().uuidString.prefix(6).lowercased())"
    }

    /// Waits until the operator created the state file.
    func stateFile() async throws -> String {
        try await poll("state file", timeout: .seconds(30)) {
            FileManager.default.fileExists(atPath: sandbox.statePath) ? sandbox.statePath : nil
        }
    }

    func job(_ name: String, state: StateDatabase) throws -> FlinkJob? {
        try state.objects().first { $0.key.kind == .flinkJob && $0.key.name == name }.map { try $0.decode(as: FlinkJob.self) }
    }

    /// Waits until FlinkJob `name` is Running and Ready at `generation`.
    func waitUntilReady(_ name: String, generation: Int64, state: StateDatabase, controller: LocalOperatorUnderTest) async throws -> FlinkJob {
        do {
            return try await poll("\(name) Ready at generation \(generation)", timeout: .seconds(120), retryErrors: true) {
                guard let job = try job(name, state: state), job.metadata.generation == generation,
                    job.status?.observedGeneration == generation,
                    // Ready stays True while the old job runs during an upgrade; the state says it is over.
                    job.status?.state == .running,
                    job.status?.conditions?.contains(where: { $0.type == "Ready" && $0.status == .true }) == true,
                    job.status?.job?.flinkState == "RUNNING"
                else { return nil }
                return job
            }
        } catch {
            Issue.record("operator log:\n\(controller.tail(60))")
            throw error
        }
    }

    func flinkJobs(_ name: String) async throws -> [JobOverview] {
        try await flink.restClient().jobsOverview().filter { $0.name == "team-local/\(name)" }
    }

    func flinkJob(_ id: String) async throws -> JobOverview? {
        try await flink.restClient().jobsOverview().first { "\($0.id)" == id }
    }

    /// Rewrites the jar with one more resource (a different digest, the same classes), atomically.
    func rejar(_ jar: URL) async throws {
        let work = sandbox.root.appendingPathComponent("rejar-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        try Data("changed \(Date())".utf8).write(to: work.appendingPathComponent("extra.txt"))
        let staged = work.appendingPathComponent("job.jar")
        try FileManager.default.copyItem(at: jar, to: staged)
        let update = try await ChildProcess.run("/usr/bin/env", ["jar", "uf", staged.path, "-C", work.path, "extra.txt"])
        guard update.status == 0 else { throw LocalTestError("jar uf failed: \(update.output)") }
        let temporary = jar.deletingLastPathComponent().appendingPathComponent(".job.jar.part")
        try FileManager.default.copyItem(at: staged, to: temporary)
        guard rename(temporary.path, jar.path) == 0 else { throw LocalTestError("rename failed") }
    }
}
