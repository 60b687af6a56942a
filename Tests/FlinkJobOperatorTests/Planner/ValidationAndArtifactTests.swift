import FlinkREST
import Foundation
import HTTPTransport
import Logging
import Testing

@testable import FlinkJobOperator

@Suite struct JobValidatorTests {
    let validator = JobValidator(artifactDirectories: ["/artifacts"])

    @Test func validJobHasNoProblems() {
        #expect(validator.problems(.fixture()) == [])
    }

    @Test(arguments: [
        ("two artifact kinds", { @Sendable (job: inout FlinkJob) in job.spec.artifact.sql = .init(statements: ["SELECT 1"]) },
         "spec.artifact must name exactly one of jar, python or sql (it names 2)"),
        ("file outside artifact dirs", { @Sendable (job: inout FlinkJob) in job.spec.artifact.jar?.uri = "file:///etc/passwd" },
         "spec.artifact.jar.uri /etc/passwd is outside the operator's artifact directories [\"/artifacts\"]"),
        ("dot-dot", { @Sendable (job: inout FlinkJob) in job.spec.artifact.jar?.uri = "file:///artifacts/../etc/passwd" },
         "spec.artifact.jar.uri must not contain '..' or '.' segments"),
        ("s3 scheme", { @Sendable (job: inout FlinkJob) in job.spec.artifact.jar?.uri = "s3://bucket/x.jar" },
         "spec.artifact.jar.uri scheme s3:// is not supported (use https, http or file)"),
        ("bad digest", { @Sendable (job: inout FlinkJob) in job.spec.artifact.digest = "sha256:ABC" },
         "spec.artifact.digest must be sha256:<64 lowercase hex digits>, not \"sha256:ABC\""),
        ("bad duration", { @Sendable (job: inout FlinkJob) in job.spec.checkpointing = .init(interval: "10 seconds") },
         "spec.checkpointing.interval \"10 seconds\" is not a duration (use e.g. 30s, 5m, 1h30m)"),
        ("reserved key", { @Sendable (job: inout FlinkJob) in job.spec.flinkConfiguration = ["taskmanager.memory.process.size": "4g"] },
         "spec.flinkConfiguration.taskmanager.memory.process.size cannot be set per job (it belongs to the session cluster or the operator)"),
        ("checkpoints deleted on cancel", { @Sendable (job: inout FlinkJob) in
            job.spec.flinkConfiguration = ["execution.checkpointing.externalized-checkpoint-retention": "DELETE_ON_CANCELLATION"]
        }, "spec.flinkConfiguration.execution.checkpointing.externalized-checkpoint-retention cannot be set per job (it belongs to the session cluster or the operator)"),
        ("another savepoint directory", { @Sendable (job: inout FlinkJob) in
            job.spec.flinkConfiguration = ["execution.checkpointing.savepoint-dir": "file:///elsewhere"]
        }, "spec.flinkConfiguration.execution.checkpointing.savepoint-dir cannot be set per job (it belongs to the session cluster or the operator)"),
        ("batch on streaming", { @Sendable (job: inout FlinkJob) in job.spec.batch = .init(schedule: "@daily") },
         "spec.batch may only be set when spec.type is Batch"),
        ("bad cron", { @Sendable (job: inout FlinkJob) in job.spec.type = .batch; job.spec.batch = .init(schedule: "61 * * * *") },
         "spec.batch.schedule: invalid minute field \"61\""),
        ("bad zone", { @Sendable (job: inout FlinkJob) in job.spec.type = .batch; job.spec.batch = .init(schedule: "@daily", timeZone: "Nowhere/City") },
         "spec.batch.schedule: unknown time zone \"Nowhere/City\" (use an IANA name such as Europe/Berlin)"),
        ("last state without checkpoints", { @Sendable (job: inout FlinkJob) in job.spec.upgradeMode = .lastState },
         "spec.upgradeMode LastState restores from checkpoints, so spec.checkpointing must be set"),
        ("backpressure percent", { @Sendable (job: inout FlinkJob) in job.spec.health = .init(backpressureThreshold: 150) },
         "spec.health.backpressureThreshold is a percentage between 1 and 100, not 150"),
    ] as [(String, @Sendable (inout FlinkJob) -> Void, String)])
    func problemsNameTheField(_ name: String, _ change: @Sendable (inout FlinkJob) -> Void, _ message: String) {
        var job = FlinkJob.fixture()
        change(&job)
        #expect(validator.problems(job).contains(message), "\(name): \(validator.problems(job))")
    }

    @Test func fileArtifactsAreRefusedWhenNoDirectoryIsConfigured() {
        #expect(JobValidator(artifactDirectories: []).problems(.fixture()).first?.contains("file:// artifacts are disabled") == true)
    }
}

