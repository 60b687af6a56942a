import JSONCore

/// Builds the OpenAPI documents a kube-apiserver publishes for the resources it serves: one OpenAPI 3.0 document
/// per group version (`/openapi/v3/apis/<group>/<version>`), the v3 index (`/openapi/v3`), and the single
/// Swagger 2.0 document (`/openapi/v2`).
///
/// Paths carry the operations with their real parameters (`dryRun`, `fieldManager`, `fieldValidation`, `force`,
/// list and watch options) and the `x-kubernetes-action` / `x-kubernetes-group-version-kind` extensions that
/// kubectl uses to decide that the server validates fields itself; schemas come from each CRD's structural schema
/// and from the built-in kinds' Go type descriptions.
struct OpenAPIDocumentBuilder {
    /// The served resources.
    let types: [ResourceType]

    /// A group version's path key in the v3 index (`api/v1`, `apis/coordination.k8s.io/v1`).
    static func pathKey(group: String, version: String) -> String {
        group.isEmpty ? "api/\(version)" : "apis/\(group)/\(version)"
    }

    /// The group versions served, sorted by path key.
    var groupVersions: [(group: String, version: String)] {
        var seen: [String: (group: String, version: String)] = [:]
        for type in types { seen[Self.pathKey(group: type.group, version: type.version)] = (type.group, type.version) }
        return seen.keys.sorted().compactMap { seen[$0] }
    }

    // MARK: Documents

    /// The OpenAPI 3.0 document of one group version; `nil` when nothing is served there.
    func v3Document(group: String, version: String) -> JSONValue? {
        let served = types.filter { $0.group == group && $0.version == version }.sorted { $0.plural < $1.plural }
        guard !served.isEmpty else { return nil }
        var schemas = BuiltinSchemas(version: .v3)
        var paths: [String: JSONValue] = [:]
        var extra: [String: JSONValue] = [:]
        for type in served {
            let model = addModels(type, schemas: &schemas, extra: &extra, version: .v3)
            paths.merge(self.paths(type, model: model, version: .v3)) { a, _ in a }
        }
        var components = schemas.definitions
        components.merge(extra) { a, _ in a }
        let custom = served.contains { $0.isCustom }
        return [
            "openapi": "3.0.0",
            "info": ["title": .string(custom ? "Kubernetes CRD Swagger" : "Kubernetes"), "version": .string(custom ? "v0.1.0" : "v1.32.0")],
            "paths": .object(paths),
            "components": ["schemas": .object(components),
                           "securitySchemes": ["BearerToken": ["type": "apiKey", "description": "Bearer Token authentication",
                                                               "name": "authorization", "in": "header"]]],
            "security": [["BearerToken": []]],
        ]
    }

    /// The Swagger 2.0 document of everything served.
    func v2Document() -> JSONValue {
        var schemas = BuiltinSchemas(version: .v2)
        var paths: [String: JSONValue] = [:]
        var extra: [String: JSONValue] = [:]
        for type in types.sorted(by: { $0.key < $1.key }) {
            let model = addModels(type, schemas: &schemas, extra: &extra, version: .v2)
            paths.merge(self.paths(type, model: model, version: .v2)) { a, _ in a }
        }
        var definitions = schemas.definitions
        definitions.merge(extra) { a, _ in a }
        return [
            "swagger": "2.0",
            "info": ["title": "Kubernetes", "version": "v1.32.0"],
            "paths": .object(paths),
            "definitions": .object(definitions),
            "securityDefinitions": ["BearerToken": ["type": "apiKey", "description": "Bearer Token authentication",
                                                    "name": "authorization", "in": "header"]],
            "security": [["BearerToken": []]],
        ]
    }

    // MARK: Schemas

    /// Adds the kind's and list kind's schemas (and Scale's when `/scale` is served); returns the kind's model.
    private func addModels(_ type: ResourceType, schemas: inout BuiltinSchemas, extra: inout [String: JSONValue],
                           version: OpenAPIVersion) -> String {
        if type.scale != nil { schemas.addKind(Self.scaleType) }
        guard type.isCustom else { return schemas.addKind(type) }
        schemas.addCommon()
        let prefix = BuiltinSchemas.packagePrefix(group: type.group, version: type.version)
        let model = "\(prefix).\(type.kind)"
        extra[model] = customResourceSchema(type, version: version)
        extra["\(prefix).\(type.listKind)"] = schemas.listSchema(
            itemModel: model, kind: type.kind, plural: type.plural, listKind: type.listKind, group: type.group,
            version: type.version)
        return model
    }

