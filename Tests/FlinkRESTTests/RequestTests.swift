import FlinkREST
import Foundation
import HTTPTransport
import Logging
import Testing

/// What the client sends: methods, paths, JSON bodies, multipart uploads, timeouts (pure: a canned transport).
@Suite("Requests the client sends")
struct RequestTests {
    let jobID = FixtureDecodingTests.jobID

    @Test func runSendsEveryFieldUnderFlinksNamesAndUsesTheSubmissionTimeout() async throws {
        let transport = try CannedHTTPClient(status: 200, fixture: "jars-run")
        let client = try FlinkRESTClient(
            httpClient: transport,
            baseURL: "http://flink.test:8081",
            requestTimeout: .seconds(5),
            submissionTimeout: .seconds(99),
            logger: Logger(label: "test")
        )
        let request = JarRunRequest(
            entryClass: "io.jobcontroller.testjobs.StreamingJob",
            programArguments: ["--rate", "5"],
            parallelism: 2,
            jobID: jobID,
            savepointPath: "file:/sp/savepoint-1",
            allowNonRestoredState: true,
            claimMode: .noClaim,
            flinkConfiguration: ["pipeline.name": "x"]
        )
        _ = try await client.runJar("abc_testjobs.jar", request)
        let sent = try #require(transport.requests.first)
        #expect(sent.method == "POST")
        #expect(sent.url == "http://flink.test:8081/jars/abc_testjobs.jar/run")
        #expect(sent.timeout == .seconds(99))
        #expect(sent.headers["Content-Type"] == "application/json")
        let json = try #require(sent.json)
        #expect(json["entryClass"] as? String == "io.jobcontroller.testjobs.StreamingJob")
        #expect(json["programArgsList"] as? [String] == ["--rate", "5"])
        #expect(json["parallelism"] as? Int == 2)
        #expect(json["jobId"] as? String == jobID.hexString)
        #expect(json["savepointPath"] as? String == "file:/sp/savepoint-1")
        #expect(json["allowNonRestoredState"] as? Bool == true)
        #expect(json["claimMode"] as? String == "NO_CLAIM")
        #expect(json["flinkConfiguration"] as? [String: String] == ["pipeline.name": "x"])
    }

    @Test func runOmitsFieldsThatAreNotSet() async throws {
        let transport = try CannedHTTPClient(status: 200, fixture: "jars-run")
        _ = try await FixtureDecodingTests.client(transport).runJar("j.jar", JarRunRequest())
        #expect(try #require(transport.requests.first?.json).isEmpty)
    }

