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
        Set(types.map { ResourceType.key(group: $0.group, version: $0.version, plural: "") }).sorted().compactMap { key in
            let parts = key.split(separator: "/", omittingEmptySubsequences: false)
            return (String(parts[0]), String(parts[1]))
        }.sorted { Self.pathKey(group: $0.group, version: $0.version) < Self.pathKey(group: $1.group, version: $1.version) }
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
    let type: ResourceType
    let scope: String

    /// `CoreV1`, `CoordinationV1`, `FlinkJobcontrollerIoV1alpha1`.
    var groupVersion: String {
        let group = type.group.isEmpty ? "core" : type.group.replacingOccurrences(of: ".k8s.io", with: "")
        let words = group.split(whereSeparator: { $0 == "." || $0 == "-" }).map { $0.prefix(1).uppercased() + $0.dropFirst() }
        return words.joined() + type.version.prefix(1).uppercased() + type.version.dropFirst()
    }

    func id(_ verb: String, suffix: String = "") -> String {
        "\(verb)\(groupVersion)\(scope)\(type.kind)\(suffix)"
    }

    /// The tag (`core_v1`, `flinkJobcontrollerIo_v1alpha1`).
    var tag: String {
        let gv = groupVersion.dropLast(type.version.count)
        return gv.prefix(1).lowercased() + gv.dropFirst() + "_" + type.version
    }
}

/// One query or path parameter, written for either OpenAPI version.
struct Parameter {
    var name: String
    var location: String
    var description: String
    var type: String
    var required = false
    var uniqueItems = false

    func json(_ version: OpenAPIVersion) -> JSONValue {
        var out: [String: JSONValue] = ["name": .string(name), "in": .string(location), "description": .string(description)]
        if required { out["required"] = true }
        var schema: [String: JSONValue] = ["type": .string(type)]
        if uniqueItems { schema["uniqueItems"] = true }
        switch version {
        case .v2: out.merge(schema) { a, _ in a }
        case .v3: out["schema"] = .object(schema)
        }
        return .object(out)
    }
}

/// The parameters of the real server's operations, with its descriptions.
enum Parameters {
    static let pretty = Parameter(name: "pretty", location: "query", description: "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line HTTP tool (curl and wget).", type: "string", uniqueItems: true)
    static let namespace = Parameter(name: "namespace", location: "path", description: "object name and auth scope, such as for teams and projects", type: "string", required: true, uniqueItems: true)
    static func name(_ kind: String) -> Parameter {
        Parameter(name: "name", location: "path", description: "name of the \(kind)", type: "string", required: true, uniqueItems: true)
    }
    static let dryRun = Parameter(name: "dryRun", location: "query", description: "When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed", type: "string", uniqueItems: true)
    static let fieldManager = Parameter(name: "fieldManager", location: "query", description: "fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.", type: "string", uniqueItems: true)
    static let patchFieldManager = Parameter(name: "fieldManager", location: "query", description: "fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint. This field is required for apply requests (application/apply-patch) but optional for non-apply patch types (JsonPatch, MergePatch, StrategicMergePatch).", type: "string", uniqueItems: true)
    static let fieldValidation = Parameter(name: "fieldValidation", location: "query", description: "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. This is the default behavior prior to v1.23. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.", type: "string", uniqueItems: true)
    static let force = Parameter(name: "force", location: "query", description: "Force is going to \"force\" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.", type: "boolean", uniqueItems: true)
    static let gracePeriodSeconds = Parameter(name: "gracePeriodSeconds", location: "query", description: "The duration in seconds before the object should be deleted. Value must be non-negative integer. The value zero indicates delete immediately. If this value is nil, the default grace period for the specified type will be used. Defaults to a per object value if not specified. zero means delete immediately.", type: "integer", uniqueItems: true)
    static let propagationPolicy = Parameter(name: "propagationPolicy", location: "query", description: "Whether and how garbage collection will be performed. Either this field or OrphanDependents may be set, but not both. The default policy is decided by the existing finalizer set in the metadata.finalizers and the resource-specific default policy. Acceptable values are: 'Orphan' - orphan the dependents; 'Background' - allow the garbage collector to delete the dependents in the background; 'Foreground' - a cascading policy that deletes all dependents in the foreground.", type: "string", uniqueItems: true)
    static let orphanDependents = Parameter(name: "orphanDependents", location: "query", description: "Deprecated: please use the PropagationPolicy, this field will be deprecated in 1.7. Should the dependent objects be orphaned. If true/false, the \"orphan\" finalizer will be added to/removed from the object's finalizers list. Either this field or PropagationPolicy may be set, but not both.", type: "boolean", uniqueItems: true)
    static let list: [Parameter] = [
        Parameter(name: "allowWatchBookmarks", location: "query", description: "allowWatchBookmarks requests watch events with type \"BOOKMARK\". Servers that do not implement bookmarks may ignore this flag and bookmarks are sent at the server's discretion. Clients should not assume bookmarks are returned at any specific interval, nor may they assume the server will send any BOOKMARK event during a session. If this is not a watch, this field is ignored.", type: "boolean", uniqueItems: true),
        Parameter(name: "continue", location: "query", description: "The continue option should be set when retrieving more results from the server. Since this value is server defined, clients may only use the continue value from a previous query result with identical query parameters (except for the value of continue) and the server may reject a continue value it does not recognize. If the specified continue value is no longer valid whether due to expiration (generally five to fifteen minutes) or a configuration change on the server, the server will respond with a 410 ResourceExpired error together with a continue token.", type: "string", uniqueItems: true),
        Parameter(name: "fieldSelector", location: "query", description: "A selector to restrict the list of returned objects by their fields. Defaults to everything.", type: "string", uniqueItems: true),
        Parameter(name: "labelSelector", location: "query", description: "A selector to restrict the list of returned objects by their labels. Defaults to everything.", type: "string", uniqueItems: true),
        Parameter(name: "limit", location: "query", description: "limit is a maximum number of responses to return for a list call. If more items exist, the server will set the `continue` field on the list metadata to a value that can be used with the same initial query to retrieve the next set of results.", type: "integer", uniqueItems: true),
        Parameter(name: "resourceVersion", location: "query", description: "resourceVersion sets a constraint on what resource versions a request may be served from. See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.\n\nDefaults to unset", type: "string", uniqueItems: true),
        Parameter(name: "resourceVersionMatch", location: "query", description: "resourceVersionMatch determines how resourceVersion is applied to list calls. It is highly recommended that resourceVersionMatch be set for list calls where resourceVersion is set See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.\n\nDefaults to unset", type: "string", uniqueItems: true),
        Parameter(name: "sendInitialEvents", location: "query", description: "`sendInitialEvents=true` may be set together with `watch=true`. In that case, the watch stream will begin with synthetic events to produce the current state of objects in the collection. Once all such events have been sent, a synthetic \"Bookmark\" event  will be sent. The bookmark will report the ResourceVersion (RV) corresponding to the set of objects, and be marked with `\"k8s.io/initial-events-end\": \"true\"` annotation. Afterwards, the watch stream will proceed as usual, sending watch events corresponding to changes (subsequent to the RV) to objects watched.", type: "boolean", uniqueItems: true),
        Parameter(name: "timeoutSeconds", location: "query", description: "Timeout for the list/watch call. This limits the duration of the call, regardless of any activity or inactivity.", type: "integer", uniqueItems: true),
        Parameter(name: "watch", location: "query", description: "Watch for changes to the described resources and return them as a stream of add, update, and remove notifications. Specify resourceVersion.", type: "boolean", uniqueItems: true),
    ]
}

