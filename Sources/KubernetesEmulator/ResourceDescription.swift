/// Describes a kind to serve, the way a CustomResourceDefinition's names, scope and subresources do.
///
/// Register one with `KubernetesEmulator.register(_:)`, or POST a real CustomResourceDefinition instead.
public struct ResourceDescription: Sendable {
    /// Whether objects live in namespaces.
    public enum Scope: String, Sendable {
        case namespaced = "Namespaced"
        case cluster = "Cluster"
    }

    /// The `/scale` subresource: JSON paths (`.spec.parallelism`) mapped onto an `autoscaling/v1` Scale.
    public struct ScaleSubresource: Sendable, Equatable {
        public var specReplicasPath: String
        public var statusReplicasPath: String
        public var labelSelectorPath: String?

        public init(specReplicasPath: String, statusReplicasPath: String, labelSelectorPath: String? = nil) {
            self.specReplicasPath = specReplicasPath
            self.statusReplicasPath = statusReplicasPath
            self.labelSelectorPath = labelSelectorPath
        }
    }

    public var group: String
    public var version: String
    public var plural: String
    public var singular: String
    public var kind: String
    public var listKind: String
    public var scope: Scope
    public var shortNames: [String]
    public var categories: [String]
    /// Whether `/status` is a separate subresource (main-resource writes then ignore `.status`).
    public var hasStatusSubresource: Bool
    public var scale: ScaleSubresource?
    /// The structural schema (defaults, pruning, validation); `nil` keeps every field as sent.
    public var schema: StructuralSchema?

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
