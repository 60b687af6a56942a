/// A job's id and state, from `GET /jobs`.
public struct JobIdentity: Codable, Hashable, Sendable {
    /// The job id.
    public var id: FlinkJobID
    /// The job state.
    public var state: FlinkJobState

    /// Creates the value.
    public init(id: FlinkJobID, state: FlinkJobState) {
        self.id = id
        self.state = state
    }

    enum CodingKeys: String, CodingKey {
        case id
        case state = "status"
    }
}

/// The body of `GET /jobs`.
struct JobIdentityList: Codable {
    var jobs: [JobIdentity]
}
