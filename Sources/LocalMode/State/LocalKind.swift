import FlinkJobOperator

/// A kind local mode stores: its name, API version and scope.
public struct LocalKind: Sendable, Hashable, CustomStringConvertible {
    /// `FlinkJob`, `FlinkSessionCluster`.
    public var name: String
    /// `flink.jobcontroller.io/v1alpha1`.
    public var apiVersion: String
    /// Whether objects of the kind live in namespaces.
    public var isNamespaced: Bool

    /// FlinkJobs (namespaced; a manifest without a namespace lands in `default`).
    public static let flinkJob = LocalKind(name: FlinkJob.kind, apiVersion: FlinkJob.apiVersion, isNamespaced: true)
    /// FlinkSessionClusters (cluster-scoped).
    public static let flinkSessionCluster = LocalKind(
        name: FlinkSessionCluster.kind, apiVersion: FlinkSessionCluster.apiVersion, isNamespaced: false)
    /// Every kind local mode serves.
    public static let all: [LocalKind] = [.flinkJob, .flinkSessionCluster]

    /// The kind called `name`, if local mode stores it.
    public init?(named name: String) {
        guard let kind = Self.all.first(where: { $0.name == name }) else { return nil }
        self = kind
    }

    init(name: String, apiVersion: String, isNamespaced: Bool) {
        self.name = name
        self.apiVersion = apiVersion
        self.isNamespaced = isNamespaced
    }

    public var description: String { name }
}

/// Where an object lives: kind, namespace (`nil` for cluster-scoped kinds) and name.
public struct StoredKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The kind.
    public var kind: LocalKind
    /// The namespace, `nil` for cluster-scoped kinds.
    public var namespace: String?
    /// The name.
    public var name: String

    /// A key; the namespace is dropped for cluster-scoped kinds.
    public init(kind: LocalKind, namespace: String?, name: String) {
        self.kind = kind
        self.namespace = kind.isNamespaced ? namespace : nil
        self.name = name
    }

    /// `FlinkJob team-a/orders`, `FlinkSessionCluster default`.
    public var description: String {
        "\(kind.name) \(namespace.map { "\($0)/" } ?? "")\(name)"
    }

    /// The namespace column value (`""` for cluster-scoped objects: SQLite primary keys should not be NULL).
    var namespaceColumn: String { namespace ?? "" }

    public static func < (lhs: StoredKey, rhs: StoredKey) -> Bool {
        (lhs.kind.name, lhs.namespace ?? "", lhs.name) < (rhs.kind.name, rhs.namespace ?? "", rhs.name)
    }
}
