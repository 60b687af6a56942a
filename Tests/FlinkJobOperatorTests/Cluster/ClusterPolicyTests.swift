import Foundation
@testable import FlinkJobOperator
import Kubernetes
import Testing

/// Fixtures for policy tables.
private enum Make {
    static func cluster(
        allowed: FlinkSessionClusterSpec.AllowedNamespaces? = nil, quotas: FlinkSessionClusterSpec.Quotas? = nil,
        artifactPolicy: FlinkSessionClusterSpec.ArtifactPolicy? = nil
    ) -> FlinkSessionCluster {
        FlinkSessionCluster(
            metadata: ObjectMeta(name: "shared"),
            spec: FlinkSessionClusterSpec(
                restURL: "http://flink:8081", allowedNamespaces: allowed, quotas: quotas, artifactPolicy: artifactPolicy))
    }

    static func job(
        _ name: String, namespace: String = "team-a", parallelism: Int = 2, cluster: String = "shared",
        state: FlinkJobSpec.DesiredState = .running, status: FlinkJobStatus.SummaryState? = nil, uri: String = "https://repo/app.jar",
        digest: String? = nil, deleting: Bool = false
    ) throws -> FlinkJob {
        var json: [String: Any] = [
            "clusterRef": ["name": cluster], "parallelism": parallelism, "state": state.rawValue,
            "artifact": ["jar": ["uri": uri]],
        ]
        if let digest { json["artifact"] = ["jar": ["uri": uri], "digest": digest] }
        let data = try JSONSerialization.data(withJSONObject: json)
        let spec = try JSONDecoder().decode(FlinkJobSpec.self, from: data)
        var job = FlinkJob(metadata: ObjectMeta(name: name, namespace: namespace), spec: spec)
        if let status {
            var jobStatus = FlinkJobStatus()
            jobStatus.state = status
            job.status = jobStatus
        }
        if deleting { job.metadata.deletionTimestamp = KubeTime(secondsSince1970: 1) }
        return job
    }
}

@Suite struct ClusterPolicyTests {
    struct NamespaceCase: Sendable, CustomTestStringConvertible {
        var label: String
        var allowed: FlinkSessionClusterSpec.AllowedNamespaces?
        var namespace: String
        var labels: [String: String]?
        var admitted: Bool
        var reasonContains: String = ""
        var testDescription: String { label }
    }

    static let namespaceCases: [NamespaceCase] = [
        NamespaceCase(label: "no policy admits all", allowed: nil, namespace: "anything", labels: nil, admitted: true),
        NamespaceCase(
            label: "listed name", allowed: .init(names: ["team-a"]), namespace: "team-a", labels: nil, admitted: true),
        NamespaceCase(
            label: "unlisted name", allowed: .init(names: ["team-a", "team-b"]), namespace: "team-c", labels: [:],
            admitted: false, reasonContains: "namespace \"team-c\" is not allowed on FlinkSessionCluster \"shared\" (allowed: names [team-a, team-b])"),
        NamespaceCase(
            label: "selector match", allowed: .init(selector: LabelSelector(matchLabels: ["flink": "yes"])),
            namespace: "team-c", labels: ["flink": "yes"], admitted: true),
        NamespaceCase(
            label: "selector mismatch", allowed: .init(selector: LabelSelector(matchLabels: ["flink": "yes"])),
            namespace: "team-c", labels: ["flink": "no"], admitted: false, reasonContains: "selector \"flink=yes\""),
        NamespaceCase(
            label: "names or selector: selector admits", allowed: .init(names: ["team-a"], selector: LabelSelector(matchLabels: ["flink": "yes"])),
            namespace: "team-z", labels: ["flink": "yes"], admitted: true),
        NamespaceCase(
            label: "labels unknown, name listed", allowed: .init(names: ["team-a"], selector: LabelSelector(matchLabels: ["flink": "yes"])),
            namespace: "team-a", labels: nil, admitted: true),
        NamespaceCase(
            label: "labels unknown, selector only", allowed: .init(selector: LabelSelector(matchLabels: ["flink": "yes"])),
            namespace: "team-c", labels: nil, admitted: false, reasonContains: "the operator does not read Namespaces; list it by name"),
        NamespaceCase(
            label: "empty policy", allowed: .init(), namespace: "team-a", labels: [:], admitted: false,
            reasonContains: "(allowed: no namespaces)"),
    ]

    @Test(arguments: namespaceCases)
    func namespacePolicy(_ row: NamespaceCase) throws {
        let job = try Make.job("j", namespace: row.namespace)
        let admission = ClusterPolicy.evaluate(job, on: Make.cluster(allowed: row.allowed), namespaceLabels: row.labels, jobs: [])
        #expect(admission.isAdmitted == row.admitted)
        if !row.admitted {
            #expect(admission.reasons.count == 1)
            #expect(admission.reasons.first?.contains(row.reasonContains) == true, "\(admission.reasons)")
        }
    }

