import Foundation
import JSONCore

/// The part of a FlinkJob's spec that a running Flink job is made from: a change to any of these fields needs a
/// redeploy (or, for `parallelism` alone, a rescale).
///
/// Fields **not** here change nothing in the running job and are applied without a redeploy: `state` (suspend /
/// resume), `upgradeMode`, `initialSavepointPath` (first deploy only), `allowNonRestoredState` (read at the next
/// deploy), `savepoints`, `deletePolicy`, `recovery`, `health`, `rollback`, `savepointNonce` and `batch`
/// (schedule settings apply to the next run). `restartNonce` is here on purpose: bumping it restarts the job the
/// way an upgrade would (stateful per `upgradeMode`).
public struct DeploySpec: Sendable, Hashable, Codable {
    public var clusterRef: String
    public var type: FlinkJobSpec.JobType
    public var artifact: FlinkJobSpec.Artifact
    public var args: [String]
    public var parallelism: Int
    public var flinkConfiguration: [String: String]
    public var checkpointing: FlinkJobSpec.Checkpointing?
    public var restartStrategy: FlinkJobSpec.RestartStrategy?
    public var restartNonce: Int64?
    /// SHA-256 of content the spec refers to outside itself (a SQL script in a ConfigMap), so that a change of that
    /// content redeploys like a change of the spec.
    public var referencedContentHash: String?

    /// The deploy-relevant projection of `spec`, with the hash of the content it refers to.
    public init(_ spec: FlinkJobSpec, referencedContentHash: String? = nil) {
        self.referencedContentHash = referencedContentHash
        clusterRef = spec.clusterRef.name
        type = spec.type
        artifact = spec.artifact
        args = spec.args ?? []
        parallelism = spec.parallelism
        flinkConfiguration = spec.flinkConfiguration ?? [:]
        checkpointing = spec.checkpointing
        restartStrategy = spec.restartStrategy
        restartNonce = spec.restartNonce
    }

    /// A canonical hash: SHA-256 of the projection's JSON with sorted keys, as 20 hex digits.
    ///
    /// Stable across processes and versions of this operator as long as the projection's fields keep their names.
    public var hash: String {
        let json = (try? JSONValue(encoding: self).encodedData()) ?? Data(String(describing: self).utf8)
        return String(Digests.sha256(json).hexString.prefix(20))
    }

    /// `spec` with its deploy-relevant fields replaced by this projection's (what a rollback runs: validated and
    /// admitted like any spec before it is deployed).
    public func applied(to spec: FlinkJobSpec) -> FlinkJobSpec {
        var result = spec
        result.clusterRef = .init(name: clusterRef)
        result.type = type
        result.artifact = artifact
        result.args = args.isEmpty ? nil : args
        result.parallelism = parallelism
        result.flinkConfiguration = flinkConfiguration.isEmpty ? nil : flinkConfiguration
        result.checkpointing = checkpointing
        result.restartStrategy = restartStrategy
        result.restartNonce = restartNonce
        return result
    }

    /// The projection as a status copy when its encoding is at most `copyLimit` bytes (`nil` above: status keeps
    /// the hash only, so a large SQL spec cannot push the object past the API server's size limit).
    public var boundedCopy: JSONValue? {
        guard let value = try? JSONValue(encoding: self), let bytes = try? value.encodedData(),
            bytes.count <= Self.copyLimit
        else { return nil }
        return value
    }

    /// The largest spec copy kept in status (64 KiB).
    public static let copyLimit = 64 * 1024

    /// Decodes a copy from status, accepting it only when it still hashes to `hash` (status is not trusted input).
    public static func copy(_ value: JSONValue?, matching hash: String?) -> DeploySpec? {
        guard let value, let hash, let spec = try? value.decode(DeploySpec.self), spec.hash == hash else { return nil }
        return spec
    }

    /// Whether `other` differs from this projection in `parallelism` only.
    public func differsOnlyInParallelism(from other: DeploySpec) -> Bool {
        var aligned = other
        aligned.parallelism = parallelism
        return aligned == self && other.parallelism != parallelism
    }
}