    /// The `autoscaling/v1` Scale, published for kinds with a `/scale` subresource.
    static let scaleType = ResourceType(group: "autoscaling", version: "v1", plural: "scales", singular: "scale", kind: "Scale",
                                        namespaced: true, goType: BuiltinTypes.scale, strategy: .configMap)

    /// A custom resource's schema: the structural schema with the root completed like the apiextensions builder
    /// does (`apiVersion`, `kind`, a `metadata` reference to ObjectMeta, the group-version-kind).
    func customResourceSchema(_ type: ResourceType, version: OpenAPIVersion) -> JSONValue {
        var root = type.schema?.openAPISchema(version).objectValue ?? ["type": "object", "x-kubernetes-preserve-unknown-fields": true]
        var properties = root["properties"]?.objectValue ?? [:]
        properties["apiVersion"] = ["type": "string", "description": .string(BuiltinDescriptions.apiVersion)]
        properties["kind"] = ["type": "string", "description": .string(BuiltinDescriptions.kind)]
        properties["metadata"] = version.reference(BuiltinSchemas.meta("ObjectMeta"), description: BuiltinDescriptions.metadata)
        root["properties"] = .object(properties)
        root["x-kubernetes-group-version-kind"] = [["group": .string(type.group), "kind": .string(type.kind),
                                                    "version": .string(type.version)]]
        return .object(root)
    }

    // MARK: Paths

    /// The path items of one resource.
    private func paths(_ type: ResourceType, model: String, version: OpenAPIVersion) -> [String: JSONValue] {
        let prefix = type.group.isEmpty ? "/api/\(type.version)" : "/apis/\(type.group)/\(type.version)"
        let collection = type.namespaced ? "\(prefix)/namespaces/{namespace}/\(type.plural)" : "\(prefix)/\(type.plural)"
        let item = "\(collection)/{name}"
        let listModel = BuiltinSchemas.packagePrefix(group: type.group, version: type.version) + ".\(type.listKind)"
        let gvk: JSONValue = ["group": .string(type.group), "kind": .string(type.kind), "version": .string(type.version)]
        let scope = type.namespaced ? "Namespaced" : ""
        let ids = OperationNames(type: type, scope: scope)
        let operations = Operations(version: version, type: type, gvk: gvk)
        var out: [String: JSONValue] = [:]
        let pathParameters = (type.namespaced ? [Parameters.namespace] : []) + [Parameters.pretty]
        let deleteCollection = type.strategy != .namespace
        var collectionItem: [String: JSONValue] = [
            "get": operations.list(ids.id("list"), model: listModel),
            "post": operations.create(ids.id("create"), model: model),
            "parameters": .array(pathParameters.map { $0.json(version) }),
        ]
        if deleteCollection { collectionItem["delete"] = operations.deleteCollection(ids.id("deleteCollection")) }
        out[collection] = .object(collectionItem)
        if type.namespaced {
            out["\(prefix)/\(type.plural)"] = [
                "get": operations.list("list\(ids.groupVersion)\(type.kind)ForAllNamespaces", model: listModel),
                "parameters": .array([Parameters.pretty.json(version)]),
            ]
        }
        let itemParameters = [Parameters.name(type.kind)] + pathParameters
        out[item] = [
            "get": operations.read(ids.id("read"), model: model, description: "read the specified \(type.kind)"),
            "put": operations.replace(ids.id("replace"), model: model, description: "replace the specified \(type.kind)"),
            "patch": operations.patch(ids.id("patch"), model: model, description: "partially update the specified \(type.kind)"),
            "delete": operations.delete(ids.id("delete"), model: model),
            "parameters": .array(itemParameters.map { $0.json(version) }),
        ]
        if type.statusSubresource || type.strategy == .namespace {
            out["\(item)/status"] = [
                "get": operations.read(ids.id("read", suffix: "Status"), model: model, description: "read status of the specified \(type.kind)"),
                "put": operations.replace(ids.id("replace", suffix: "Status"), model: model, description: "replace status of the specified \(type.kind)"),
                "patch": operations.patch(ids.id("patch", suffix: "Status"), model: model, description: "partially update status of the specified \(type.kind)"),
                "parameters": .array(itemParameters.map { $0.json(version) }),
            ]
        }
        if type.scale != nil {
            let scale = Operations(version: version, type: Self.scaleType,
                                   gvk: ["group": "autoscaling", "kind": "Scale", "version": "v1"])
            let scaleModel = "io.k8s.api.autoscaling.v1.Scale"
            out["\(item)/scale"] = [
                "get": scale.read(ids.id("read", suffix: "Scale"), model: scaleModel, description: "read scale of the specified \(type.kind)"),
                "put": scale.replace(ids.id("replace", suffix: "Scale"), model: scaleModel, description: "replace scale of the specified \(type.kind)"),
                "patch": scale.patch(ids.id("patch", suffix: "Scale"), model: scaleModel, description: "partially update scale of the specified \(type.kind)"),
                "parameters": .array(itemParameters.map { $0.json(version) }),
            ]
        }
        return out
    }
}

