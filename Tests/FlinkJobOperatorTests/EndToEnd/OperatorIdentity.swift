import Foundation
import JSONCore
import KubernetesEmulator
import Kubernetes

/// The operator's identity in end-to-end tests: its ServiceAccount with exactly the RBAC rules the project ships
/// (`k8s/rbac.yaml`, which the packaging checks keep equal to the Helm chart's) — so a verb the operator uses but
/// the manifests do not grant fails a test with the API server's 403, and a verb granted but never used shows in
/// the packaging contract.
enum OperatorIdentity {
    static let name = "system:serviceaccount:\(EndToEndEnvironment.operatorNamespace):flink-job-controller"
    static let token = "operator-service-account-token"

    /// The emulator user: the ClusterRole's rules everywhere, each Role's rules in the operator's namespace.
    static func user(root: URL) throws -> EmulatorUser {
        let text = try String(contentsOf: root.appendingPathComponent("k8s/rbac.yaml"), encoding: .utf8)
        var rules: [PolicyRule] = []
        for object in try KubernetesEmulator.yamlDocuments(text) {
            guard let kind = object["kind"]?.stringValue, kind == "ClusterRole" || kind == "Role" else { continue }
            for rule in object["rules"]?.arrayValue ?? [] {
                func strings(_ key: String) -> [String] { rule[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }
                rules.append(PolicyRule(
                    apiGroups: strings("apiGroups"), resources: strings("resources"), verbs: strings("verbs"),
                    resourceNames: strings("resourceNames"),
                    namespace: kind == "Role" ? EndToEndEnvironment.operatorNamespace : nil))
            }
        }
        return EmulatorUser(name: name, token: token, rules: rules)
    }
}
