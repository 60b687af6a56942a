import JSONCore
import Kubernetes

/// A FlinkJob-shaped custom resource as the tests use it (the real one belongs to the operator module).
struct TestJob: KubernetesResource, HasSpec, HasStatus, Hashable {
    static let group = "flink.jobcontroller.io"
    static let version = "v1alpha1"
    static let kind = "FlinkJob"
    static let plural = "flinkjobs"
    static let scope = ResourceScope.namespaced

    struct Spec: Codable, Sendable, Hashable {
        var parallelism: Int?
        var args: [String]?
        var state: String?
        var type: String?
        var artifact: JSONValue?
    }

    struct Status: Codable, Sendable, Hashable {
        var parallelism: Int?
        var phase: String?
        var observedGeneration: Int64?
        var conditions: [Condition]?
    }

    var metadata: ObjectMeta
    var spec: Spec
    var status: Status?

    /// A job named `name` with a jar artifact and `parallelism`.
    static func fixture(_ name: String, namespace: String? = nil, parallelism: Int = 2) -> TestJob {
        TestJob(
            metadata: ObjectMeta(name: name, namespace: namespace),
            spec: Spec(
                parallelism: parallelism, args: ["--input", "s3://bucket/in"],
                artifact: ["jar": ["uri": "s3://bucket/wordcount.jar", "entryClass": "org.example.WordCount"]]),
            status: nil)
    }
}

/// The cluster-scoped session cluster kind of the conformance CRDs.
struct TestSessionCluster: KubernetesResource, Hashable {
    static let group = "flink.jobcontroller.io"
    static let version = "v1alpha1"
    static let kind = "FlinkSessionCluster"
    static let plural = "flinksessionclusters"
    static let scope = ResourceScope.cluster

    struct Spec: Codable, Sendable, Hashable {
        var flinkVersion: String?
        var taskManagers: Int?
    }

    var metadata: ObjectMeta
    var spec: Spec
    var status: JSONValue?
}
