import FlinkJobOperator
import Foundation
import Synchronization

/// Secrets and ConfigMaps for FlinkJobs in local mode: those defined as `v1` `Secret` / `ConfigMap` documents in
/// the manifest directories (e.g. an SQL script for `artifact.sql.configMapRef`), as of the last load.
public final class LocalReferenceLookup: ReferenceLookup {
    private let references = Mutex<(configMaps: [String: [String: String]], secrets: [String: [String: [UInt8]]])>(([:], [:]))

    /// An empty lookup (nothing found until `update`).
    public init() {}

    /// Takes the ConfigMaps and Secrets of `snapshot`.
    public func update(from snapshot: ManifestSnapshot) {
        references.withLock { $0 = (snapshot.configMaps, snapshot.secrets) }
    }

    public func secretValue(namespace: String, name: String, key: String) async -> Data? {
        references.withLock { $0.secrets["\(namespace)/\(name)"]?[key].map { Data($0) } }
    }

    public func configMapValue(namespace: String, name: String, key: String) async -> String? {
        references.withLock { $0.configMaps["\(namespace)/\(name)"]?[key] }
    }
}
