import FlinkREST
import Foundation
import HTTPTransport
import Logging
import Testing

/// How failures become `FlinkRESTError`s, and how Flink's stack traces are trimmed (pure).
@Suite("Error classification and trimming")
struct ErrorClassificationTests {
    let jobID = FixtureDecodingTests.jobID

    static let transportCases: [(HTTPTransportError, FlinkRESTError.Kind)] = [
        (.connectFailed("Connection refused"), .unreachable),
        (.tlsFailed("TLS: certificate verify failed"), .unreachable),
        (.curl(code: 56, message: "Recv failure"), .unreachable),
        (.shutDown, .unreachable),
        (.timedOut("Operation timed out"), .timeout),
        (.cancelled, .cancelled),
        (.bodySourceFailed("no such file"), .invalidRequest),
        (.credentialsUnavailable("token file missing"), .invalidRequest),
        (.invalidRequest("bad header"), .invalidRequest),
        (.bodyTooLarge(limit: 10), .unexpectedResponse),
    ]

    @Test("transport failures map to typed errors", arguments: transportCases)
    func transportFailureMapsToItsKind(_ failure: HTTPTransportError, _ kind: FlinkRESTError.Kind) async throws {
        let transport = CannedHTTPClient([.failure(failure)])
        let error = await flinkError { _ = try await FixtureDecodingTests.client(transport).jobStatus(jobID) }
        #expect(error?.kind == kind)
        if kind != .cancelled { #expect(error?.message.contains("GET /jobs/\(jobID)/status") == true) }
    }

    @Test func unknownJobOnStatusIsNotFoundAlthoughFlinkAnswers500() async throws {
        let error = FlinkRESTError(status: 500, body: try Fixture.data("job-status-unknown-500"), request: "GET /x")
        #expect(error.kind == .notFound)
        #expect(error.message == "GET /x: org.apache.flink.runtime.messages.FlinkJobNotFoundException: Could not find Flink job (ffffffffffffffffffffffffffffffff)")
        #expect(!error.isTransient)
    }

    @Test func duplicateSubmissionIsRecognisedByTheExceptionClass() throws {
        let error = FlinkRESTError(status: 400, body: try Fixture.data("jars-run-duplicate-400"), request: "")
        #expect(error.kind == .duplicateJob)
        #expect(error.message.contains("DuplicateApplicationSubmissionException: Application has already been submitted."))
    }

    @Test func htmlErrorPagesAreNeverMistakenForAVanishedJob() {
        let html = Data("<html><body><h1>404 Not Found</h1>nginx</body></html>".utf8)
        let notFound = FlinkRESTError(status: 404, body: html, request: "GET /jobs/x")
        #expect(notFound.kind == .unexpectedResponse)
        #expect(notFound.message.contains("404 Not Found"))
        let unknownPath = FlinkRESTError(
            status: 404,
            body: Data(#"{"errors":["Unable to load requested file /flink/jobs/x."]}"#.utf8),
            request: "GET /flink/jobs/x"
        )
        #expect(unknownPath.kind == .unexpectedResponse)
    }

    @Test func gatewayErrorsWithoutAFlinkBodyMeanFlinkIsUnreachable() {
        let error = FlinkRESTError(status: 502, body: Data("<html>Bad Gateway</html>".utf8), request: "GET /overview")
        #expect(error.kind == .unreachable)
        #expect(error.isTransient)
    }

    @Test func refusedCredentialsAreUnauthorized() {
        #expect(FlinkRESTError(status: 401, body: Data("Unauthorized".utf8), request: "").kind == .unauthorized)
        #expect(FlinkRESTError(status: 403, body: Data(#"{"errors":["Forbidden"]}"#.utf8), request: "").kind == .unauthorized)
    }

    @Test func serverErrorsKeepTheirStatusAndTrimmedMessage() throws {
        let error = FlinkRESTError(
            status: 500,
            body: try Fixture.data("resource-requirements-default-scheduler-500"),
            request: "GET /jobs/x/resource-requirements"
        )
        guard case .serverError(let status, let message) = error else {
            Issue.record("expected serverError, got \(error)")
            return
        }
        #expect(status == 500)
        #expect(message.hasSuffix("java.lang.UnsupportedOperationException: The DefaultScheduler does not support changing the parallelism without a job restart. This feature is currently only expected to work with the AdaptiveScheduler."))
        #expect(error.isTransient)
    }

    @Test func undecodableSuccessBodiesAreUnexpectedResponsesWithASnippet() async throws {
        for body in ["not json at all", #"{"jid": 12}"#, #"{"status": 5}"#, "", #"{"errors": "#] {
            let transport = CannedHTTPClient(status: 200, body: Data(body.utf8))
            let error = await flinkError { _ = try await FixtureDecodingTests.client(transport).jobStatus(jobID) }
            guard case .unexpectedResponse(let status, let snippet) = error else {
                Issue.record("expected unexpectedResponse for \(body), got \(String(describing: error))")
                continue
            }
            #expect(status == 200)
            #expect(snippet.contains("GET /jobs/\(jobID)/status"))
        }
    }

    @Test func arbitraryBytesNeverCrashAnyDecoder() async throws {
        var generator = SystemRandomNumberGenerator()
        let statuses = [200, 202, 400, 404, 409, 500, 503]
        for round in 0..<200 {
            let length = Int.random(in: 0..<300, using: &generator)
            var bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // Half of the rounds start like JSON so the decoders get past the first byte.
            if round % 2 == 0 { bytes = Array(#"{"errors":["#.utf8) + bytes }
            let status = statuses[round % statuses.count]
            let transport = CannedHTTPClient(status: status, body: Data(bytes))
            let client = try FixtureDecodingTests.client(transport)
            _ = await flinkError { _ = try await client.jobDetails(jobID) }
            _ = await flinkError { _ = try await client.checkpointStatistics(jobID) }
            _ = await flinkError { _ = try await client.savepointStatus(of: jobID, trigger: .random()) }
            _ = await flinkError { _ = try await client.backpressure(of: jobID, vertex: "v") }
        }
    }

    @Test func longFlinkErrorsAreTrimmedToClassesAndMessages() throws {
        let body = try Fixture.data("jars-run-bad-savepoint-400")
        #expect(body.count > 5_000)
        let error = FlinkRESTError(status: 400, body: body, request: "POST /jars/j/run")
        #expect(error.kind == .badRequest)
        let message = error.message
        #expect(message.utf8.count <= FlinkErrorText.defaultLimit + "POST /jars/j/run: ".utf8.count)
        #expect(!message.contains("\tat "))
        #expect(message.hasPrefix("POST /jars/j/run: org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute application."))
        #expect(message.hasSuffix("Caused by: java.io.FileNotFoundException: Cannot find checkpoint or savepoint file/directory 'file:///tmp/flinkenv/no-such-savepoint' on file system 'file'."))
        // Pure wrappers ("CompletionException: <the next cause>") are dropped.
        #expect(!message.contains("Caused by: java.util.concurrent.CompletionException"))
        #expect(message.contains("Caused by: org.apache.flink.runtime.client.JobInitializationException: Could not start the JobMaster."))
    }

    @Test func summariesOverTheLimitKeepTheFirstLineAndTheDeepestCauses() {
        var trace = "com.example.TopException: top level message\n\tat a.b.C.d(C.java:1)\n"
        for index in 1...60 {
            trace += "Caused by: com.example.Cause\(index)Exception: " + String(repeating: "x", count: 80) + " \(index)\n"
            trace += "\tat a.b.C.d(C.java:\(index))\n\t... 3 more\n"
        }
        let summary = FlinkErrorText.summary(ofStackTrace: trace)
        #expect(summary.utf8.count <= FlinkErrorText.defaultLimit)
        #expect(summary.hasPrefix("com.example.TopException: top level message\n…\n"))
        #expect(summary.hasSuffix("Caused by: com.example.Cause60Exception: " + String(repeating: "x", count: 80) + " 60"))
        #expect(!summary.contains("Cause1Exception"))
    }

    @Test func multiLineMessagesAreKeptAndSuppressedBlocksDropped() {
        let trace = """
            org.apache.flink.table.api.ValidationException: SQL validation failed. From line 1, column 8
            Object 'nope' not found
            \tat org.apache.flink.Foo.bar(Foo.java:1)
            \tSuppressed: java.lang.RuntimeException: noise
            \t\tat x.Y.z(Y.java:2)
            Caused by: org.apache.calcite.sql.validate.SqlValidatorException: Object 'nope' not found
            \t... 5 more
            """
        #expect(FlinkErrorText.summary(ofStackTrace: trace) == """
            org.apache.flink.table.api.ValidationException: SQL validation failed. From line 1, column 8
            Object 'nope' not found
            Caused by: org.apache.calcite.sql.validate.SqlValidatorException: Object 'nope' not found
            """)
    }

    @Test func truncationNeverSplitsACharacter() {
        let text = String(repeating: "é", count: 2000)
        let summary = FlinkErrorText.summary(of: [text], limit: 101)
        #expect(summary.utf8.count <= 101)
        #expect(summary.hasSuffix("…"))
        #expect(summary.dropLast().allSatisfy { $0 == "é" })
    }
}
