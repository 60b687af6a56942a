import FlinkTestSupport
import Foundation
import KubernetesEmulator
import Testing

/// The real `kubectl` against the emulator alone (no operator, no Flink): what a real kube-apiserver lets it do
/// with default validation — install CRDs, apply, dry-run and diff, explain, print tables, discover resources.
@Suite("kubectl against the emulator", .serialized)
struct KubectlClientTests {
    private func withKubectl(_ body: (Kubectl, KubernetesEmulator, URL) async throws -> Void) async throws {
        var configuration = KubernetesEmulator.Configuration()
        configuration.namespaces = ["team-a"]
        let emulator = try await KubernetesEmulator.start(configuration)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kubectl-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let kubeconfig = directory.appendingPathComponent("kubeconfig")
        try emulator.writeKubeconfig(to: kubeconfig, namespace: "team-a")
        let kubectl = Kubectl(kubeconfig: kubeconfig, cacheDirectory: directory.appendingPathComponent("cache"),
                              workingDirectory: Fixtures.repositoryRoot)
        do {
            try await body(kubectl, emulator, directory)
        } catch {
            await emulator.stop()
            throw error
        }
        await emulator.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    @Test func installingTheCRDsAndApplyingTheExamplesWorksWithDefaultValidation() async throws {
        try await withKubectl { kubectl, _, directory in
            let crds = try await kubectl("apply", "-f", "crds/")
            #expect(crds.stdout == """
                customresourcedefinition.apiextensions.k8s.io/flinkjobs.flink.jobcontroller.io created
                customresourcedefinition.apiextensions.k8s.io/flinksessionclusters.flink.jobcontroller.io created

                """)
            try await kubectl("wait", "--for=condition=Established", "crd", "--all", "--timeout=30s")
            #expect(try await kubectl("get", "crds").table.first == ["NAME", "CREATED AT"])
            let resources = try await kubectl("api-resources", "--api-group=flink.jobcontroller.io")
            #expect(resources.table.first == ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"])
            #expect(resources.table.contains(["flinkjobs", "fj", "flink.jobcontroller.io/v1alpha1", "true", "FlinkJob"]), "\(resources)")
            #expect(resources.table.contains(["flinksessionclusters", "fsc", "flink.jobcontroller.io/v1alpha1", "false", "FlinkSessionCluster"]))

            let namespaces = directory.appendingPathComponent("namespaces.yaml")
            try "apiVersion: v1\nkind: Namespace\nmetadata: {name: analytics}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: payments}\n"
                .write(to: namespaces, atomically: true, encoding: .utf8)
            try await kubectl("apply", "-f", namespaces.path)
            let examples = try await kubectl("apply", "-f", "examples/")
            for line in ["flinkjob.flink.jobcontroller.io/clickstream-enrichment created",
                         "flinksessioncluster.flink.jobcontroller.io/default created",
                         "flinkjob.flink.jobcontroller.io/orders-per-minute created"] {
                #expect(examples.stdout.contains(line), "\(examples)")
            }
            // Applying again changes nothing; the category `all` includes FlinkJobs.
            #expect(try await kubectl("apply", "-f", "examples/").stdout.contains("flinkjob.flink.jobcontroller.io/clickstream-enrichment unchanged"))
            let all = try await kubectl("get", "all", "-n", "analytics", "-o", "name")
            #expect(all.stdout.contains("flinkjob.flink.jobcontroller.io/clickstream-enrichment"))

            let get = try await kubectl("get", "fj", "-n", "analytics")
            #expect(get.table.first == ["NAME", "STATE", "FLINK STATE", "JOB ID", "PARALLELISM", "READY", "AGE"])
            #expect(get.table.dropFirst().map { $0.first ?? "" } == ["clickstream-enrichment", "nightly-revenue-report", "orders-per-minute"])
            let wide = try await kubectl("get", "fj", "clickstream-enrichment", "-n", "analytics", "-o", "wide")
            #expect(wide.table.first?.contains("DESIRED") == true)
            #expect(Array(wide.table.dropFirst().first?.prefix(3) ?? []) == ["clickstream-enrichment", "4", "default"])
        }
    }

    @Test func diffDryRunsTheChangeAndTyposAreRefusedOrWarned() async throws {
        try await withKubectl { kubectl, _, directory in
            try await kubectl("apply", "-f", "crds/")
            try await kubectl("wait", "--for=condition=Established", "crd", "--all", "--timeout=30s")
            let original = try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("examples/streaming-job.yaml"), encoding: .utf8)
                .replacingOccurrences(of: "namespace: analytics", with: "namespace: team-a")
            let job = directory.appendingPathComponent("job.yaml")
            try original.write(to: job, atomically: true, encoding: .utf8)
            try await kubectl("apply", "-f", job.path)
            let same = try await kubectl.run(["diff", "-f", job.path])
            #expect(same.status == 0 && same.stdout.isEmpty, "\(same)")

            try original.replacingOccurrences(of: "parallelism: 4", with: "parallelism: 5").write(to: job, atomically: true, encoding: .utf8)
            let changed = try await kubectl.run(["diff", "-f", job.path])
            #expect(changed.status == 1, "\(changed)")
            #expect(changed.stdout.contains("-  parallelism: 4") && changed.stdout.contains("+  parallelism: 5"), "\(changed)")
            #expect(changed.stdout.contains("-  generation: 1") && changed.stdout.contains("+  generation: 2"), "\(changed)")
            // Server-side, the change conflicts with the client-side apply's ownership, as on a real server.
            let conflict = try await kubectl.run(["diff", "--server-side", "-f", job.path])
            #expect(conflict.status > 1 && conflict.stderr.contains("Apply failed with 1 conflict"), "\(conflict)")
            let serverSide = try await kubectl.run(["diff", "--server-side", "--force-conflicts", "-f", job.path])
            #expect(serverSide.status == 1 && serverSide.stdout.contains("+  parallelism: 5"), "\(serverSide)")
            let stored = try await kubectl("get", "fj", "clickstream-enrichment", "-o", "jsonpath={.spec.parallelism}")
            #expect(stored.stdout == "4")

            let typo = directory.appendingPathComponent("typo.yaml")
            try original.replacingOccurrences(of: "parallelism: 4", with: "parallelism: 4\n  colour: blue").write(to: typo, atomically: true, encoding: .utf8)
            let strict = try await kubectl.run(["apply", "-f", typo.path])
            #expect(strict.status == 1)
            #expect(strict.stderr.contains("strict decoding error: unknown field \"spec.colour\""), "\(strict)")
            let warned = try await kubectl.run(["apply", "--validate=warn", "-f", typo.path])
            #expect(warned.status == 0)
            #expect(warned.stderr.contains("Warning: unknown field \"spec.colour\""), "\(warned)")
            let serverSideTypo = try await kubectl.run(["apply", "--server-side", "-f", typo.path])
            #expect(serverSideTypo.status == 1)
            #expect(serverSideTypo.stderr.contains(".spec.colour: field not declared in schema"), "\(serverSideTypo)")
        }
    }

    @Test func typedCreatesSendProtobufAndWatchesPrintTableRows() async throws {
        try await withKubectl { kubectl, _, _ in
            // kubectl's typed clients encode these bodies as application/vnd.kubernetes.protobuf.
            #expect(try await kubectl("create", "namespace", "payments").stdout == "namespace/payments created\n")
            #expect(try await kubectl("create", "secret", "generic", "token", "--from-literal=token=abc").stdout == "secret/token created\n")
            let data = try await kubectl("get", "secret", "token", "-o", "jsonpath={.data.token}")
            #expect(data.stdout == Data("abc".utf8).base64EncodedString())
            try await kubectl("create", "configmap", "settings", "--from-literal=a=b", "--from-literal=c=d")
            #expect(Array(try await kubectl("get", "configmap", "settings").table.last?.prefix(2) ?? []) == ["settings", "2"])
            let again = try await kubectl.run(["create", "namespace", "payments"])
            #expect(again.status == 1 && again.stderr.contains("AlreadyExists"))

            // `get -w` prints the rows of the Tables the watch streams.
            async let watched = kubectl.run(["get", "namespaces", "-w", "--request-timeout=3s"])
            try await Task.sleep(for: .seconds(1))
            try await kubectl("create", "namespace", "late")
            let watch = try await watched
            #expect(watch.table.first == ["NAME", "STATUS", "AGE"], "\(watch)")
            #expect(watch.table.contains { Array($0.prefix(2)) == ["late", "Active"] }, "\(watch)")
        }
    }

    @Test func builtInKindsExplainAndPrintLikeARealServer() async throws {
        try await withKubectl { kubectl, _, directory in
            let lease = try await kubectl("explain", "lease.spec.holderIdentity")
            #expect(lease.stdout.contains("FIELD: holderIdentity <string>"))
            #expect(lease.stdout.contains("holderIdentity contains the identity of the holder of a current lease"))
            let meta = try await kubectl("explain", "secret.metadata.finalizers")
            #expect(meta.stdout.contains("FIELD: finalizers <[]string>"))
            let objects = directory.appendingPathComponent("objects.yaml")
            try """
                apiVersion: coordination.k8s.io/v1
                kind: Lease
                metadata: {name: flink-job-controller, namespace: team-a}
                spec: {holderIdentity: op-1, leaseDurationSeconds: 15}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: rest-token, namespace: team-a}
                stringData: {token: abc}
                """.write(to: objects, atomically: true, encoding: .utf8)
            try await kubectl("apply", "-f", objects.path)
            let leases = try await kubectl("get", "leases")
            #expect(leases.table.first == ["NAME", "HOLDER", "AGE"])
            #expect(Array(leases.table.dropFirst().first?.prefix(2) ?? []) == ["flink-job-controller", "op-1"])
            let secrets = try await kubectl("get", "secrets")
            #expect(secrets.table.first == ["NAME", "TYPE", "DATA", "AGE"])
            #expect(Array(secrets.table.dropFirst().first?.prefix(3) ?? []) == ["rest-token", "Opaque", "1"])
            let namespaces = try await kubectl("get", "namespaces")
            #expect(namespaces.table.first == ["NAME", "STATUS", "AGE"])
            #expect(namespaces.table.contains { Array($0.prefix(2)) == ["team-a", "Active"] })
            let now = ISO8601DateFormatter().string(from: Date())
            let event = directory.appendingPathComponent("event.yaml")
            try """
                apiVersion: events.k8s.io/v1
                kind: Event
                metadata: {name: clicks.1, namespace: team-a}
                eventTime: "\(now.dropLast()).000000Z"
                reportingController: flink.jobcontroller.io/operator
                reportingInstance: op-1
                action: Deploy
                reason: Submitted
                type: Normal
                note: Submitted the Flink job
                regarding: {apiVersion: flink.jobcontroller.io/v1alpha1, kind: FlinkJob, namespace: team-a, name: clicks}
                """.write(to: event, atomically: true, encoding: .utf8)
            try await kubectl("apply", "-f", event.path)
            let events = try await kubectl("get", "events")
            #expect(events.table.first == ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"])
            #expect(Array(events.table.dropFirst().first?.dropFirst() ?? []) == ["Normal", "Submitted", "flinkjob/clicks", "Submitted the Flink job"], "\(events)")
            let wide = try await kubectl("get", "events", "-o", "wide")
            #expect(wide.table.first == ["LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST SEEN", "COUNT", "NAME"])
        }
    }
}
