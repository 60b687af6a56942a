/// Whether a FlinkJob may run on its session cluster, and if not, every reason why.
public enum Admission: Sendable, Hashable {
    /// Every policy of the cluster allows the job.
    case admitted
    /// The job breaks at least one policy; each reason is a complete sentence for a condition message.
    case refused([String])

    /// Whether the job was admitted.
    public var isAdmitted: Bool { self == .admitted }

    /// The refusal reasons (empty when admitted).
    public var reasons: [String] {
        if case .refused(let reasons) = self { return reasons }
        return []
    }
}
