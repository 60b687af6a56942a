import JSONCore

/// How the server treats objects of a kind beyond the generic rules.
enum KindStrategy: Sendable, Equatable {
    /// Custom.
    case custom
    /// Namespace.
    case namespace
    /// Lease.
    case lease
    /// Core event.
    case coreEvent
    /// Events event.
    case eventsEvent
    /// Secret.
    case secret
    /// Config map.
    case configMap
    /// Custom resource definition.
    case customResourceDefinition
}

/// One served resource (a group/version/plural) and everything the server needs to know to handle it.
struct ResourceType: Sendable {
    /// The group.
    var group: String
    /// The version.
    var version: String
    /// The plural.
    var plural: String
    /// The singular.
    var singular: String
    /// The kind.
    var kind: String
    /// The list kind.
    var listKind: String
    /// The namespaced.
    var namespaced: Bool
    /// The short names.
    var shortNames: [String]
    /// The categories.
    var categories: [String]
    /// The status subresource.
    var statusSubresource: Bool
    /// The scale.
    var scale: ResourceDescription.ScaleSubresource?
    /// The schema.
    var schema: StructuralSchema?
    /// The Go type of a built-in kind; `nil` for custom resources.
    var goType: GoType?
    /// The strategy.
    var strategy: KindStrategy
    /// Where objects live; several resources may share one storage (core and events.k8s.io Events).
    var storageKey: String
    /// Whether `metadata.generation` is maintained.
    var hasGeneration: Bool
    /// A custom resource's printer columns (its CRD version's `additionalPrinterColumns`); `nil`: only `Age`.
    var printerColumns: [PrinterColumn]? = nil

    /// The api version.
    var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    /// The key.
    var key: String { Self.key(group: group, version: version, plural: plural) }
    /// The is custom.
    var isCustom: Bool { strategy == .custom }

    static func key(group: String, version: String, plural: String) -> String { "\(group)/\(version)/\(plural)" }

    /// The ownership structure server-side apply uses for this kind.
    var ownership: OwnershipType {
        if let goType { return .builtin(goType) }
        return .customResource(schema)
    }

    /// Key order for serialising objects of this kind (struct order for built-ins, sorted for custom resources).
    var writer: GoJSONWriter {
        guard let goType else {
            return .sorted
        }
        return GoJSONWriter(keyOrder: { path in goType.keyOrder(at: path) })
    }

    init(description d: ResourceDescription) {
        group = d.group
        version = d.version
        plural = d.plural
        singular = d.singular
        kind = d.kind
        listKind = d.listKind
        namespaced = d.scope == .namespaced
        shortNames = d.shortNames
        categories = d.categories
        statusSubresource = d.hasStatusSubresource
        scale = d.scale
        schema = d.schema
        goType = nil
        strategy = .custom
        storageKey = "\(d.group)/\(d.plural)"
        hasGeneration = true
    }

    init(group: String, version: String, plural: String, singular: String, kind: String, namespaced: Bool,
         shortNames: [String] = [], goType: GoType, strategy: KindStrategy, storageKey: String? = nil,
         hasGeneration: Bool = false, statusSubresource: Bool = false) {
        self.group = group
        self.version = version
        self.plural = plural
        self.singular = singular
        self.kind = kind
        listKind = kind + "List"
        self.namespaced = namespaced
        self.shortNames = shortNames
        categories = []
        self.statusSubresource = statusSubresource
        scale = nil
        schema = nil
        self.goType = goType
        self.strategy = strategy
        self.storageKey = storageKey ?? "\(group)/\(plural)"
        self.hasGeneration = hasGeneration
    }

    /// The built-in kinds every emulator serves.
    static let builtins: [ResourceType] = [
        ResourceType(group: "", version: "v1", plural: "namespaces", singular: "namespace", kind: "Namespace",
                     namespaced: false, shortNames: ["ns"], goType: BuiltinTypes.namespace, strategy: .namespace),
        ResourceType(group: "", version: "v1", plural: "secrets", singular: "secret", kind: "Secret",
                     namespaced: true, goType: BuiltinTypes.secret, strategy: .secret),
        ResourceType(group: "", version: "v1", plural: "configmaps", singular: "configmap", kind: "ConfigMap",
                     namespaced: true, shortNames: ["cm"], goType: BuiltinTypes.configMap, strategy: .configMap),
        ResourceType(group: "", version: "v1", plural: "events", singular: "event", kind: "Event",
                     namespaced: true, shortNames: ["ev"], goType: BuiltinTypes.coreEvent, strategy: .coreEvent,
                     storageKey: "/events"),
        ResourceType(group: "events.k8s.io", version: "v1", plural: "events", singular: "event", kind: "Event",
                     namespaced: true, shortNames: ["ev"], goType: BuiltinTypes.eventsEvent, strategy: .eventsEvent,
                     storageKey: "/events"),
        ResourceType(group: "coordination.k8s.io", version: "v1", plural: "leases", singular: "lease", kind: "Lease",
                     namespaced: true, goType: BuiltinTypes.lease, strategy: .lease),
        ResourceType(group: "apiextensions.k8s.io", version: "v1", plural: "customresourcedefinitions",
                     singular: "customresourcedefinition", kind: "CustomResourceDefinition", namespaced: false,
                     shortNames: ["crd", "crds"], goType: BuiltinTypes.customResourceDefinition,
                     strategy: .customResourceDefinition, hasGeneration: true, statusSubresource: true),
    ]
}
