import FlinkREST

/// The answer of `FlinkClusterRegistry.client(for:)`.
public enum ClientLookup: Sendable {
    /// No FlinkSessionCluster of that name is cached.
    case missing
    /// The cluster's spec or Secrets do not yield a client; carries why.
    case misconfigured(ClusterConnectionError)
    /// A client and what the circuit breaker says about calling it now.
    case available(any FlinkService, breaker: CircuitBreaker.Decision)
}
