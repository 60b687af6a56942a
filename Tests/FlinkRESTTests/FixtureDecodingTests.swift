import FlinkREST
import Foundation
import HTTPTransport
import Logging
import Testing

/// Every recorded Flink 2.3 response goes through the client method that receives it (pure: a canned
/// transport, no Flink), plus checks of what the typed models carry.
@Suite("Decoding of recorded Flink 2.3 responses")
struct FixtureDecodingTests {
    /// Which client call a fixture answers, and what must come out.
    struct Case: Sendable, CustomTestStringConvertible {
        enum Call: Sendable {
            case clusterOverview, dashboardConfiguration, jobManagerConfiguration, taskManagers
            case uploadJar, listJars, deleteJar, runJar
            case listJobs, applicationsOverview, jobsOverview, jobDetails, jobStatus, jobExceptions
            case executionResult, cancelJob
            case checkpointStatistics, checkpointConfiguration
            case triggerSavepoint, stopWithSavepoint, savepointStatus, disposeSavepoint, disposalStatus
            case backpressure, resourceRequirements, updateResourceRequirements
        }

        enum Outcome: Sendable {
            /// A value comes out.
            case value
            /// `nil` comes out (checkpointing disabled).
            case none
            /// The call throws this kind of error.
            case error(FlinkRESTError.Kind)
        }

        var fixture: String
        var status: Int
        var call: Call
        var outcome: Outcome

        var testDescription: String { "\(fixture) (\(status))" }
    }

