/// `metav1.DeleteOptions`: how a DELETE proceeds.
public struct DeleteOptions: Sendable, Hashable, Codable {
    /// How dependents are garbage-collected.
    public enum PropagationPolicy: String, Sendable, Hashable, Codable {
        case orphan = "Orphan"
        case background = "Background"
        case foreground = "Foreground"
    }

    /// Grace period before deletion (pods); `nil` for the kind's default.
    public var gracePeriodSeconds: Int64?
    /// Conditions the object must meet, or the DELETE fails with 409 Conflict.
    public var preconditions: Preconditions?
    /// Dependent handling.
    public var propagationPolicy: PropagationPolicy?
    /// When true, the server validates and answers without persisting (`dryRun=All`).
    public var dryRun: Bool

    /// Options with the given values.
    public init(
        gracePeriodSeconds: Int64? = nil, preconditions: Preconditions? = nil,
        propagationPolicy: PropagationPolicy? = nil, dryRun: Bool = false
    ) {
        self.gracePeriodSeconds = gracePeriodSeconds
        self.preconditions = preconditions
        self.propagationPolicy = propagationPolicy
        self.dryRun = dryRun
    }

    /// Whether anything must be sent in a body (dry run goes in the query).
    var needsBody: Bool { gracePeriodSeconds != nil || preconditions != nil || propagationPolicy != nil }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        gracePeriodSeconds = try container.decodeIfPresent(Int64.self, forKey: .gracePeriodSeconds)
        preconditions = try container.decodeIfPresent(Preconditions.self, forKey: .preconditions)
        propagationPolicy = try container.decodeIfPresent(PropagationPolicy.self, forKey: .propagationPolicy)
        dryRun = try container.decodeIfPresent([String].self, forKey: .dryRun)?.contains("All") ?? false
    }

    /// Encodes the wire form, `kind: DeleteOptions` and `apiVersion: v1` included.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("DeleteOptions", forKey: .kind)
        try container.encode("v1", forKey: .apiVersion)
        try container.encodeIfPresent(gracePeriodSeconds, forKey: .gracePeriodSeconds)
        try container.encodeIfPresent(preconditions, forKey: .preconditions)
        try container.encodeIfPresent(propagationPolicy, forKey: .propagationPolicy)
        if dryRun { try container.encode(["All"], forKey: .dryRun) }
    }

    private enum CodingKeys: String, CodingKey {
        case kind, apiVersion, gracePeriodSeconds, preconditions, propagationPolicy, dryRun
    }
}

/// `metav1.Preconditions`: the object must still have this UID / resourceVersion to be deleted.
public struct Preconditions: Sendable, Hashable, Codable {
    /// Required UID (guards against deleting a re-created object of the same name).
    public var uid: String?
    /// Required resourceVersion (guards against deleting a changed object).
    public var resourceVersion: String?

    /// Preconditions with the given values.
    public init(uid: String? = nil, resourceVersion: String? = nil) {
        self.uid = uid
        self.resourceVersion = resourceVersion
    }
}
