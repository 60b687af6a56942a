import FlinkModel
import FlinkREST
import Testing

@Suite struct JarTests {
    @Test func uploadStoresTheJarUnderAUUIDPrefixedIDWithoutReadingTheFile() async throws {
        let flink = InMemoryFlink.fixture()
        flink.advance(by: .seconds(5))
        let jar = try await flink.uploadJar(at: "/does/not/exist/app.jar", fileName: nil)
        #expect(jar.id.hasSuffix("_app.jar"))
        let uuid = jar.id.dropLast("_app.jar".count)
        #expect(uuid.split(separator: "-").map(\.count) == [8, 4, 4, 4, 12])
        #expect(jar.path == "/flink/upload/flink-web-upload/\(jar.id)")
        let listed = try await flink.listJars()
        #expect(listed.map(\.id) == [jar.id])
        #expect(listed.first?.uploaded == flink.configuration.startTime + 5000)
        #expect(listed.first?.entry.map(\.name) == ["org.example.StreamingJob"])
    }

    @Test func jarsAreListedNewestFirstAndAManifestOverrideAppliesToMatchingNames() async throws {
        let flink = InMemoryFlink.fixture()
        flink.setManifestEntryClass(nil, forJarsNamedWithSuffix: "testjobs.jar")
        let first = try await flink.uploadedJar("testjobs.jar")
        let second = try await flink.uploadedJar("streaming.jar")
        let listed = try await flink.listJars()
        #expect(listed.map(\.id) == [second, first])
        #expect(listed.map(\.entry.count) == [1, 0])
    }

    @Test func uploadingAFileNotNamedJarIsABadRequest() async {
        let flink = InMemoryFlink.fixture()
        let error = await flinkError { _ = try await flink.uploadJar(at: "/x/job.py", fileName: nil) }
        #expect(error?.kind == "badRequest")
        #expect(error?.message.contains("Only Jar files are allowed") == true)
    }

    @Test func deletingAJarRemovesItAndDeletingAnUnknownJarIsNotFound() async throws {
        let flink = InMemoryFlink.fixture()
        let jar = try await flink.uploadedJar()
        try await flink.deleteJar(jar)
        #expect(try await flink.listJars().isEmpty)
        let error = await flinkError { try await flink.deleteJar(jar) }
        #expect(error?.kind == "notFound")
        #expect(error?.message.contains("does not exist") == true)
    }

    @Test func runningAnUnknownJarIsNotFound() async {
        let flink = InMemoryFlink.fixture()
        let error = await flinkError { _ = try await flink.runJar("0000_nope.jar", .streaming()) }
        #expect(error?.kind == "notFound")
        #expect(error?.message.contains("Jar file /flink/upload/flink-web-upload/0000_nope.jar does not exist") == true)
    }

    @Test func runningAJarWithoutManifestOrEntryClassIsAServerError() async throws {
        let flink = InMemoryFlink(configuration: .init(manifestEntryClass: nil))
        let jar = try await flink.uploadedJar()
        let error = await flinkError { _ = try await flink.runJar(jar, .streaming()) }
        #expect(error?.kind == "serverError")
        var request = JarRunRequest.streaming()
        request.entryClass = "org.example.Job"
        #expect(await flinkError { _ = try await flink.runJar(jar, request) } == nil)
    }

    @Test func aMissingEntryClassIsAServerErrorAndLeavesNoJob() async throws {
        let flink = InMemoryFlink.fixture()
        flink.setProgram(ProgramBehaviour(entryClassMissing: true), for: .entryClass("org.example.Nope"))
        let jar = try await flink.uploadedJar()
        var request = JarRunRequest.streaming(jobID: .fixture("a"))
        request.entryClass = "org.example.Nope"
        let error = await flinkError { _ = try await flink.runJar(jar, request) }
        #expect(error?.kind == "serverError")
        #expect(error?.message.contains("ClassNotFoundException: org.example.Nope") == true)
        #expect(flink.allJobs.isEmpty)
    }

    @Test func aFailingMainIsABadRequestThatLeavesNoJobAndDoesNotUseTheID() async throws {
        let flink = InMemoryFlink.fixture()
        flink.setProgram(.failingMain("SQL parse failed. Non-query expression"), for: .jarNameSuffix("sql-runner.jar"))
        let runner = try await flink.uploadedJar("fjc-runtime-0123456789abcdef-sql-runner.jar")
        let error = await flinkError { _ = try await flink.runJar(runner, .streaming(jobID: .fixture("b"))) }
        #expect(error?.kind == "badRequest")
        #expect(error?.message.contains("The main method caused an error: SQL parse failed") == true)
        #expect(flink.allJobs.isEmpty)
        let other = try await flink.uploadedJar("streaming.jar")
        #expect(try await flink.runJar(other, .streaming(jobID: .fixture("b"))) == .fixture("b"))
    }
}
