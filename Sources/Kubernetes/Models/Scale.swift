/// An `autoscaling/v1` Scale: what the `/scale` subresource reads and writes.
public struct Scale: Sendable, Hashable, Codable {
    /// The desired replica count.
    public struct Spec: Sendable, Hashable, Codable {
        /// Desired replicas (for FlinkJob: `spec.parallelism`).
        public var replicas: Int?

        /// A spec with the given count.
        public init(replicas: Int? = nil) { self.replicas = replicas }
    }

    /// The observed replica count.
    public struct Status: Sendable, Hashable, Codable {
        /// Observed replicas (for FlinkJob: `status.parallelism`; 0 until set).
        public var replicas: Int
        /// The label selector of the scaled pods, if the resource maps one.
        public var selector: String?

        /// A status with the given values.
        public init(replicas: Int = 0, selector: String? = nil) {
            self.replicas = replicas
            self.selector = selector
        }
    }

    /// Always `autoscaling/v1`.
    public var apiVersion: String
    /// Always `Scale`.
    public var kind: String
    /// Mirrors the scaled object's name, namespace, uid and resourceVersion.
    public var metadata: ObjectMeta
    /// The desired state.
    public var spec: Spec
    /// The observed state.
    public var status: Status?

    /// A Scale document with the given values.
    public init(metadata: ObjectMeta, spec: Spec, status: Status? = nil) {
        apiVersion = "autoscaling/v1"
        kind = "Scale"
        self.metadata = metadata
        self.spec = spec
        self.status = status
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        apiVersion = try container.decodeIfPresent(String.self, forKey: .apiVersion) ?? "autoscaling/v1"
        kind = try container.decodeIfPresent(String.self, forKey: .kind) ?? "Scale"
        metadata = try container.decodeIfPresent(ObjectMeta.self, forKey: .metadata) ?? ObjectMeta()
        spec = try container.decodeIfPresent(Spec.self, forKey: .spec) ?? Spec()
        status = try container.decodeIfPresent(Status.self, forKey: .status)
    }

    private enum CodingKeys: String, CodingKey {
        case apiVersion, kind, metadata, spec, status
    }
}
