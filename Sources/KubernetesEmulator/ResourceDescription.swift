/// Describes a kind to serve, the way a CustomResourceDefinition's names, scope and subresources do.
///
/// Register one with `KubernetesEmulator.register(_:)`, or POST a real CustomResourceDefinition instead.
public struct ResourceDescription: Sendable {
    /// Whether objects live in namespaces.
    public enum Scope: String, Sendable {
        /// Namespaced.
        case namespaced = "Namespaced"
        /// Cluster.
        case cluster = "Cluster"
    }

    /// The `/scale` subresource: JSON paths (`.spec.parallelism`) mapped onto an `autoscaling/v1` Scale.
    public struct ScaleSubresource: Sendable, Equatable {
        /// Where `spec.replicas` lives (`.spec.parallelism`).
        public var specReplicasPath: String
        /// Where `status.replicas` lives (`.status.parallelism`).
        public var statusReplicasPath: String
        /// Where `status.selector` comes from, if anywhere.
        public var labelSelectorPath: String?

        /// Maps the Scale fields onto object paths.
        public init(specReplicasPath: String, statusReplicasPath: String, labelSelectorPath: String? = nil) {
            self.specReplicasPath = specReplicasPath
            self.statusReplicasPath = statusReplicasPath
            self.labelSelectorPath = labelSelectorPath
        }
    }

    /// The API group (`flink.jobcontroller.io`).
    public var group: String
    /// The served version (`v1alpha1`).
    public var version: String
    /// The resource name in URLs (`flinkjobs`).
    public var plural: String
    /// The singular name (`flinkjob`).
    public var singular: String
    /// The kind (`FlinkJob`).
    public var kind: String
    /// The list kind (`FlinkJobList`).
    public var listKind: String
    /// Namespaced or cluster-scoped.
    public var scope: Scope
    /// Short names shown in discovery (`fj`).
    public var shortNames: [String]
    /// Categories shown in discovery (`all`).
    public var categories: [String]
    /// Whether `/status` is a separate subresource (main-resource writes then ignore `.status`).
    public var hasStatusSubresource: Bool
    /// The `/scale` subresource, if served.
    public var scale: ScaleSubresource?
    /// The structural schema (defaults, pruning, validation); `nil` keeps every field as sent.
    public var schema: StructuralSchema?

/// Describes a kind; `listKind` defaults to `kind + "List"`.
    public init(
        group: String, version: String, plural: String, singular: String, kind: String, listKind: String? = nil,
        scope: Scope = .namespaced, shortNames: [String] = [], categories: [String] = [],
        hasStatusSubresource: Bool = true, scale: ScaleSubresource? = nil, schema: StructuralSchema? = nil
    ) {
        self.group = group
        self.version = version
        self.plural = plural
        self.singular = singular
        self.kind = kind
        self.listKind = listKind ?? kind + "List"
        self.scope = scope
        self.shortNames = shortNames
        self.categories = categories
        self.hasStatusSubresource = hasStatusSubresource
        self.scale = scale
        self.schema = schema
    }
}