    static let cases: [Case] = [
        Case(fixture: "applications-overview", status: 200, call: .applicationsOverview, outcome: .value),
        Case(fixture: "backpressure", status: 200, call: .backpressure, outcome: .value),
        Case(fixture: "backpressure-busy-operator", status: 200, call: .backpressure, outcome: .value),
        Case(fixture: "backpressure-low", status: 200, call: .backpressure, outcome: .value),
        Case(fixture: "backpressure-no-metrics-yet", status: 200, call: .backpressure, outcome: .value),
        Case(fixture: "checkpoint-config", status: 200, call: .checkpointConfiguration, outcome: .value),
        Case(fixture: "checkpoint-config-not-enabled-404", status: 404, call: .checkpointConfiguration, outcome: .none),
        Case(fixture: "checkpoints-after-rescale", status: 200, call: .checkpointStatistics, outcome: .value),
        Case(fixture: "checkpoints-not-enabled-404", status: 404, call: .checkpointStatistics, outcome: .none),
        Case(fixture: "checkpoints-restored", status: 200, call: .checkpointStatistics, outcome: .value),
        Case(fixture: "checkpoints-running", status: 200, call: .checkpointStatistics, outcome: .value),
        Case(fixture: "config", status: 200, call: .dashboardConfiguration, outcome: .value),
        Case(fixture: "execution-result-failed", status: 200, call: .executionResult, outcome: .value),
        Case(fixture: "execution-result-in-progress", status: 200, call: .executionResult, outcome: .value),
        Case(fixture: "execution-result-succeeded", status: 200, call: .executionResult, outcome: .value),
        Case(fixture: "jars-delete-unknown", status: 400, call: .deleteJar, outcome: .error(.notFound)),
        Case(fixture: "jars-list", status: 200, call: .listJars, outcome: .value),
        Case(fixture: "jars-list-empty", status: 200, call: .listJars, outcome: .value),
        Case(fixture: "jars-run", status: 200, call: .runJar, outcome: .value),
        Case(fixture: "jars-run-bad-jobid-400", status: 400, call: .runJar, outcome: .error(.badRequest)),
        Case(fixture: "jars-run-bad-savepoint-400", status: 400, call: .runJar, outcome: .error(.badRequest)),
        Case(fixture: "jars-run-duplicate-400", status: 400, call: .runJar, outcome: .error(.duplicateJob)),
        Case(fixture: "jars-run-from-savepoint", status: 200, call: .runJar, outcome: .value),
        Case(fixture: "jars-run-not-a-jar-500", status: 500, call: .runJar, outcome: .error(.serverError)),
        Case(fixture: "jars-run-python", status: 200, call: .runJar, outcome: .value),
        Case(fixture: "jars-run-python-bad-client-executable", status: 400, call: .runJar, outcome: .error(.badRequest)),
        Case(fixture: "jars-run-python-module-from-uploaded-zip", status: 200, call: .runJar, outcome: .value),
        Case(fixture: "jars-run-sql", status: 200, call: .runJar, outcome: .value),
        Case(fixture: "jars-run-sql-syntax-error-400", status: 400, call: .runJar, outcome: .error(.badRequest)),
        Case(fixture: "jars-run-unknown-entry-class-500", status: 500, call: .runJar, outcome: .error(.serverError)),
        Case(fixture: "jars-run-unknown-jar-500", status: 500, call: .runJar, outcome: .error(.notFound)),
        Case(fixture: "jars-upload", status: 200, call: .uploadJar, outcome: .value),
        Case(fixture: "jars-upload-not-jar-400", status: 400, call: .uploadJar, outcome: .error(.badRequest)),
        Case(fixture: "job-cancel-202", status: 202, call: .cancelJob, outcome: .value),
        Case(fixture: "job-cancel-terminal-202", status: 202, call: .cancelJob, outcome: .value),
        Case(fixture: "job-cancel-unknown-404", status: 404, call: .cancelJob, outcome: .error(.notFound)),
        Case(fixture: "job-details-adaptive", status: 200, call: .jobDetails, outcome: .value),
        Case(fixture: "job-details-batch-finished", status: 200, call: .jobDetails, outcome: .value),
        Case(fixture: "job-details-finished-after-stop", status: 200, call: .jobDetails, outcome: .value),
        Case(fixture: "job-details-running", status: 200, call: .jobDetails, outcome: .value),
        Case(fixture: "job-exceptions-bad-savepoint", status: 200, call: .jobExceptions, outcome: .value),
        Case(fixture: "job-exceptions-failed", status: 200, call: .jobExceptions, outcome: .value),
        Case(fixture: "job-exceptions-streaming-restarts", status: 200, call: .jobExceptions, outcome: .value),
        Case(fixture: "job-status", status: 200, call: .jobStatus, outcome: .value),
        Case(fixture: "job-status-finished", status: 200, call: .jobStatus, outcome: .value),
        Case(fixture: "job-status-unknown-500", status: 500, call: .jobStatus, outcome: .error(.notFound)),
        Case(fixture: "jobmanager-config", status: 200, call: .jobManagerConfiguration, outcome: .value),
        Case(fixture: "jobmanager-config-adaptive", status: 200, call: .jobManagerConfiguration, outcome: .value),
        Case(fixture: "jobs-list", status: 200, call: .listJobs, outcome: .value),
        Case(fixture: "jobs-overview", status: 200, call: .jobsOverview, outcome: .value),
        Case(fixture: "jobs-overview-empty", status: 200, call: .jobsOverview, outcome: .value),
        Case(fixture: "jobs-overview-waiting-for-slots", status: 200, call: .jobsOverview, outcome: .value),
        Case(fixture: "not-found-404", status: 404, call: .jobDetails, outcome: .error(.notFound)),
        Case(fixture: "overview", status: 200, call: .clusterOverview, outcome: .value),
        Case(fixture: "resource-requirements", status: 200, call: .resourceRequirements, outcome: .value),
        Case(fixture: "resource-requirements-after-put", status: 200, call: .resourceRequirements, outcome: .value),
        Case(
            fixture: "resource-requirements-default-scheduler-500", status: 500, call: .resourceRequirements,
            outcome: .error(.serverError)
        ),
        Case(fixture: "resource-requirements-put", status: 200, call: .updateResourceRequirements, outcome: .value),
        Case(
            fixture: "resource-requirements-put-above-max-400", status: 400, call: .updateResourceRequirements,
            outcome: .error(.badRequest)
        ),
        Case(
            fixture: "resource-requirements-put-default-scheduler-500", status: 500,
            call: .updateResourceRequirements, outcome: .error(.serverError)
        ),
        Case(
            fixture: "resource-requirements-put-empty-400", status: 400, call: .updateResourceRequirements,
            outcome: .error(.badRequest)
        ),
        Case(
            fixture: "resource-requirements-put-unknown-vertex-400", status: 400, call: .updateResourceRequirements,
            outcome: .error(.badRequest)
        ),
        Case(fixture: "savepoint-completed", status: 200, call: .savepointStatus, outcome: .value),
        Case(fixture: "savepoint-disposal-completed", status: 200, call: .disposalStatus, outcome: .value),
        Case(fixture: "savepoint-disposal-failed", status: 200, call: .disposalStatus, outcome: .value),
        Case(fixture: "savepoint-disposal-trigger", status: 200, call: .disposeSavepoint, outcome: .value),
        Case(
            fixture: "savepoint-disposal-unknown-trigger-404", status: 404, call: .disposalStatus,
            outcome: .error(.notFound)
        ),
        Case(fixture: "savepoint-failed", status: 200, call: .savepointStatus, outcome: .value),
        Case(fixture: "savepoint-finished-job-failed", status: 200, call: .savepointStatus, outcome: .value),
        Case(fixture: "savepoint-in-progress", status: 200, call: .savepointStatus, outcome: .value),
        Case(fixture: "savepoint-trigger", status: 202, call: .triggerSavepoint, outcome: .value),
        Case(fixture: "savepoint-trigger-finished-job", status: 202, call: .triggerSavepoint, outcome: .value),
        Case(fixture: "savepoint-trigger-same-trigger-id", status: 202, call: .triggerSavepoint, outcome: .value),
        Case(fixture: "savepoint-trigger-unknown-job", status: 202, call: .triggerSavepoint, outcome: .value),
        Case(fixture: "savepoint-trigger-with-trigger-id", status: 202, call: .triggerSavepoint, outcome: .value),
        Case(fixture: "savepoint-unknown-job-failed", status: 200, call: .savepointStatus, outcome: .value),
        Case(fixture: "savepoint-unknown-trigger-404", status: 404, call: .savepointStatus, outcome: .error(.notFound)),
        Case(fixture: "stop-completed", status: 200, call: .savepointStatus, outcome: .value),
        Case(fixture: "stop-trigger", status: 202, call: .stopWithSavepoint, outcome: .value),
        Case(fixture: "stop-trigger-unknown-job", status: 202, call: .stopWithSavepoint, outcome: .value),
        Case(fixture: "stop-trigger-with-trigger-id", status: 202, call: .stopWithSavepoint, outcome: .value),
        Case(fixture: "taskmanagers", status: 200, call: .taskManagers, outcome: .value),
    ]

