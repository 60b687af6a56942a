import FlinkJobOperator
import FlinkREST
import FlinkTestSupport
import Foundation
import Testing

/// The user's view of the product: the real `kubectl` (default validation everywhere), the operator binary, the
/// Kubernetes API emulator and a real Flink 2.3 session cluster. Each step is what the README tells a new user to
/// type, and checks what kubectl prints.
@Suite(.serialized) struct KubectlWalkthroughTests {
    @Test func aNewUserInstallsDeploysInspectsScalesAndDeletesAFlinkJobWithKubectl() async throws {
        let environment = try await EndToEndEnvironment.start(flink: try await FlinkTestCluster.shared())
        let name = EndToEndEnvironment.uniqueName("clicks")
        let op = try OperatorUnderTest.start(environment)
        defer { Task { await environment.cancelFlinkJobs(named: name) } }
        let kubectl = Kubectl(kubeconfig: environment.kubeconfig,
                              cacheDirectory: environment.directory.appendingPathComponent("kubectl-cache"),
                              workingDirectory: environment.root)
        do {
            try await walkthrough(kubectl, environment, name)
            #expect(try await op.terminate() == 0)
        } catch {
            Issue.record("operator log tail:\n\(op.tail())")
            _ = try? await op.terminate()
            await environment.stop()
            throw error
        }
        await environment.stop()
    }

    private func walkthrough(_ kubectl: Kubectl, _ environment: EndToEndEnvironment, _ name: String) async throws {
        // 1. Install the CRDs (the emulator started with them, so apply updates them in place) and wait for them.
        let crds = try await kubectl("apply", "-f", "crds/")
        #expect(crds.stdout.contains("customresourcedefinition.apiextensions.k8s.io/flinkjobs.flink.jobcontroller.io"))
        #expect(crds.stdout.contains("customresourcedefinition.apiextensions.k8s.io/flinksessionclusters.flink.jobcontroller.io"))
        try await kubectl("wait", "--for=condition=Established", "crd/flinkjobs.flink.jobcontroller.io", "--timeout=30s")

        // 2. Every example manifest passes the server's validation (schema, CEL, unknown fields), without storing it.
        let namespaces = try write("namespaces.yaml", """
            apiVersion: v1
            kind: Namespace
            metadata: {name: analytics}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: payments}
            """, in: environment)
        try await kubectl("apply", "-f", namespaces)
        let examples = try await kubectl("apply", "--dry-run=server", "-f", "examples/")
        for example in ["clickstream-enrichment", "nightly-revenue-report", "orders-per-minute"] {
            #expect(examples.stdout.contains("flinkjob.flink.jobcontroller.io/\(example) created (server dry run)"), "\(examples)")
        }
        #expect(examples.stdout.contains("flinksessioncluster.flink.jobcontroller.io/default configured (server dry run)"))

        // A typo is refused by default (fieldValidation=Strict), not silently dropped.
        let typo = try write("typo.yaml", manifest(name, environment, extraSpec: "  colour: blue\n"), in: environment)
        let refused = try await kubectl.run(["apply", "-f", typo])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("strict decoding error: unknown field \"spec.colour\""), "\(refused)")

        // 3. Deploy a FlinkJob and wait until the operator reports it Ready.
        let job = try write("job.yaml", manifest(name, environment), in: environment)
        let created = try await kubectl("apply", "-f", job)
        #expect(created.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "flinkjob.flink.jobcontroller.io/\(name) created")
        let wait = try await kubectl("wait", "--for=condition=Ready", "fj/\(name)", "--timeout=120s")
        #expect(wait.stdout.contains("flinkjob.flink.jobcontroller.io/\(name) condition met"))
        let ready = try await environment.waitUntilReady(name)
        let jobID = try #require(ready.status?.job?.id)

