import Crypto
import Foundation
import JSONCore

extension APIServer {
    /// Discovery's `storageVersionHash`: base64 of the first 8 bytes of SHA-256(`group/version/kind`).
    static func storageVersionHash(group: String, version: String, kind: String) -> String {
        Data(Data(SHA256.hash(data: Array("\(group)/\(version)/\(kind)".utf8))).prefix(8)).base64EncodedString()
    }

    private static let listWriter = GoJSONWriter(keyOrder: { path in
        switch path.last {
        case nil: ["kind", "apiVersion", "name", "groupVersion", "versions", "preferredVersion", "groups", "resources", "serverAddressByClientCIDRs"]
        case "[]": ["name", "singularName", "namespaced", "group", "version", "kind", "verbs", "shortNames", "categories", "storageVersionHash", "groupVersion", "versions", "preferredVersion"]
        default: ["groupVersion", "version"]
        }
    })

    /// The verbs discovery lists for a kind's main resource.
    static func verbs(_ t: ResourceType) -> [String] {
        t.strategy == .namespace
            ? ["create", "delete", "get", "list", "patch", "update", "watch"]
            : ["delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"]
    }

    /// Answers discovery, version and health paths.
    func discovery(_ path: RequestPath, _ request: APIRequest) throws(APIError) -> APIOutcome {
        let types = state.withLock { Array($0.types.values) }
        switch path {
        case .health:
            return .response(APIResponse(status: 200, contentType: "text/plain; charset=utf-8", body: Data("ok".utf8)))
        case .version:
            return json(200, ["major": "1", "minor": "32", "gitVersion": "v1.32.0", "gitCommit": "kubernetes-emulator",
                              "gitTreeState": "clean", "buildDate": "2024-12-11T00:00:00Z", "goVersion": "go1.23.3",
                              "compiler": "gc", "platform": "linux/amd64"])
        case .apiVersions:
            if let version = AggregatedDiscovery.requestedVersion(request.accept) {
                return aggregatedDiscovery(types.filter { $0.group.isEmpty }, version: version)
            }
            return json(200, ["kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": [
                ["clientCIDR": "0.0.0.0/0", "serverAddress": .string(settings.serverAddress())],
            ]], writer: Self.listWriter)
        case .apiGroupList:
            if let version = AggregatedDiscovery.requestedVersion(request.accept) {
                return aggregatedDiscovery(types.filter { !$0.group.isEmpty }, version: version)
            }
            let groups = Set(types.map(\.group)).filter { !$0.isEmpty }.sorted()
            return json(200, ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(groups.map { apiGroup($0, types) })],
                        writer: Self.listWriter)
        case .apiGroup(let group):
            guard types.contains(where: { $0.group == group }) else { throw .pageNotFound }
            return json(200, apiGroup(group, types), writer: Self.listWriter)
        case .resourceList(let group, let version):
            let served = types.filter { $0.group == group && $0.version == version }.sorted { $0.plural < $1.plural }
            guard !served.isEmpty else { throw .pageNotFound }
            var resources: [JSONValue] = []
            for t in served {
                var main: [String: JSONValue] = [
                    "name": .string(t.plural), "singularName": .string(t.singular), "namespaced": .bool(t.namespaced),
                    "kind": .string(t.kind),
                    "verbs": .array(Self.verbs(t).map(JSONValue.string)),
                    "storageVersionHash": .string(Self.storageVersionHash(group: t.group, version: t.version, kind: t.kind)),
                ]
                if !t.shortNames.isEmpty { main["shortNames"] = .array(t.shortNames.map(JSONValue.string)) }
                if !t.categories.isEmpty { main["categories"] = .array(t.categories.map(JSONValue.string)) }
                resources.append(.object(main))
                if t.statusSubresource || t.strategy == .namespace {
                    resources.append(["name": .string("\(t.plural)/status"), "singularName": "", "namespaced": .bool(t.namespaced),
                                      "kind": .string(t.kind), "verbs": ["get", "patch", "update"]])
                }
                if t.strategy == .namespace {
                    resources.append(["name": .string("\(t.plural)/finalize"), "singularName": "", "namespaced": .bool(t.namespaced),
                                      "kind": .string(t.kind), "verbs": ["update"]])
                }
                if t.scale != nil {
                    resources.append(["name": .string("\(t.plural)/scale"), "singularName": "", "namespaced": .bool(t.namespaced),
                                      "group": "autoscaling", "version": "v1", "kind": "Scale", "verbs": ["get", "patch", "update"]])
                }
            }
            let groupVersion = group.isEmpty ? version : "\(group)/\(version)"
            return json(200, ["kind": "APIResourceList", "apiVersion": "v1", "groupVersion": .string(groupVersion),
                              "resources": .array(resources)], writer: Self.listWriter)
        case .resource, .openAPIV2, .openAPIV3Index, .openAPIV3:
            throw .pageNotFound
        }
    }

    private func apiGroup(_ group: String, _ types: [ResourceType]) -> JSONValue {
        let versions = Set(types.filter { $0.group == group }.map(\.version)).sorted()
        let entries: [JSONValue] = versions.map { ["groupVersion": .string("\(group)/\($0)"), "version": .string($0)] }
        return ["kind": "APIGroup", "apiVersion": "v1", "name": .string(group), "versions": .array(entries),
                "preferredVersion": entries.first ?? .null]
    }
}
