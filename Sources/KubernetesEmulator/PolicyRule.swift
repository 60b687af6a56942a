/// One RBAC rule, mirroring `rbac.authorization.k8s.io/v1` `PolicyRule`, optionally limited to one namespace
/// (as when granted by a RoleBinding) or cluster-wide (a ClusterRoleBinding).
public struct PolicyRule: Sendable, Equatable {
    /// API groups (`""` is the core group, `"*"` any).
    public var apiGroups: [String]
    /// Resources, including subresources as `flinkjobs/status` (`"*"` any, `"*/status"` any status).
    public var resources: [String]
    /// Verbs: get, list, watch, create, update, patch, delete, deletecollection (`"*"` any).
    public var verbs: [String]
    /// When non-empty, only these object names (never matches list, watch, create or deletecollection).
    public var resourceNames: [String]
    /// Non-resource URLs (`/version`, `/apis/*`) for `get` on paths that are not resources.
    public var nonResourceURLs: [String]
    /// The namespace this rule applies in (a Role), or `nil` for every namespace and cluster scope.
    public var namespace: String?

/// A resource rule; `namespace` limits it to one namespace (a Role), `nil` applies everywhere.
    public init(apiGroups: [String], resources: [String], verbs: [String], resourceNames: [String] = [],
                namespace: String? = nil) {
        self.apiGroups = apiGroups
        self.resources = resources
        self.verbs = verbs
        self.resourceNames = resourceNames
        nonResourceURLs = []
        self.namespace = namespace
    }

    /// A rule for non-resource URLs.
    public init(nonResourceURLs: [String], verbs: [String]) {
        apiGroups = []
        resources = []
        self.verbs = verbs
        resourceNames = []
        self.nonResourceURLs = nonResourceURLs
        namespace = nil
    }

    /// Whether the rule allows `verb` on `resource` (with subresource) in `group`, `namespace`, `name`.
    func allows(verb: String, group: String, resource: String, subresource: String?, namespace: String?, name: String?) -> Bool {
        if let scoped = self.namespace, scoped != namespace { return false }
        guard verbs.contains("*") || verbs.contains(verb) else { return false }
        guard apiGroups.contains("*") || apiGroups.contains(group) else { return false }
        let combined = subresource.map { "\(resource)/\($0)" } ?? resource
        let resourceMatches = resources.contains { r in
            r == "*" || r == combined || (subresource != nil && r == "*/\(subresource ?? "")")
        }
        guard resourceMatches else { return false }
        if !resourceNames.isEmpty {
            guard let name, resourceNames.contains(name) else { return false }
        }
        return true
    }

    /// Whether the rule allows `verb` on a non-resource path.
    func allows(verb: String, nonResourcePath path: String) -> Bool {
        guard verbs.contains("*") || verbs.contains(verb) else { return false }
        return nonResourceURLs.contains { url in
            url == "*" || url == path || (url.hasSuffix("*") && path.hasPrefix(String(url.dropLast())))
        }
    }
}