@Suite struct SubmissionConfigurationTests {
    @Test func streamingJobRetainsCheckpointsAndMapsTheSpec() {
        var spec = FlinkJobSpec(artifact: .init(jar: .init(uri: "file:///a/b.jar")), parallelism: 3)
        spec.checkpointing = .init(interval: "10s", timeout: "1m", minPause: "500ms", maxConcurrent: 1, mode: .atLeastOnce)
        spec.restartStrategy = .init(type: .fixedDelay, attempts: 5, delay: "2s")
        spec.flinkConfiguration = ["pipeline.object-reuse": "true", "pipeline.name": "custom"]
        let deployment = Deployment(
            jobID: String(repeating: "a", count: 32), sequence: 1, spec: DeploySpec(spec), restorePath: "file:///sp/1",
            allowNonRestoredState: true, reason: .upgrade, jobName: "ns/job")
        let request = FlinkSubmission.runRequest(
            for: deployment, entryClass: "E", arguments: ["x"], savepointDirectory: "file:///sp", checkpointDirectory: "file:///ck")
        let config = request.flinkConfiguration ?? [:]
        #expect(config["execution.checkpointing.externalized-checkpoint-retention"] == "RETAIN_ON_CANCELLATION")
        #expect(config["execution.checkpointing.interval"] == "10000 ms")
        #expect(config["execution.checkpointing.min-pause"] == "500 ms")
        #expect(config["execution.checkpointing.mode"] == "AT_LEAST_ONCE")
        #expect(config["restart-strategy.type"] == "fixed-delay")
        #expect(config["restart-strategy.fixed-delay.attempts"] == "5")
        #expect(config["execution.checkpointing.savepoint-dir"] == "file:///sp")
        #expect(config["execution.checkpointing.dir"] == "file:///ck")
        #expect(config["pipeline.name"] == "custom")
        #expect(config["pipeline.object-reuse"] == "true")
        #expect(request.jobID?.hexString == String(repeating: "a", count: 32))
        #expect(request.savepointPath == "file:///sp/1")
        #expect(request.allowNonRestoredState == true)
        #expect(request.claimMode == .noClaim)
        #expect(request.parallelism == 3)
    }

    @Test func batchJobRunsInBatchMode() {
        var spec = FlinkJobSpec(artifact: .init(jar: .init(uri: "file:///a/b.jar")))
        spec.type = .batch
        let deployment = Deployment(
            jobID: String(repeating: "b", count: 32), sequence: 1, spec: DeploySpec(spec), restorePath: nil,
            allowNonRestoredState: false, reason: .scheduledRun, jobName: "ns/job")
        let config = FlinkSubmission.configuration(for: deployment, savepointDirectory: nil, checkpointDirectory: nil)
        #expect(config["execution.runtime-mode"] == "BATCH")
        #expect(config["execution.checkpointing.externalized-checkpoint-retention"] == nil)
    }

    @Test func sqlScriptsSplitAtLineEndingSemicolons() {
        let script = """
            -- a comment
            CREATE TABLE src (x INT) WITH ('connector' = 'datagen');
            CREATE TABLE dst (x INT)
              WITH ('connector' = 'blackhole');

            INSERT INTO dst SELECT x FROM src WHERE 'a;b' <> 'c';
            """
        #expect(JobExecutor.splitStatements(script) == [
            "CREATE TABLE src (x INT) WITH ('connector' = 'datagen')",
            "CREATE TABLE dst (x INT)\n  WITH ('connector' = 'blackhole')",
            "INSERT INTO dst SELECT x FROM src WHERE 'a;b' <> 'c'",
        ])
    }
}

@Suite struct ArtifactCheckTests {
    /// A temp directory tree: `allowed/` with a jar, `outside/` with a jar, and a symlink from inside to outside.
    struct Tree {
        let root: URL
        var allowed: URL { root.appendingPathComponent("allowed") }
        var outside: URL { root.appendingPathComponent("outside") }

        init() throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("artifacts-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: root.appendingPathComponent("allowed"), withIntermediateDirectories: true)
            try FileManager.default.createDirectory(at: root.appendingPathComponent("outside"), withIntermediateDirectories: true)
            try Data("inside".utf8).write(to: allowed.appendingPathComponent("job.jar"))
            try Data("secret".utf8).write(to: outside.appendingPathComponent("secret.jar"))
            try FileManager.default.createSymbolicLink(
                at: allowed.appendingPathComponent("escape.jar"), withDestinationURL: outside.appendingPathComponent("secret.jar"))
        }

        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    func fetcher(_ tree: Tree) -> ArtifactFetcher {
        ArtifactFetcher(
            settings: .init(artifactDirectories: [tree.allowed.path], cacheDirectory: tree.root.appendingPathComponent("cache").path),
            http: UnusedHTTPClient(), logger: Logger(label: "test"))
    }

    @Test func fileInsideTheArtifactDirectoryIsFetchedWithItsDigest() async throws {
        let tree = try Tree()
        defer { tree.remove() }
        let artifact = try await fetcher(tree).fetch("file://\(tree.allowed.path)/job.jar", expectedDigest: nil)
        #expect(artifact.digest == "sha256:" + Digests.sha256(Data("inside".utf8)).hexString)
        #expect(artifact.fileName == "job.jar")
    }