    @Test func parallelismAboveThePerJobLimitIsRefused() throws {
        let cluster = Make.cluster(quotas: .init(maxParallelismPerJob: 4))
        #expect(ClusterPolicy.evaluate(try Make.job("j", parallelism: 4), on: cluster, namespaceLabels: nil, jobs: []) == .admitted)
        let refused = ClusterPolicy.evaluate(try Make.job("j", parallelism: 5), on: cluster, namespaceLabels: nil, jobs: [])
        #expect(refused.reasons == ["parallelism 5 exceeds the limit of 4 per job on FlinkSessionCluster \"shared\""])
    }

    struct SlotCase: Sendable, CustomTestStringConvertible {
        var label: String
        var others: [FlinkJob]
        var parallelism: Int
        var admitted: Bool
        var testDescription: String { label }
    }

    static func slotCases() throws -> [SlotCase] {
        [
            SlotCase(label: "fits exactly", others: [try Make.job("a", parallelism: 6, status: .running)], parallelism: 4, admitted: true),
            SlotCase(label: "one over", others: [try Make.job("a", parallelism: 7, status: .running)], parallelism: 4, admitted: false),
            SlotCase(
                label: "jobs never deployed (refused, pending) hold no slots",
                others: [try Make.job("a", parallelism: 7), try Make.job("b", parallelism: 7, status: .pending)],
                parallelism: 4, admitted: true),
            SlotCase(
                label: "suspended jobs hold no slots",
                others: [try Make.job("a", parallelism: 10, state: .suspended)], parallelism: 4, admitted: true),
            SlotCase(
                label: "finished and failed jobs hold no slots",
                others: [try Make.job("a", parallelism: 10, status: .succeeded), try Make.job("b", parallelism: 10, status: .failed)],
                parallelism: 4, admitted: true),
            SlotCase(
                label: "batch jobs between runs hold no slots",
                others: [try Make.job("a", parallelism: 10, status: .scheduled)], parallelism: 4, admitted: true),
            SlotCase(
                label: "deleting jobs hold no slots", others: [try Make.job("a", parallelism: 10, deleting: true)],
                parallelism: 4, admitted: true),
            SlotCase(
                label: "other namespaces and other clusters do not count",
                others: [try Make.job("a", namespace: "team-b", parallelism: 10), try Make.job("b", parallelism: 10, cluster: "other")],
                parallelism: 4, admitted: true),
            SlotCase(
                label: "the job's own cached copy is not counted twice",
                others: [try Make.job("j", parallelism: 8, status: .running)], parallelism: 10, admitted: true),
            SlotCase(
                label: "deploying and running jobs count",
                others: [try Make.job("a", parallelism: 3, status: .deploying), try Make.job("b", parallelism: 3, status: .running)],
                parallelism: 5, admitted: false),
        ]
    }

    @Test(arguments: try slotCases())
    func namespaceSlotQuota(_ row: SlotCase) throws {
        let cluster = Make.cluster(quotas: .init(maxSlotsPerNamespace: 10))
        let admission = ClusterPolicy.evaluate(
            try Make.job("j", parallelism: row.parallelism), on: cluster, namespaceLabels: nil, jobs: row.others)
        #expect(admission.isAdmitted == row.admitted, "\(admission.reasons)")
    }