    @Test func uploadStreamsTheFileFromDiskAsMultipartFieldJarfile() async throws {
        let transport = try CannedHTTPClient(status: 200, fixture: "jars-upload")
        _ = try await FixtureDecodingTests.client(transport).uploadJar(at: #filePath, fileName: "job.jar")
        let sent = try #require(transport.requests.first)
        #expect(sent.method == "POST")
        #expect(sent.url == "http://flink.test:8081/jars/upload")
        let part = try #require(sent.multipart?.first)
        #expect(sent.multipart?.count == 1)
        #expect(part.name == "jarfile")
        #expect(part.filename == "job.jar")
        guard case .file(let path) = part.content else {
            Issue.record("the jar must be streamed from its file, not loaded into memory")
            return
        }
        #expect(path == #filePath)
    }

    @Test func uploadOfAMissingFileFailsBeforeSendingAnything() async throws {
        let transport = try CannedHTTPClient(status: 200, fixture: "jars-upload")
        let error = await flinkError {
            _ = try await FixtureDecodingTests.client(transport).uploadJar(at: "/nonexistent/flinkrest/job.jar")
        }
        #expect(error?.kind == .invalidRequest)
        #expect(transport.requests.isEmpty)
    }

    @Test func savepointTriggerSendsTargetCancelFormatAndTriggerID() async throws {
        let transport = try CannedHTTPClient(status: 202, fixture: "savepoint-trigger")
        let trigger = FlinkTriggerID.random()
        _ = try await FixtureDecodingTests.client(transport).triggerSavepoint(
            of: jobID,
            targetDirectory: "file:///sp",
            cancelJob: true,
            formatType: .native,
            triggerID: trigger
        )
        let sent = try #require(transport.requests.first)
        #expect(sent.method == "POST")
        #expect(sent.url == "http://flink.test:8081/jobs/\(jobID)/savepoints")
        let json = try #require(sent.json)
        #expect(json["target-directory"] as? String == "file:///sp")
        #expect(json["cancel-job"] as? Bool == true)
        #expect(json["formatType"] as? String == "NATIVE")
        #expect(json["triggerId"] as? String == trigger.hexString)
    }

    @Test func stopSendsDrainTargetDirectoryAndTriggerID() async throws {
        let transport = try CannedHTTPClient(status: 202, fixture: "stop-trigger")
        let trigger = FlinkTriggerID.random()
        _ = try await FixtureDecodingTests.client(transport).stopWithSavepoint(
            jobID,
            targetDirectory: "file:///sp",
            drain: false,
            triggerID: trigger
        )
        let sent = try #require(transport.requests.first)
        #expect(sent.url == "http://flink.test:8081/jobs/\(jobID)/stop")
        let json = try #require(sent.json)
        #expect(json["targetDirectory"] as? String == "file:///sp")
        #expect(json["drain"] as? Bool == false)
        #expect(json["triggerId"] as? String == trigger.hexString)
        #expect(json["formatType"] == nil)
    }

    @Test func cancelIsAPatchWithModeCancel() async throws {
        let transport = try CannedHTTPClient(status: 202, fixture: "job-cancel-202")
        try await FixtureDecodingTests.client(transport).cancelJob(jobID)
        let sent = try #require(transport.requests.first)
        #expect(sent.method == "PATCH")
        #expect(sent.url == "http://flink.test:8081/jobs/\(jobID)?mode=cancel")
    }

    @Test func disposalSendsTheSavepointPath() async throws {
        let transport = try CannedHTTPClient(status: 200, fixture: "savepoint-disposal-trigger")
        _ = try await FixtureDecodingTests.client(transport).disposeSavepoint(at: "file:/sp/savepoint-a1a1a1-1")
        let sent = try #require(transport.requests.first)
        #expect(sent.url == "http://flink.test:8081/savepoint-disposal")
        #expect(sent.json?["savepoint-path"] as? String == "file:/sp/savepoint-a1a1a1-1")
    }

    @Test func resourceRequirementsArePutPerVertexUnderParallelism() async throws {
        let transport = try CannedHTTPClient(status: 200, fixture: "resource-requirements-put")
        let requirements = JobResourceRequirements(vertices: ["v1": .init(lowerBound: 1, upperBound: 3)])
        try await FixtureDecodingTests.client(transport).updateResourceRequirements(of: jobID, requirements)
        let sent = try #require(transport.requests.first)
        #expect(sent.method == "PUT")
        #expect(sent.url == "http://flink.test:8081/jobs/\(jobID)/resource-requirements")
        let vertex = try #require(sent.json?["v1"] as? [String: Any])
        let bounds = try #require(vertex["parallelism"] as? [String: Any])
        #expect(bounds["lowerBound"] as? Int == 1)
        #expect(bounds["upperBound"] as? Int == 3)
    }

    @Test func baseURLPathPrefixIsKeptAndTrailingSlashIgnored() async throws {
        let transport = try CannedHTTPClient(status: 200, fixture: "overview")
        let client = try FixtureDecodingTests.client(transport, baseURL: "https://gateway.example/flink/prod/")
        #expect(client.baseURL == "https://gateway.example/flink/prod")
        _ = try await client.clusterOverview()
        #expect(transport.requests.first?.url == "https://gateway.example/flink/prod/overview")
    }

    @Test func jarIDsAndVertexIDsArePercentEncodedInPaths() async throws {
        let transport = try CannedHTTPClient(status: 200, fixture: "jars-run")
        _ = try await FixtureDecodingTests.client(transport).runJar("a b/../c.jar", JarRunRequest())
        #expect(transport.requests.first?.url == "http://flink.test:8081/jars/a%20b%2F..%2Fc.jar/run")
    }

    @Test(arguments: ["", "flink:8081", "ftp://flink:8081", "http://", "http://flink:8081/?x=1", "http://flink#frag"])
    func malformedBaseURLsAreRefused(_ url: String) throws {
        let transport = CannedHTTPClient(status: 200, body: Data())
        #expect(throws: FlinkRESTError.self) {
            try FlinkRESTClient(httpClient: transport, baseURL: url, logger: Logger(label: "test"))
        }
    }

    @Test func authenticationIsSentWithEveryRequest() async throws {
        let transport = try CannedHTTPClient(status: 200, fixture: "overview")
        let client = try FlinkRESTClient(
            httpClient: transport,
            baseURL: "https://flink.test",
            authentication: .basic(username: "u", password: "p"),
            logger: Logger(label: "test")
        )
        _ = try await client.clusterOverview()
        _ = try await client.clusterOverview()
        #expect(transport.requests.count == 2)
        #expect(transport.requests.allSatisfy { $0.authenticated })
        #expect(transport.requests.allSatisfy { $0.timeout == client.requestTimeout })
    }
}
