import FlinkJobOperator
import FlinkREST
import FlinkTestSupport
import Foundation
import JSONCore
import Kubernetes
import Testing

/// In-place rescaling through the scale subresource (`kubectl scale`), SQL and Python programs.
@Suite(.serialized) struct ScalingAndSQLEndToEndTests {
    @Test func scaleSubresourceRescalesInPlaceOnAnAdaptiveCluster() async throws {
        let environment = try await EndToEndEnvironment.start(flink: try await FlinkTestCluster.sharedAdaptive())
        let op = try OperatorUnderTest.start(environment)
        let name = EndToEndEnvironment.uniqueName("scaled")
        defer { Task { await environment.cancelFlinkJobs(named: name) } }
        do {
            _ = try await environment.jobs.create(environment.streamingJob(name, parallelism: 1))
            let ready = try await environment.waitUntilReady(name)
            let jobID = try #require(ready.status?.job?.id)
            // The cluster controller must have seen the adaptive scheduler before the change counts as in place.
            _ = try await poll("the cluster's scheduler observed") {
                try await environment.clusters.get("default").status?.scheduler == .adaptive
            }

            // kubectl scale fj/<name> --replicas=2
            _ = try await environment.jobs.patchScale(name, .merge(["spec": ["replicas": 2]]))
            let rescaled = try await environment.waitFor(name, "running at parallelism 2", timeout: .seconds(120)) { job in
                job.status?.parallelism == 2 && job.status?.conditions?.first { $0.type == "Ready" }?.status == .true
                    && job.status?.observedGeneration == job.metadata.generation ? job : nil
            }
            #expect(rescaled.status?.job?.id == jobID, "an in-place rescale keeps the Flink job")
            #expect(rescaled.status?.deploySequence == 1)
            let details = try await environment.flinkClient.jobDetails(try #require(FlinkJobID(jobID)))
            #expect(details.vertices.map(\.parallelism).max() == 2)
            let scale = try await environment.jobs.getScale(name)
            #expect(scale.spec.replicas == 2)
            #expect(scale.status?.replicas == 2)
            #expect(try await op.terminate() == 0)
        } catch {
            Issue.record("operator log tail:\n\(op.tail())")
            _ = try? await op.terminate()
            await environment.stop()
            throw error
        }
        await environment.stop()
    }

    @Test func sqlStatementsRunThroughTheSQLRunner() async throws {
        let environment = try await EndToEndEnvironment.start(flink: try await FlinkTestCluster.shared())
        let op = try OperatorUnderTest.start(environment)
        let name = EndToEndEnvironment.uniqueName("sql")
        defer { Task { await environment.cancelFlinkJobs(named: name) } }
        do {
            var job = environment.streamingJob(name)
            job.spec.artifact = .init(sql: .init(statements: [
                "CREATE TABLE source_table (id BIGINT) WITH ('connector' = 'datagen', 'rows-per-second' = '5')",
                "CREATE TABLE sink_table (id BIGINT) WITH ('connector' = 'blackhole')",
                "INSERT INTO sink_table SELECT id FROM source_table",
            ]))
            job.spec.args = []
            _ = try await environment.jobs.create(job)
            let ready = try await environment.waitUntilReady(name, timeout: .seconds(120))
            let id = try #require(ready.status?.job?.id.flatMap(FlinkJobID.init))
            #expect(try await environment.flinkClient.jobStatus(id) == .running)
            #expect(ready.status?.artifact?.flinkJarId?.contains("fjc-runtime-") == true, "SQL runs in the operator's SQL runner jar")
            #expect(try await op.terminate() == 0)
        } catch {
            Issue.record("operator log tail:\n\(op.tail())")
            _ = try? await op.terminate()
            await environment.stop()
            throw error
        }
        await environment.stop()
    }

    @Test func pythonProgramsRunThroughFlinksPythonDriver() async throws {
        // On the adaptive cluster, which no other suite submits to: the operator keeps its own Python submissions
        // apart from its other ones, but the operators of parallel tests would not know of each other.
        let environment = try await EndToEndEnvironment.start(flink: try await FlinkTestCluster.sharedAdaptive())
        let jobs = try await FlinkTestJobs.compiled()
        let script = URL(fileURLWithPath: jobs.pythonStreamingJob)
        let op = try OperatorUnderTest.start(
            environment,
            arguments: [
                "--artifact-dir", script.deletingLastPathComponent().path, "--python-driver-jar", jobs.pythonDriverJar,
            ])
        let name = EndToEndEnvironment.uniqueName("python")
        defer { Task { await environment.cancelFlinkJobs(named: name) } }
        do {
            var job = environment.streamingJob(name)
            job.spec.artifact = .init(python: .init(uri: "file://\(script.path)"))
            job.spec.args = ["--rate", "2", "--no-udf"]
            _ = try await environment.jobs.create(job)
            let ready = try await environment.waitUntilReady(name, timeout: .seconds(180))
            let id = try #require(ready.status?.job?.id.flatMap(FlinkJobID.init))
            let details = try await environment.flinkClient.jobDetails(id)
            #expect(details.state == .running)
            #expect(details.name == "\(EndToEndEnvironment.namespace)/\(name)")
            // The user's module went up as its own archive; the driver jar is the operator's.
            #expect(ready.status?.artifact?.flinkJarId?.contains("streaming_job.zip") == true, "\(String(describing: ready.status?.artifact))")
            #expect(ready.status?.artifact?.digest?.hasPrefix("sha256:") == true)
            #expect(try await op.terminate() == 0)
        } catch {
            Issue.record("operator log tail:\n\(op.tail())")
            _ = try? await op.terminate()
            await environment.stop()
            throw error
        }
        await environment.stop()
    }
}
