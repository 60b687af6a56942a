/// Whether a FlinkJob may run on its session cluster, and if not, every reason why.
public enum Admission: Sendable, Hashable {
    /// Every policy of the cluster allows the job.
    case admitted
    /// The job breaks at least one policy.
    case refused([Refusal])

    /// Whether the job was admitted.
    public var isAdmitted: Bool { self == .admitted }

    /// The refusals (empty when admitted).
    public var refusals: [Refusal] {
        if case .refused(let refusals) = self { return refusals }
        return []
    }

    /// The refusal messages (empty when admitted).
    public var reasons: [String] { refusals.map(\.message) }
}

/// One reason a FlinkJob may not run as specified: its kind (the condition reason) and a complete sentence.
public struct Refusal: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// The namespace is not in the cluster's `allowedNamespaces`.
        case namespaceNotAllowed
        /// `maxParallelismPerJob` or `maxSlotsPerNamespace` would be exceeded.
        case quotaExceeded
        /// The artifact policy (digest, signature, URI prefixes) refuses the artifact.
        case artifactNotAllowed
        /// No savepoint directory is known for a job whose `upgradeMode` or `deletePolicy` needs one.
        case savepointDirectoryUnknown
        /// Anything else the spec gets wrong.
        case invalidSpec
    }

    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    /// The condition reason for this refusal.
    public var reason: Reason {
        switch kind {
        case .namespaceNotAllowed: .namespaceNotAllowed
        case .quotaExceeded: .quotaExceeded
        case .artifactNotAllowed: .artifactNotAllowed
        case .savepointDirectoryUnknown: .savepointDirectoryUnknown
        case .invalidSpec: .invalidSpec
        }
    }
}