    @Test func symlinkOutOfTheArtifactDirectoryIsRefused() async throws {
        let tree = try Tree()
        defer { tree.remove() }
        await #expect {
            _ = try await fetcher(tree).fetch("file://\(tree.allowed.path)/escape.jar", expectedDigest: nil)
        } throws: { error in
            guard case ArtifactError.pathNotAllowed(_, let reason) = error else { return false }
            return reason.contains("outside the artifact directories")
        }
    }

    @Test func dotDotIsRefused() async throws {
        let tree = try Tree()
        defer { tree.remove() }
        await #expect(throws: ArtifactError.pathNotAllowed(path: "\(tree.allowed.path)/../outside/secret.jar", reason: "it contains '..' or '.' segments")) {
            _ = try await fetcher(tree).fetch("file://\(tree.allowed.path)/../outside/secret.jar", expectedDigest: nil)
        }
    }

    @Test func wrongDigestIsRefusedBeforeAnyUpload() async throws {
        let tree = try Tree()
        defer { tree.remove() }
        let wrong = "sha256:" + String(repeating: "0", count: 64)
        await #expect {
            _ = try await fetcher(tree).fetch("file://\(tree.allowed.path)/job.jar", expectedDigest: wrong)
        } throws: { error in
            guard case ArtifactError.digestMismatch(let expected, _) = error else { return false }
            return expected == wrong && (error as? ArtifactError)?.reason == "ArtifactVerificationFailed"
        }
    }

    @Test(arguments: ["rsa:2048", "ec", "ec:P-384", "ed25519"])
    func signaturesVerifyWithTheMatchingKeyOnly(_ kind: String) async throws {
        let tree = try Tree()
        defer { tree.remove() }
        let file = tree.allowed.appendingPathComponent("job.jar").path
        let root = tree.root
        let (publicKey, signature) = try await offThePool { try OpenSSL.sign(file: file, kind: kind, in: root) }
        try SignatureVerifier.verify(fileAt: file, signature: signature, publicKeyPEM: publicKey)
        let other = tree.outside.appendingPathComponent("secret.jar").path
        #expect(throws: ArtifactError.self) {
            try SignatureVerifier.verify(fileAt: other, signature: signature, publicKeyPEM: publicKey)
        }
        #expect(throws: ArtifactError.self) {
            try SignatureVerifier.verify(fileAt: file, signature: signature, publicKeyPEM: "not a key")
        }
    }

    @Test func anRSAKeyBelow2048BitsIsRefusedEvenWhenTheSignatureMatches() async throws {
        let tree = try Tree()
        defer { tree.remove() }
        let file = tree.allowed.appendingPathComponent("job.jar").path
        let root = tree.root
        let (publicKey, signature) = try await offThePool { try OpenSSL.sign(file: file, kind: "rsa:1024", in: root) }
        #expect(throws: ArtifactError.signatureInvalid("the RSA public key has 1024 bits, fewer than the minimum of 2048")) {
            try SignatureVerifier.verify(fileAt: file, signature: signature, publicKeyPEM: publicKey)
        }
    }

    @Test func aStreamedSingleFileArchiveIsTheSameAsTheInMemoryOneAndUnzips() throws {
        let tree = try Tree()
        defer { tree.remove() }
        let source = tree.root.appendingPathComponent("job.py")
        let content = Data((0..<1_100_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try content.write(to: source)
        let destination = tree.root.appendingPathComponent("streamed.zip")
        var seen = Data()
        try StoredZip.write(fileAt: source.path, as: "job.py", to: destination.path) { seen.append($0) }
        let streamed = try Data(contentsOf: destination)
        #expect(streamed == StoredZip.archive([(name: "job.py", content: content)]))
        #expect(seen == streamed, "onBytes sees every byte written")
        let check = try OpenSSL.run(["python3", "-c", "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); print(z.testzip(), len(z.read('job.py')))", destination.path])
        #expect(check.trimmingCharacters(in: .whitespacesAndNewlines) == "None 1100000")
    }

    @Test func storedZipIsReadableByAnIndependentUnzipper() throws {
        let tree = try Tree()
        defer { tree.remove() }
        let archive = StoredZip.archive([(name: "job.py", content: Data("print('hi')\n".utf8)), (name: "lib.py", content: Data())])
        let path = tree.root.appendingPathComponent("a.zip")
        try archive.write(to: path)
        let listing = try OpenSSL.run(["python3", "-c", "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); print(z.testzip(), [(i.filename, z.read(i).decode()) for i in z.infolist()])", path.path])
        #expect(listing.trimmingCharacters(in: .whitespacesAndNewlines) == "None [('job.py', \"print('hi')\\n\"), ('lib.py', '')]")
        #expect(StoredZip.archive([(name: "job.py", content: Data("x".utf8))]) == StoredZip.archive([(name: "job.py", content: Data("x".utf8))]))
    }
}

/// An HTTP client for tests that must not touch the network.
struct UnusedHTTPClient: HTTPClient {
    func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
        throw HTTPTransportError.invalidRequest("no network in this test")
    }

    func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        throw HTTPTransportError.invalidRequest("no network in this test")
    }
}