/// Operation ids like the real server's (`patchFlinkJobcontrollerIoV1alpha1NamespacedFlinkJobStatus`).
private struct OperationNames {
    /// The kind.
    let type: ResourceType
    /// `Namespaced` for namespaced kinds, else empty.
    let scope: String

    /// `CoreV1`, `CoordinationV1`, `FlinkJobcontrollerIoV1alpha1`.
    var groupVersion: String {
        let group = type.group.isEmpty ? "core" : type.group.replacingOccurrences(of: ".k8s.io", with: "")
        let words = group.split(whereSeparator: { $0 == "." || $0 == "-" }).map { $0.prefix(1).uppercased() + $0.dropFirst() }
        return words.joined() + type.version.prefix(1).uppercased() + type.version.dropFirst()
    }

    /// The operation id of `verb` (`patch`) on the kind or its subresource (`suffix`: `Status`, `Scale`).
    func id(_ verb: String, suffix: String = "") -> String {
        "\(verb)\(groupVersion)\(scope)\(type.kind)\(suffix)"
    }

    /// The tag (`core_v1`, `flinkJobcontrollerIo_v1alpha1`).
    var tag: String {
        let gv = groupVersion.dropLast(type.version.count)
        return gv.prefix(1).lowercased() + gv.dropFirst() + "_" + type.version
    }
}

/// The operations of one kind, written for either OpenAPI version.
private struct Operations {
    /// The document's OpenAPI version.
    let version: OpenAPIVersion
    /// The kind whose operations these are.
    let type: ResourceType
    /// The `x-kubernetes-group-version-kind` of the operations (Scale's for `/scale`).
    let gvk: JSONValue

    private var tag: String { OperationNames(type: type, scope: "").tag }

