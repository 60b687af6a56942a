/// Whose keys may sign a FlinkJob's artifact on a cluster.
///
/// Trusted keys belong to the platform, not to the author: on a cluster that requires signatures
/// (`artifactPolicy.requireSignature`) a signature must verify with one of the cluster's `trustedKeys` or the
/// operator's `artifacts.trustedKeyFiles`, and a job naming a key of its own namespace is refused — otherwise the
/// author would sign their own artifact. Elsewhere a signature may name the author's key (an integrity check the
/// author asked for) or none (the platform keys).
public struct SignatureTrust: Sendable, Hashable {
    /// `artifactPolicy.requireSignature`.
    public var required: Bool
    /// `artifactPolicy.trustedKeys`.
    public var keys: [FlinkSessionClusterSpec.SecretKeyReference]

    public init(required: Bool = false, keys: [FlinkSessionClusterSpec.SecretKeyReference] = []) {
        self.required = required
        self.keys = keys
    }

    /// Which keys verify `signature`.
    public enum Verifier: Sendable, Hashable {
        /// The author's own key, in the FlinkJob's namespace.
        case author(FlinkJobSpec.Artifact.SecretKeyReference)
        /// The cluster's trusted keys and the operator's.
        case platform
    }

    /// The keys that verify `signature`, or why it cannot be accepted here.
    public func verifier(for signature: FlinkJobSpec.Artifact.Signature, cluster: String) -> Result<Verifier, TrustRefusal> {
        if let own = signature.publicKeySecretRef {
            guard !required else {
                return .failure(TrustRefusal(
                    "FlinkSessionCluster \"\(cluster)\" requires artifacts signed by the platform's trusted keys; "
                        + "spec.artifact.signature.publicKeySecretRef names a key of the job's own namespace, which "
                        + "is not trusted there (remove it)"))
            }
            return .success(.author(own))
        }
        return .success(.platform)
    }

    /// A signature that cannot be accepted, with the message to show.
    public struct TrustRefusal: Error, Sendable, Hashable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}
