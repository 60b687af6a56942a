import ControllerRuntime
import Foundation
import Kubernetes

extension OperatorBackend {
    /// The operator's objects on a Kubernetes API server.
    ///
    /// - Parameter watchNamespaces: whether the operator may list/watch Namespaces (for namespace label selectors
    ///   in cluster policies); without it only `allowedNamespaces.names` admit.
    public static func kubernetes(_ client: KubernetesClient, watchNamespaces: Bool = true) -> OperatorBackend {
        OperatorBackend(
            flinkJobs: KubernetesObjectAPI<FlinkJob>(client: client),
            sessionClusters: KubernetesObjectAPI<FlinkSessionCluster>(client: client),
            secrets: KubernetesObjectAPI<Secret>(client: client),
            namespaces: watchNamespaces ? KubernetesObjectAPI<NamespaceResource>(client: client) : nil,
            events: KubernetesEventSink(client: client),
            references: KubernetesReferenceLookup(client: client))
    }
}

/// Reads the Secrets and ConfigMaps FlinkJobs refer to with one GET each. A 404 is "missing" (`nil`); any other
/// failure is thrown, so an unreachable API server is never taken for a deleted reference.
public struct KubernetesReferenceLookup: ReferenceLookup {
    let client: KubernetesClient

    public init(client: KubernetesClient) {
        self.client = client
    }

    public func secretValue(namespace: String, name: String, key: String) async throws -> Data? {
        let secret: Secret
        do {
            secret = try await client.resources(Secret.self, namespace: namespace).get(name)
        } catch let error as KubernetesError where error.isNotFound {
            return nil
        }
        return secret.data?[key] ?? secret.stringData?[key].map { Data($0.utf8) }
    }

    public func configMapValue(namespace: String, name: String, key: String) async throws -> String? {
        let map: ConfigMap
        do {
            map = try await client.resources(ConfigMap.self, namespace: namespace).get(name)
        } catch let error as KubernetesError where error.isNotFound {
            return nil
        }
        return map.data?[key]
    }
}