    private func operation(_ id: String, action: String, description: String, parameters: [Parameter],
                           body: (model: String, patch: Bool)?, responses: [(String, String, String?)]) -> JSONValue {
        var out: [String: JSONValue] = [
            "tags": [.string(tag)], "description": .string(description), "operationId": .string(id),
            "x-kubernetes-action": .string(action), "x-kubernetes-group-version-kind": gvk,
        ]
        var parameterList = parameters.map { $0.json(version) }
        let produces = ["application/json", "application/yaml"]
        let patchTypes = type.isCustom
            ? ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"]
            : ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json",
               "application/apply-patch+yaml"]
        switch version {
        case .v2:
            out["consumes"] = .array((body?.patch == true ? patchTypes : ["*/*"]).map(JSONValue.string))
            out["produces"] = .array(produces.map(JSONValue.string))
            out["schemes"] = ["https"]
            if let body {
                let schema = body.patch ? version.reference(BuiltinSchemas.meta("Patch")) : version.reference(body.model)
                parameterList.insert(["name": "body", "in": "body", "required": true, "schema": schema], at: 0)
            }
            var responseMap: [String: JSONValue] = [:]
            for (code, text, model) in responses {
                var response: [String: JSONValue] = ["description": .string(text)]
                if let model { response["schema"] = version.reference(model) }
                responseMap[code] = .object(response)
            }
            out["responses"] = .object(responseMap)
        case .v3:
            if let body {
                let schema = body.patch ? version.reference(BuiltinSchemas.meta("Patch")) : version.reference(body.model)
                let media = body.patch ? patchTypes : ["*/*"]
                out["requestBody"] = ["content": .object(Dictionary(uniqueKeysWithValues: media.map { ($0, ["schema": schema]) })),
                                      "required": true]
            }
            var responseMap: [String: JSONValue] = [:]
            for (code, text, model) in responses {
                var response: [String: JSONValue] = ["description": .string(text)]
                if let model {
                    let schema = version.reference(model)
                    response["content"] = .object(Dictionary(uniqueKeysWithValues: produces.map { ($0, ["schema": schema]) }))
                }
                responseMap[code] = .object(response)
            }
            out["responses"] = .object(responseMap)
        }
        if !parameterList.isEmpty { out["parameters"] = .array(parameterList) }
        return .object(out)
    }

    /// GET of a collection (list or watch).
    func list(_ id: String, model: String) -> JSONValue {
        operation(id, action: "list", description: "list or watch objects of kind \(type.kind)", parameters: Parameters.list,
                  body: nil, responses: [("200", "OK", model), ("401", "Unauthorized", nil)])
    }

    /// POST to a collection.
    func create(_ id: String, model: String) -> JSONValue {
        operation(id, action: "post", description: "create a \(type.kind)",
                  parameters: [Parameters.dryRun, Parameters.fieldManager, Parameters.fieldValidation], body: (model, false),
                  responses: [("200", "OK", model), ("201", "Created", model), ("202", "Accepted", model), ("401", "Unauthorized", nil)])
    }

    /// GET of one object or subresource.
    func read(_ id: String, model: String, description: String) -> JSONValue {
        operation(id, action: "get", description: description, parameters: [], body: nil,
                  responses: [("200", "OK", model), ("401", "Unauthorized", nil)])
    }

    /// PUT of one object or subresource.
    func replace(_ id: String, model: String, description: String) -> JSONValue {
        operation(id, action: "put", description: description,
                  parameters: [Parameters.dryRun, Parameters.fieldManager, Parameters.fieldValidation], body: (model, false),
                  responses: [("200", "OK", model), ("201", "Created", model), ("401", "Unauthorized", nil)])
    }

    /// PATCH of one object or subresource.
    func patch(_ id: String, model: String, description: String) -> JSONValue {
        operation(id, action: "patch", description: description,
                  parameters: [Parameters.dryRun, Parameters.patchFieldManager, Parameters.fieldValidation, Parameters.force],
                  body: (model, true),
                  responses: [("200", "OK", model), ("201", "Created", model), ("401", "Unauthorized", nil)])
    }

    /// DELETE of one object.
    func delete(_ id: String, model: String) -> JSONValue {
        let status = BuiltinSchemas.meta("Status")
        return operation(id, action: "delete", description: "delete a \(type.kind)",
                         parameters: [Parameters.dryRun, Parameters.gracePeriodSeconds, Parameters.orphanDependents,
                                      Parameters.propagationPolicy],
                         body: (BuiltinSchemas.meta("DeleteOptions"), false),
                         responses: [("200", "OK", status), ("202", "Accepted", status), ("401", "Unauthorized", nil)])
    }

    /// DELETE of a collection.
    func deleteCollection(_ id: String) -> JSONValue {
        operation(id, action: "deletecollection", description: "delete collection of \(type.kind)",
                  parameters: [Parameters.dryRun, Parameters.gracePeriodSeconds, Parameters.orphanDependents,
                               Parameters.propagationPolicy] + Parameters.list.filter { $0.name != "watch" && $0.name != "allowWatchBookmarks" },
                  body: (BuiltinSchemas.meta("DeleteOptions"), false),
                  responses: [("200", "OK", BuiltinSchemas.meta("Status")), ("401", "Unauthorized", nil)])
    }
}
