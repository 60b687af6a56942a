import FlinkModel
import FlinkREST
import Testing

@Suite struct ScalingTests {
    @Test func theDefaultSchedulerAnswersResourceRequirementsWithAServerError() async throws {
        let flink = InMemoryFlink.fixture()
        let id = try await flink.runningJob(.streaming())
        let read = await flinkError { _ = try await flink.resourceRequirements(of: id) }
        #expect(read?.kind == "serverError")
        #expect(read?.message.contains("The DefaultScheduler does not support changing the parallelism") == true)
        let write = await flinkError {
            try await flink.updateResourceRequirements(of: id, JobResourceRequirements(vertices: [:]))
        }
        #expect(write?.kind == "serverError")
        #expect(try await flink.jobManagerConfiguration().usesAdaptiveScheduler == false)
    }

    @Test func theAdaptiveSchedulerRescalesARunningJobInPlace() async throws {
        let flink = InMemoryFlink.fixture(slots: 4, scheduler: .adaptive)
        let id = try await flink.runningJob(.streaming(jobID: .fixture("a"), parallelism: 1))
        flink.advance(by: .seconds(10))
        let current = try await flink.resourceRequirements(of: id)
        #expect(current.vertices.count == 2)
        #expect(current.vertices.values.allSatisfy { $0 == .init(lowerBound: 1, upperBound: 1) })
        try await flink.updateResourceRequirements(of: id, current.withAllVertices(lowerBound: 1, upperBound: 3))
        #expect(try await flink.resourceRequirements(of: id).vertices.values.map(\.upperBound) == [3, 3])
        #expect(flink.job(id)?.parallelism == [1, 1])
        flink.advance(by: .seconds(1))
        #expect(try await flink.jobStatus(id) == .running)
        #expect(flink.advance(until: { $0.tasksRunning(id) }, within: .seconds(2)))
        let details = try await flink.jobDetails(id)
        #expect(details.id == id)
        #expect(details.vertices.map(\.parallelism) == [3, 3])
        let statistics = try #require(try await flink.checkpointStatistics(id))
        #expect(statistics.counts.restored == 1)
        #expect(statistics.latest.restored?.id == 1)
        #expect(statistics.latest.restored?.isSavepoint == false)
        #expect(flink.allJobs.count == 1)
        #expect(try await flink.jobDetails(id).timestamps["RESTARTING"] == 0)
    }

    @Test func puttingTheSameRequirementsAgainChangesNothing() async throws {
        let flink = InMemoryFlink.fixture(scheduler: .adaptive)
        let id = try await flink.runningJob(.streaming(parallelism: 2))
        let current = try await flink.resourceRequirements(of: id)
        try await flink.updateResourceRequirements(of: id, current)
        flink.advance(by: .seconds(5))
        #expect(!flink.events.contains { if case .jobRescaled = $0.kind { true } else { false } })
    }

    @Test func aRescaleAboveTheFreeSlotsRunsAtWhatIsAvailable() async throws {
        let flink = InMemoryFlink.fixture(slots: 4, scheduler: .adaptive)
        let id = try await flink.runningJob(.streaming(parallelism: 1))
        let current = try await flink.resourceRequirements(of: id)
        try await flink.updateResourceRequirements(of: id, current.withAllVertices(lowerBound: 1, upperBound: 8))
        flink.advance(by: .seconds(3))
        #expect(flink.job(id)?.parallelism == [4, 4])
    }

    /// A refused PUT and the words Flink refuses it with.
    struct Refusal: Sendable, CustomTestStringConvertible {
        var name: String
        var build: @Sendable ([String]) -> JobResourceRequirements
        var message: String
        var testDescription: String { name }
    }

    static let refusals = [
        Refusal(name: "empty", build: { _ in JobResourceRequirements(vertices: [:]) },
                message: "Request body does not specify resource requirements."),
        Refusal(name: "unknown vertex", build: { ids in
            JobResourceRequirements(vertices: Dictionary(uniqueKeysWithValues: ids.map { ($0, .init(lowerBound: 1, upperBound: 2)) }
                + [("00000000000000000000000000000000", .init(lowerBound: 1, upperBound: 2))]))
        }, message: "Job vertex [00000000000000000000000000000000] was not found in the JobGraph."),
        Refusal(name: "missing vertex", build: { ids in
            JobResourceRequirements(vertices: [ids[0]: .init(lowerBound: 1, upperBound: 2)])
        }, message: "The request is incomplete, missing job vertex"),
        Refusal(name: "above max parallelism", build: { ids in
            JobResourceRequirements(vertices: Dictionary(uniqueKeysWithValues: ids.map { ($0, .init(lowerBound: 1, upperBound: 500)) }))
        }, message: "exceeds its maximum parallelism 128"),
    ]

    @Test("a PUT Flink refuses is a bad request and changes nothing", arguments: refusals)
    func refusedRequirementsAreABadRequest(_ refusal: Refusal) async throws {
        let flink = InMemoryFlink.fixture(scheduler: .adaptive)
        let id = try await flink.runningJob(.streaming())
        let vertexIDs = try await flink.jobDetails(id).vertices.map(\.id)
        let error = await flinkError { try await flink.updateResourceRequirements(of: id, refusal.build(vertexIDs)) }
        #expect(error?.kind == "badRequest")
        #expect(error?.message.contains(refusal.message) == true, "\(String(describing: error))")
        #expect(try await flink.resourceRequirements(of: id).vertices.values.map(\.upperBound) == [1, 1])
    }

    @Test func backpressureIsUnavailableForAYoungJobThenMeasured() async throws {
        let flink = InMemoryFlink.fixture()
        let id = try await flink.runningJob(.streaming(parallelism: 2))
        let source = try #require(try await flink.jobDetails(id).vertices.first?.id)
        #expect(try await flink.backpressure(of: id, vertex: source) == .unavailable)
        flink.setBackpressure(of: id, vertex: source, ratio: 0.387)
        flink.advance(by: .seconds(10))
        guard case .measured(let report) = try await flink.backpressure(of: id, vertex: source) else {
            Issue.record("expected a measurement")
            return
        }
        #expect(report.level == .low)
        #expect(report.subtasks.count == 2)
        #expect(report.maxRatio == 0.387)
        #expect(try await flink.backpressure(of: id, vertex: "nope") == .unavailable)
        guard case .measured(let sink) = try await flink.backpressure(of: id, vertex: flink.jobDetails(id).vertices[1].id)
        else {
            Issue.record("expected a measurement")
            return
        }
        #expect(sink.level == .ok)
    }
}