/// The operations of one kind, written for either OpenAPI version.
private struct Operations {
    let version: OpenAPIVersion
    let type: ResourceType
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

    func list(_ id: String, model: String) -> JSONValue {
        operation(id, action: "list", description: "list or watch objects of kind \(type.kind)", parameters: Parameters.list,
                  body: nil, responses: [("200", "OK", model), ("401", "Unauthorized", nil)])
    }

    func create(_ id: String, model: String) -> JSONValue {
        operation(id, action: "post", description: "create a \(type.kind)",
                  parameters: [Parameters.dryRun, Parameters.fieldManager, Parameters.fieldValidation], body: (model, false),
                  responses: [("200", "OK", model), ("201", "Created", model), ("202", "Accepted", model), ("401", "Unauthorized", nil)])
    }

    func read(_ id: String, model: String, description: String) -> JSONValue {
        operation(id, action: "get", description: description, parameters: [], body: nil,
                  responses: [("200", "OK", model), ("401", "Unauthorized", nil)])
    }

    func replace(_ id: String, model: String, description: String) -> JSONValue {
        operation(id, action: "put", description: description,
                  parameters: [Parameters.dryRun, Parameters.fieldManager, Parameters.fieldValidation], body: (model, false),
                  responses: [("200", "OK", model), ("201", "Created", model), ("401", "Unauthorized", nil)])
    }

    func patch(_ id: String, model: String, description: String) -> JSONValue {
        operation(id, action: "patch", description: description,
                  parameters: [Parameters.dryRun, Parameters.patchFieldManager, Parameters.fieldValidation, Parameters.force],
                  body: (model, true),
                  responses: [("200", "OK", model), ("201", "Created", model), ("401", "Unauthorized", nil)])
    }

    func delete(_ id: String, model: String) -> JSONValue {
        let status = BuiltinSchemas.meta("Status")
        return operation(id, action: "delete", description: "delete a \(type.kind)",
                         parameters: [Parameters.dryRun, Parameters.gracePeriodSeconds, Parameters.orphanDependents,
                                      Parameters.propagationPolicy],
                         body: (BuiltinSchemas.meta("DeleteOptions"), false),
                         responses: [("200", "OK", status), ("202", "Accepted", status), ("401", "Unauthorized", nil)])
    }

    func deleteCollection(_ id: String) -> JSONValue {
        operation(id, action: "deletecollection", description: "delete collection of \(type.kind)",
                  parameters: [Parameters.dryRun, Parameters.gracePeriodSeconds, Parameters.orphanDependents,
                               Parameters.propagationPolicy] + Parameters.list.filter { $0.name != "watch" && $0.name != "allowWatchBookmarks" },
                  body: (BuiltinSchemas.meta("DeleteOptions"), false),
                  responses: [("200", "OK", BuiltinSchemas.meta("Status")), ("401", "Unauthorized", nil)])
    }
}
