import Kubernetes

/// A Flink job the operator runs on a session cluster (`flinkjobs.flink.jobcontroller.io`, namespaced, `fj`).
public struct FlinkJob: KubernetesResource, HasSpec, HasStatus, Hashable {
    public static let group = "flink.jobcontroller.io"
    public static let version = "v1alpha1"
    public static let kind = "FlinkJob"
    public static let plural = "flinkjobs"
    public static let scope = ResourceScope.namespaced

    /// The finalizer that makes deletion stop the Flink job per `deletePolicy` first.
    public static let finalizer = "flink.jobcontroller.io/finalizer"

    public var metadata: ObjectMeta
    public var spec: FlinkJobSpec
    public var status: FlinkJobStatus?

    public init(metadata: ObjectMeta, spec: FlinkJobSpec, status: FlinkJobStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}

/// An existing Flink session cluster and who may use it (`flinksessionclusters.flink.jobcontroller.io`,
/// cluster-scoped, `fsc`).
public struct FlinkSessionCluster: KubernetesResource, HasSpec, HasStatus, Hashable {
    public static let group = "flink.jobcontroller.io"
    public static let version = "v1alpha1"
    public static let kind = "FlinkSessionCluster"
    public static let plural = "flinksessionclusters"
    public static let scope = ResourceScope.cluster

    public var metadata: ObjectMeta
    public var spec: FlinkSessionClusterSpec
    public var status: FlinkSessionClusterStatus?

    public init(metadata: ObjectMeta, spec: FlinkSessionClusterSpec, status: FlinkSessionClusterStatus? = nil) {
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }
}
