import FlinkREST

/// What the operator talks to for a FlinkSessionCluster, given the REST client built from its spec.
///
/// Production uses the client as built (`.rest`). Tests put the deterministic Flink model, or a fault-injecting
/// decorator around the real client, in its place — without any test hook in the production code path.
public struct FlinkServiceFactory: Sendable {
    /// `(cluster name, spec.restURL, the REST client built for it) -> the service to use`.
    public let service: @Sendable (String, String, FlinkRESTClient) -> any FlinkService

    public init(_ service: @escaping @Sendable (String, String, FlinkRESTClient) -> any FlinkService) {
        self.service = service
    }

    /// The REST client itself.
    public static let rest = FlinkServiceFactory { _, _, client in client }
}