    @Test func theSlotRefusalSaysHowTheSumCameAbout() throws {
        let cluster = Make.cluster(quotas: .init(maxSlotsPerNamespace: 10))
        let admission = ClusterPolicy.evaluate(
            try Make.job("j", parallelism: 4), on: cluster, namespaceLabels: nil,
            jobs: [try Make.job("a", parallelism: 4, status: .running), try Make.job("b", parallelism: 3, status: .deploying)])
        #expect(
            admission.reasons == [
                "namespace \"team-a\" would use 11 slots on FlinkSessionCluster \"shared\" (7 by 2 other jobs + 4 by this one), above its quota of 10"
            ])
    }

    @Test func aSuspendedJobIsNeverRefusedForSlots() throws {
        let cluster = Make.cluster(quotas: .init(maxSlotsPerNamespace: 1))
        let admission = ClusterPolicy.evaluate(
            try Make.job("j", parallelism: 50, state: .suspended), on: cluster, namespaceLabels: nil,
            jobs: [try Make.job("a", parallelism: 1)])
        #expect(admission == .admitted)
    }

    @Test func artifactPolicyRequiresDigestSignatureAndAnAllowedPrefix() throws {
        let cluster = Make.cluster(
            artifactPolicy: .init(requireDigest: true, requireSignature: true, allowedURIPrefixes: ["https://artifacts.example/"]))
        let bad = ClusterPolicy.evaluate(try Make.job("j", uri: "https://elsewhere/app.jar"), on: cluster, namespaceLabels: nil, jobs: [])
        #expect(
            bad.reasons == [
                "FlinkSessionCluster \"shared\" requires artifact.digest (sha256:<hex>)",
                "FlinkSessionCluster \"shared\" requires artifact.signature",
                "artifact URI \"https://elsewhere/app.jar\" is not under any prefix FlinkSessionCluster \"shared\" allows ([https://artifacts.example/])",
            ])
        let digestOnly = Make.cluster(artifactPolicy: .init(requireDigest: true, allowedURIPrefixes: ["https://artifacts.example/"]))
        let good = ClusterPolicy.evaluate(
            try Make.job("j", uri: "https://artifacts.example/app.jar", digest: "sha256:" + String(repeating: "a", count: 64)),
            on: digestOnly, namespaceLabels: nil, jobs: [])
        #expect(good == .admitted)
    }

    /// A prefix written without its trailing `/` cannot be bypassed by a look-alike host, and the signature URI
    /// passes the same check as the artifact's.
    @Test func prefixBypassesAndForeignSignatureURIsAreRefused() throws {
        let cluster = Make.cluster(artifactPolicy: .init(allowedURIPrefixes: ["https://artifacts.example"]))
        for uri in ["https://artifacts.example.evil.io/app.jar", "https://artifacts.example@evil.io/app.jar"] {
            let admission = ClusterPolicy.evaluate(try Make.job("j", uri: uri), on: cluster, namespaceLabels: nil, jobs: [])
            #expect(admission.reasons.count == 1, "\(uri) is refused")
        }
        var job = try Make.job("j", uri: "https://artifacts.example/app.jar")
        job.spec.artifact.signature = try JSONDecoder().decode(
            FlinkJobSpec.Artifact.Signature.self,
            from: Data(#"{"uri": "http://169.254.169.254/latest/meta-data/", "publicKeySecretRef": {"name": "k", "key": "pem"}}"#.utf8))
        let admission = ClusterPolicy.evaluate(job, on: cluster, namespaceLabels: nil, jobs: [])
        #expect(admission.reasons == [
            "signature URI \"http://169.254.169.254/latest/meta-data/\" is not under any prefix FlinkSessionCluster \"shared\" allows ([https://artifacts.example])"
        ])
    }

    @Test func everyBrokenPolicyIsReportedAtOnce() throws {
        let cluster = Make.cluster(
            allowed: .init(names: ["team-b"]), quotas: .init(maxParallelismPerJob: 1), artifactPolicy: .init(requireDigest: true))
        let admission = ClusterPolicy.evaluate(try Make.job("j", parallelism: 2), on: cluster, namespaceLabels: [:], jobs: [])
        #expect(admission.reasons.count == 3)
    }
}

@Suite struct QuotaCountsOnlyJobsThatHoldSlotsTests {
    @Test func aRefusedPendingJobNeverMakesTheRunningJobsOfItsNamespaceFailAdmission() throws {
        let cluster = FlinkSessionCluster(
            metadata: ObjectMeta(name: "shared"),
            spec: FlinkSessionClusterSpec(restURL: "http://flink:8081", quotas: .init(maxSlotsPerNamespace: 4)))
        func job(_ name: String, parallelism: Int, phase: FlinkJobStatus.SummaryState?) throws -> FlinkJob {
            let data = try JSONSerialization.data(withJSONObject: [
                "clusterRef": ["name": "shared"], "parallelism": parallelism, "artifact": ["jar": ["uri": "https://repo/app.jar"]],
            ])
            var job = FlinkJob(metadata: ObjectMeta(name: name, namespace: "team-a"), spec: try JSONDecoder().decode(FlinkJobSpec.self, from: data))
            if let phase {
                var status = FlinkJobStatus()
                status.state = phase
                job.status = status
            }
            return job
        }
        let running = try job("running", parallelism: 3, phase: .running)
        // Refused by the quota itself: it never got a Flink job and holds no slots.
        let refused = try job("refused", parallelism: 4, phase: .pending)
        let jobs = [running, refused]
        #expect(ClusterPolicy.evaluate(running, on: cluster, namespaceLabels: nil, jobs: jobs) == .admitted)
        #expect(ClusterPolicy.evaluate(refused, on: cluster, namespaceLabels: nil, jobs: jobs) != .admitted)
    }
}
