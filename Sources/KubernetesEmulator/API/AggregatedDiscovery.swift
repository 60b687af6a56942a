import Foundation
import JSONCore

/// Aggregated discovery (`apidiscovery.k8s.io/v2` `APIGroupDiscoveryList`): every group, version and resource of
/// `/api` or `/apis` in one document, which kubectl and client-go ask for first
/// (`Accept: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,…`).
///
/// It lists exactly what the legacy documents (`/api/v1`, `/apis/{group}/{version}`) and the OpenAPI documents
/// describe: the same resources, verbs, short names, categories and subresources.
enum AggregatedDiscovery {
    /// The discovery version the `Accept` header asks for first (`v2` or `v2beta1`), or `nil` for the legacy form.
    static func requestedVersion(_ accept: String?) -> String? {
        guard let accept else { return nil }
        for entry in accept.split(separator: ",") {
            let parts = entry.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let media = parts.first?.lowercased(), media == "application/json" || media == "*/*" else { continue }
            var parameters: [String: String] = [:]
            for p in parts.dropFirst() {
                let kv = p.split(separator: "=", maxSplits: 1).map(String.init)
                if kv.count == 2 { parameters[kv[0].lowercased()] = kv[1] }
            }
            guard let form = parameters["as"] else { return nil }
            if form == "APIGroupDiscoveryList", parameters["g"] == "apidiscovery.k8s.io",
               let v = parameters["v"], v == "v2" || v == "v2beta1" {
                return v
            }
        }
        return nil
    }

    /// The document for `types` (core kinds for `/api`, the others for `/apis`).
    static func document(_ types: [ResourceType], version: String) -> JSONValue {
        let groups = Set(types.map(\.group)).sorted()
        var items: [JSONValue] = []
        for group in groups {
            let inGroup = types.filter { $0.group == group }
            let versions = Set(inGroup.map(\.version)).sorted()
            var versionEntries: [JSONValue] = []
            for v in versions {
                let resources = inGroup.filter { $0.version == v }.sorted { $0.plural < $1.plural }.map(resource)
                versionEntries.append(["version": .string(v), "resources": .array(resources), "freshness": "Current"])
            }
            items.append(["metadata": ["name": .string(group), "creationTimestamp": .null], "versions": .array(versionEntries)])
        }
        return ["kind": "APIGroupDiscoveryList", "apiVersion": .string("apidiscovery.k8s.io/\(version)"),
                "metadata": .emptyObject, "items": .array(items)]
    }

    private static func resource(_ t: ResourceType) -> JSONValue {
        let kind: JSONValue = ["group": .string(t.group), "version": .string(t.version), "kind": .string(t.kind)]
        var out: [String: JSONValue] = [
            "resource": .string(t.plural), "responseKind": kind, "scope": .string(t.namespaced ? "Namespaced" : "Cluster"),
            "singularResource": .string(t.singular), "verbs": .array(APIServer.verbs(t).map(JSONValue.string)),
        ]
        if !t.shortNames.isEmpty { out["shortNames"] = .array(t.shortNames.map(JSONValue.string)) }
        if !t.categories.isEmpty { out["categories"] = .array(t.categories.map(JSONValue.string)) }
        var subresources: [JSONValue] = []
        if t.statusSubresource || t.strategy == .namespace {
            subresources.append(["subresource": "status", "responseKind": kind, "verbs": ["get", "patch", "update"]])
        }
        if t.strategy == .namespace {
            subresources.append(["subresource": "finalize", "responseKind": kind, "verbs": ["update"]])
        }
        if t.scale != nil {
            subresources.append(["subresource": "scale", "responseKind": ["group": "autoscaling", "version": "v1", "kind": "Scale"],
                                 "verbs": ["get", "patch", "update"]])
        }
        if !subresources.isEmpty { out["subresources"] = .array(subresources) }
        return .object(out)
    }

    /// Writes the document in the real server's field order.
    static let writer = GoJSONWriter(keyOrder: { path in
        switch path.last {
        case nil: ["kind", "apiVersion", "metadata", "items"]
        case "[]" where path.count == 2: ["metadata", "versions"]
        case "[]" where path.count == 4: ["version", "resources", "freshness"]
        case "[]" where path.count == 6: ["resource", "responseKind", "scope", "singularResource", "verbs", "shortNames", "categories", "subresources"]
        case "[]": ["subresource", "responseKind", "verbs"]
        case "responseKind": ["group", "version", "kind"]
        default: nil
        }
    })
}

extension APIServer {
    /// An aggregated discovery response.
    func aggregatedDiscovery(_ types: [ResourceType], version: String) -> APIOutcome {
        .response(APIResponse(status: 200, contentType: "application/json;g=apidiscovery.k8s.io;v=\(version);as=APIGroupDiscoveryList",
                              body: AggregatedDiscovery.writer.data(AggregatedDiscovery.document(types, version: version))))
    }
}