    static let jobID = FlinkJobID("a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1")!
    static let triggerID = FlinkTriggerID("0123456789abcdef0123456789abcdef")!

    static func client(_ transport: CannedHTTPClient, baseURL: String = "http://flink.test:8081") throws
        -> FlinkRESTClient
    {
        try FlinkRESTClient(httpClient: transport, baseURL: baseURL, logger: Logger(label: "test"))
    }

    /// Serves `fixture` with `status` and decodes it through the client method it answers.
    static func decode(_ fixture: String, status: Int, with call: Case.Call) async throws(FlinkRESTError) -> Any? {
        let transport: CannedHTTPClient
        let client: FlinkRESTClient
        do {
            transport = try CannedHTTPClient(status: status, fixture: fixture)
            client = try Self.client(transport)
        } catch {
            throw .invalidRequest("fixture \(fixture) unavailable: \(error)")
        }
        switch call {
        case .clusterOverview: return try await client.clusterOverview()
        case .dashboardConfiguration: return try await client.dashboardConfiguration()
        case .jobManagerConfiguration: return try await client.jobManagerConfiguration()
        case .taskManagers: return try await client.taskManagers()
        case .uploadJar: return try await client.uploadJar(at: #filePath, fileName: "testjobs.jar")
        case .listJars: return try await client.listJars()
        case .deleteJar: return try await client.deleteJar("0000_nope.jar")
        case .runJar: return try await client.runJar("x_testjobs.jar", JarRunRequest(jobID: jobID))
        case .listJobs: return try await client.listJobs()
        case .applicationsOverview: return try await client.applicationsOverview()
        case .jobsOverview: return try await client.jobsOverview()
        case .jobDetails: return try await client.jobDetails(jobID)
        case .jobStatus: return try await client.jobStatus(jobID)
        case .jobExceptions: return try await client.jobExceptions(jobID)
        case .executionResult: return try await client.jobExecutionResult(jobID)
        case .cancelJob: return try await client.cancelJob(jobID)
        case .checkpointStatistics: return try await client.checkpointStatistics(jobID)
        case .checkpointConfiguration: return try await client.checkpointConfiguration(jobID)
        case .triggerSavepoint: return try await client.triggerSavepoint(of: jobID)
        case .stopWithSavepoint: return try await client.stopWithSavepoint(jobID)
        case .savepointStatus: return try await client.savepointStatus(of: jobID, trigger: triggerID)
        case .disposeSavepoint: return try await client.disposeSavepoint(at: "file:/tmp/savepoint-a1a1a1-000000000000")
        case .disposalStatus: return try await client.savepointDisposalStatus(trigger: triggerID)
        case .backpressure: return try await client.backpressure(of: jobID, vertex: "5e88ece2919d586b37df09cd1e46276a")
        case .resourceRequirements: return try await client.resourceRequirements(of: jobID)
        case .updateResourceRequirements:
            let requirements = JobResourceRequirements(vertices: ["5e88ece2919d586b37df09cd1e46276a": .init(lowerBound: 1, upperBound: 2)])
            return try await client.updateResourceRequirements(of: jobID, requirements)
        }
    }

    @Test("every fixture in Fixtures/ has a decoding case")
    func everyFixtureHasACase() throws {
        let covered = Set(Self.cases.map(\.fixture))
        let present = Set(try Fixture.allNames())
        #expect(present.subtracting(covered).sorted() == [], "fixtures without a decoding case")
        #expect(covered.subtracting(present).sorted() == [], "cases without a fixture")
        #expect(present.count >= 74)
    }

    @Test("each fixture decodes through its client call into the expected outcome", arguments: cases)
    func fixtureDecodesThroughItsCall(_ testCase: Case) async throws {
        var value: Any?
        var thrown: FlinkRESTError?
        do {
            value = try await Self.decode(testCase.fixture, status: testCase.status, with: testCase.call)
        } catch {
            thrown = error
        }
        switch testCase.outcome {
        case .value:
            #expect(thrown == nil, "\(thrown.map(String.init(describing:)) ?? "")")
            #expect(value != nil, "expected a value, got nil")
        case .none:
            #expect(thrown == nil, "\(thrown.map(String.init(describing:)) ?? "")")
            #expect(value == nil, "expected nil, got \(String(describing: value))")
        case .error(let kind):
            #expect(thrown?.kind == kind, "got \(thrown.map(String.init(describing:)) ?? "a value")")
            if let thrown {
                #expect(thrown.message.utf8.count <= FlinkErrorText.defaultLimit + 200)
                #expect(!thrown.message.contains("\tat "), "stack frames must be trimmed")
            }
        }
    }
}
