/// `metav1.Condition`: one aspect of an object's observed state (`Ready`, `Progressing`, …).
///
/// Decoding is lenient about `reason`/`message` (empty when absent) and `lastTransitionTime` (optional), because
/// a custom resource's status is free-form and may have been written by another client.
public struct Condition: Sendable, Hashable, Codable {
    /// The truth value of a condition.
    public enum Status: String, Sendable, Hashable, Codable {
        case `true` = "True"
        case `false` = "False"
        case unknown = "Unknown"
    }

    /// The condition type in CamelCase (`Ready`).
    public var type: String
    /// Whether the condition holds.
    public var status: Status
    /// The `metadata.generation` the condition was computed from.
    public var observedGeneration: Int64?
    /// When `status` last changed; kept unchanged while `status` stays the same.
    public var lastTransitionTime: KubeTime?
    /// A CamelCase machine-readable reason for the last transition.
    public var reason: String
    /// A human-readable explanation.
    public var message: String

    /// A condition with the given values.
    public init(
        type: String, status: Status, reason: String, message: String = "", observedGeneration: Int64? = nil,
        lastTransitionTime: KubeTime? = nil
    ) {
        self.type = type
        self.status = status
        self.reason = reason
        self.message = message
        self.observedGeneration = observedGeneration
        self.lastTransitionTime = lastTransitionTime
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(String.self, forKey: .type)
        status = try container.decode(Status.self, forKey: .status)
        observedGeneration = try container.decodeIfPresent(Int64.self, forKey: .observedGeneration)
        lastTransitionTime = try container.decodeIfPresent(KubeTime.self, forKey: .lastTransitionTime)
        reason = try container.decodeIfPresent(String.self, forKey: .reason) ?? ""
        message = try container.decodeIfPresent(String.self, forKey: .message) ?? ""
    }

    private enum CodingKeys: String, CodingKey {
        case type, status, observedGeneration, lastTransitionTime, reason, message
    }
}
