/// A request path split into the API parts a kube-apiserver routes on.
enum RequestPath: Equatable, Sendable {
    /// `/api`, `/apis`, `/apis/{group}`, `/api/v1`, `/apis/{group}/{version}`, `/version`, health checks.
    case apiVersions
    /// Api group list.
    case apiGroupList
    /// Api group.
    case apiGroup(String)
    /// Resource list.
    case resourceList(group: String, version: String)
    /// Version.
    case version
    /// Health.
    case health(String)
    /// A resource path: collection, item, or item subresource.
    case resource(ResourcePath)
    /// `/openapi/v2`: the Swagger 2.0 document of everything served.
    case openAPIV2
    /// `/openapi/v3`: the index of the per-group-version OpenAPI 3.0 documents.
    case openAPIV3Index
    /// `/openapi/v3/api/v1`, `/openapi/v3/apis/{group}/{version}`: one group version's OpenAPI 3.0 document.
    case openAPIV3(group: String, version: String)

    /// Parses `path`; `nil` when it names nothing a kube-apiserver serves.
    init?(_ path: String) {
        var segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if path.hasSuffix("/") && segments.count > 0 && path != "/" {
            // Trailing slashes are not tolerated by the real router either.
            return nil
        }
        guard let first = segments.first else { return nil }
        switch first {
        case "version" where segments.count == 1: self = .version
        case "healthz", "livez", "readyz": self = .health(path)
        case "openapi":
            let rest = Array(segments.dropFirst())
            if rest == ["v2"] {
                self = .openAPIV2
            } else if rest == ["v3"] {
                self = .openAPIV3Index
            } else if rest.count == 3, rest[0] == "v3", rest[1] == "api" {
                self = .openAPIV3(group: "", version: rest[2])
            } else if rest.count == 4, rest[0] == "v3", rest[1] == "apis" {
                self = .openAPIV3(group: rest[2], version: rest[3])
            } else {
                return nil
            }
        case "api":
            if segments.count == 1 { self = .apiVersions; return }
            guard segments[1] == "v1" else { return nil }
            if segments.count == 2 { self = .resourceList(group: "", version: "v1"); return }
            segments.removeFirst(2)
            guard let r = ResourcePath(group: "", version: "v1", rest: segments) else { return nil }
            self = .resource(r)
        case "apis":
            if segments.count == 1 { self = .apiGroupList; return }
            if segments.count == 2 { self = .apiGroup(segments[1]); return }
            if segments.count == 3 { self = .resourceList(group: segments[1], version: segments[2]); return }
            let group = segments[1]
            let version = segments[2]
            segments.removeFirst(3)
            guard let r = ResourcePath(group: group, version: version, rest: segments) else { return nil }
            self = .resource(r)
        default:
            return nil
        }
    }
}

/// The resource part of a path.
struct ResourcePath: Equatable, Sendable {
    /// The group.
    var group: String
    /// The version.
    var version: String
    /// The namespace in the URL, `nil` for cluster-wide paths.
    var namespace: String?
    /// The plural.
    var plural: String
    /// The name.
    var name: String?
    /// The subresource.
    var subresource: String?
    /// The legacy `/watch/` prefix was used.
    var legacyWatch = false

    /// Splits the path segments after the group and version; `nil` when they name no resource.
    init?(group: String, version: String, rest: [String]) {
        self.group = group
        self.version = version
        var rest = rest
        if rest.first == "watch" {
            legacyWatch = true
            rest.removeFirst()
        }
        if rest.count >= 3, rest[0] == "namespaces" {
            namespace = rest[1]
            rest.removeFirst(2)
        } else if rest.count == 2 || rest.count == 3, rest[0] == "namespaces", group.isEmpty {
            // /api/v1/namespaces/{name}[/status|/finalize]
            namespace = nil
        }
        guard !rest.isEmpty, rest.count <= 3 else { return nil }
        plural = rest[0]
        name = rest.count > 1 ? rest[1] : nil
        subresource = rest.count > 2 ? rest[2] : nil
    }

    /// A resource path from its parts.
    init(group: String, version: String, namespace: String?, plural: String, name: String?, subresource: String?) {
        self.group = group
        self.version = version
        self.namespace = namespace
        self.plural = plural
        self.name = name
        self.subresource = subresource
    }
}
