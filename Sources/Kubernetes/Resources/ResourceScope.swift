/// Where objects of a kind live.
public enum ResourceScope: String, Sendable, Hashable, Codable {
    /// In a namespace (`/namespaces/{ns}/…`).
    case namespaced = "Namespaced"
    /// Cluster-wide (no namespace in the path).
    case cluster = "Cluster"
}