        // 4. `kubectl get` prints the CRD's printer columns with the operator's status values.
        let get = try await kubectl("get", "fj", name)
        #expect(get.table.first == ["NAME", "STATE", "FLINK STATE", "JOB ID", "PARALLELISM", "READY", "AGE"], "\(get)")
        let row = try #require(get.table.dropFirst().first)
        #expect(Array(row.prefix(6)) == [name, "Running", "RUNNING", jobID, "1", "True"], "\(get)")
        let wide = try await kubectl("get", "fj", name, "-o", "wide")
        #expect(wide.table.first == ["NAME", "STATE", "FLINK STATE", "JOB ID", "PARALLELISM", "READY", "DESIRED", "CLUSTER",
                                     "LAST RUN", "NEXT RUN", "AGE"], "\(wide)")
        // A streaming job has no runs: LAST RUN and NEXT RUN are empty, so the row has two cells fewer.
        #expect(Array(try #require(wide.table.dropFirst().first).prefix(8)) == [name, "Running", "RUNNING", jobID, "1", "True", "1", "default"])

        // 5. `kubectl explain` reads the CRD's field descriptions from the server's OpenAPI v3 document.
        let uri = try await kubectl("explain", "fj.spec.artifact.jar.uri")
        #expect(uri.stdout.contains("FIELD: uri <string>"))
        #expect(uri.stdout.contains("Where the operator downloads the JAR from"))
        let parallelism = try await kubectl("explain", "flinkjob.spec.parallelism")
        #expect(parallelism.stdout.contains("FIELD: parallelism <integer>"))
        #expect(parallelism.stdout.contains("kubectl scale fj/NAME --replicas=N"))
        let flinkState = try await kubectl("explain", "flinkjobs.status.job.flinkState")
        #expect(flinkState.stdout.contains("FIELD: flinkState <string>"), "\(flinkState)")

        // 6. The operator wrote status, finalizers and events; the manifest still has no drift.
        let diff = try await kubectl.run(["diff", "-f", job])
        #expect(diff.status == 0 && diff.stdout.isEmpty, "\(diff)")

        // 7. `describe` lists the events the operator recorded about the job.
        let describe = try await kubectl("describe", "fj", name)
        let events = try #require(describe.stdout.components(separatedBy: "\nEvents:").last)
        #expect(events.contains("flink.jobcontroller.io/operator"), "\(describe)")
        let eventTable = try await kubectl("get", "events", "--field-selector", "involvedObject.name=\(name)")
        #expect(eventTable.table.first == ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"], "\(eventTable)")
        #expect(eventTable.table.dropFirst().contains { $0.contains("flinkjob/\(name)") }, "\(eventTable)")

        // 8. Scale through the scale subresource: the operator redeploys with parallelism 2.
        let scaled = try await kubectl("scale", "fj/\(name)", "--replicas=2")
        #expect(scaled.stdout.contains("flinkjob.flink.jobcontroller.io/\(name) scaled"))
        try await poll("\(name) running with parallelism 2", timeout: .seconds(120), interval: .milliseconds(500)) {
            let columns = try await kubectl.run(["get", "fj", name, "--no-headers"]).table.first ?? []
            return columns.count >= 6 && columns[1] == "Running" && columns[4] == "2" && columns[5] == "True" ? true : nil
        }

        // 9. Patch a label; select by it.
        let patched = try await kubectl("patch", "fj", name, "--type=merge", "-p", #"{"metadata":{"labels":{"team":"clicks"}}}"#)
        #expect(patched.stdout.contains("flinkjob.flink.jobcontroller.io/\(name) patched"))
        let selected = try await kubectl("get", "fj", "-l", "team=clicks", "-o", "name")
        #expect(selected.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "flinkjob.flink.jobcontroller.io/\(name)")

        // 10. A second field manager (a GitOps tool) applies server-side: it co-owns the fields whose values it
        // agrees with, and is refused on a field another manager set differently unless it forces.
        let gitops = try write("gitops.yaml", manifest(name, environment, parallelism: 2), in: environment)
        let applied = try await kubectl("apply", "--server-side", "--field-manager=gitops", "-f", gitops)
        #expect(applied.stdout.contains("flinkjob.flink.jobcontroller.io/\(name) serverside-applied"), "\(applied)")
        let managers = try await kubectl("get", "fj", name, "-o", "jsonpath={.metadata.managedFields[*].manager}")
        #expect(managers.stdout.split(separator: " ").contains("gitops"), "\(managers)")
        let conflicting = try write("gitops-3.yaml", manifest(name, environment, parallelism: 3), in: environment)
        let conflict = try await kubectl.run(["apply", "--server-side", "--field-manager=gitops", "-f", conflicting])
        #expect(conflict.status != 0)
        #expect(conflict.stderr.contains("Apply failed with 1 conflict"), "\(conflict)")
        #expect(conflict.stderr.contains(".spec.parallelism"), "\(conflict)")
        let gitopsDiff = try await kubectl.run(["diff", "--server-side", "--field-manager=gitops", "-f", gitops])
        #expect(gitopsDiff.status == 0 && gitopsDiff.stdout.isEmpty, "\(gitopsDiff)")

        // 11. Delete and wait: the operator stops the job with a savepoint, then removes its finalizer.
        let deleted = try await kubectl("delete", "fj", name, "--wait", "--timeout=120s")
        #expect(deleted.stdout.contains("flinkjob.flink.jobcontroller.io \"\(name)\" deleted"))
        let gone = try await kubectl.run(["get", "fj", name])
        #expect(gone.status != 0 && gone.stderr.contains("NotFound"), "\(gone)")
        #expect(try await environment.flinkJobs(named: name).allSatisfy { $0.state.isGloballyTerminal })
    }

    /// A streaming FlinkJob manifest running the test jobs' StreamingJob, as a user would write it.
    private func manifest(_ name: String, _ environment: EndToEndEnvironment, parallelism: Int = 1, extraSpec: String = "") -> String {
        """
        apiVersion: flink.jobcontroller.io/v1alpha1
        kind: FlinkJob
        metadata:
          name: \(name)
          namespace: \(EndToEndEnvironment.namespace)
        spec:
          artifact:
            jar:
              uri: file://\(environment.testJobsJar)
              entryClass: \(FlinkTestJobs.streamingJobClass)
          args: ["--rate", "5", "--checkpoint-interval", "500"]
          parallelism: \(parallelism)
          upgradeMode: Savepoint
          savepoints:
            directory: file://\(environment.directory.path)/savepoints/\(name)
          restartStrategy:
            type: FixedDelay
            attempts: 100
            delay: 1s

        """ + extraSpec
    }

    private func write(_ file: String, _ text: String, in environment: EndToEndEnvironment) throws -> String {
        let url = environment.directory.appendingPathComponent(file)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }
}
