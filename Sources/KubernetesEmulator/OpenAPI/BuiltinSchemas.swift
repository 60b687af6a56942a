import JSONCore

/// Named OpenAPI schemas of the built-in kinds, generated from their Go type descriptions (`BuiltinTypes`) plus
/// the API documentation texts in `BuiltinDescriptions`.
///
/// Structs become named schemas referenced with `$ref` (`io.k8s.api.core.v1.Secret`,
/// `io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`, …) as in a real kube-apiserver's documents; `metav1.Time`
/// and `MicroTime` are strings of format `date-time`; free-form fields are objects.
struct BuiltinSchemas {
    /// The OpenAPI version the schemas are written for.
    let version: OpenAPIVersion
    /// The named schemas collected so far.
    private(set) var definitions: [String: JSONValue] = [:]

    init(version: OpenAPIVersion) {
        self.version = version
    }

    /// The model-name prefix of a Kubernetes API group's Go package.
    static func packagePrefix(group: String, version: String) -> String {
        switch group {
        case "": "io.k8s.api.core.\(version)"
        case "apiextensions.k8s.io": "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.\(version)"
        case "meta.k8s.io": "io.k8s.apimachinery.pkg.apis.meta.\(version)"
        default:
            if !group.contains(".") {
                // Legacy built-in groups without a domain: autoscaling, apps, batch, policy.
                "io.k8s.api.\(group).\(version)"
            } else if group.hasSuffix(".k8s.io") {
                "io.k8s.api.\(group.dropLast(".k8s.io".count)).\(version)"
            } else {
                // Custom resources: the group's DNS labels reversed, as the apiextensions builder names them.
                group.split(separator: ".").reversed().joined(separator: ".") + ".\(version)"
            }
        }
    }

    /// The meta/v1 model name of `name`.
    static func meta(_ name: String) -> String { "io.k8s.apimachinery.pkg.apis.meta.v1.\(name)" }

    /// Structs that live in a shared package whatever kind refers to them.
    private static let sharedPackages: [String: String] = [
        "ObjectMeta": meta(""), "OwnerReference": meta(""), "ManagedFieldsEntry": meta(""), "Status": meta(""),
        "DeleteOptions": meta(""), "Preconditions": meta(""), "ObjectReference": "io.k8s.api.core.v1.",
        "EventSource": "io.k8s.api.core.v1.",
    ]

    /// Adds the schema of a built-in kind and of its list kind; returns the kind's model name.
    @discardableResult
    mutating func addKind(_ type: ResourceType) -> String {
        guard let goType = type.goType, case .object(let root) = goType else { return "" }
        let prefix = Self.packagePrefix(group: type.group, version: type.version)
        let name = "\(prefix).\(root.name)"
        if definitions[name] == nil {
            var schema = structSchema(root, package: prefix, model: name)
            schema["x-kubernetes-group-version-kind"] = [["group": .string(type.group), "kind": .string(type.kind),
                                                          "version": .string(type.version)]]
            definitions[name] = .object(schema)
        }
        let listName = "\(prefix).\(type.listKind)"
        if definitions[listName] == nil {
            definitions[listName] = listSchema(itemModel: name, kind: type.kind, plural: type.plural, listKind: type.listKind,
                                               group: type.group, version: type.version)
        }
        addCommon()
        return name
    }

    /// The schema of a `<Kind>List`.
    func listSchema(itemModel: String, kind: String, plural: String, listKind: String, group: String, version apiVersion: String)
        -> JSONValue
    {
        [
            "description": .string("\(listKind) is a list of \(kind)"),
            "type": "object",
            "required": ["items"],
            "properties": [
                "apiVersion": ["type": "string", "description": .string(BuiltinDescriptions.apiVersion)],
                "kind": ["type": "string", "description": .string(BuiltinDescriptions.kind)],
                "items": ["type": "array", "description": .string("List of \(plural). More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md"),
                          "items": version.reference(itemModel, defaultValue: .emptyObject)],
                "metadata": version.reference(Self.meta("ListMeta"), description: BuiltinDescriptions.listMetadata,
                                              defaultValue: .emptyObject),
            ],
            "x-kubernetes-group-version-kind": [["group": .string(group), "kind": .string(listKind), "version": .string(apiVersion)]],
        ]
    }

    /// Adds the meta/v1 schemas every document refers to (ListMeta, Time, Patch, Status, DeleteOptions, …).
    mutating func addCommon() {
        guard definitions[Self.meta("ListMeta")] == nil else { return }
        definitions[Self.meta("Time")] = ["type": "string", "format": "date-time", "description": .string(BuiltinDescriptions.time)]
        definitions[Self.meta("MicroTime")] = ["type": "string", "format": "date-time",
                                               "description": .string(BuiltinDescriptions.microTime)]
        definitions[Self.meta("FieldsV1")] = ["type": "object", "description": .string(BuiltinDescriptions.fieldsV1)]
        definitions[Self.meta("Patch")] = ["type": "object", "description": .string(BuiltinDescriptions.patch)]
        definitions[Self.meta("ListMeta")] = [
            "type": "object", "description": .string(BuiltinDescriptions.listMeta),
            "properties": [
                "continue": ["type": "string", "description": .string(BuiltinDescriptions.listContinue)],
                "remainingItemCount": ["type": "integer", "format": "int64",
                                       "description": .string(BuiltinDescriptions.remainingItemCount)],
                "resourceVersion": ["type": "string", "description": .string(BuiltinDescriptions.listResourceVersion)],
                "selfLink": ["type": "string", "description": "Deprecated: selfLink is a legacy read-only field that is no longer populated by the system."],
            ],
        ]
        definitions[Self.meta("WatchEvent")] = [
            "type": "object", "required": ["type", "object"],
            "description": "Event represents a single event to a watched resource.",
            "properties": [
                "object": ["type": "object", "description": "Object is:\n * If Type is Added or Modified: the new state of the object.\n * If Type is Deleted: the state of the object immediately before deletion.\n * If Type is Error: *Status is recommended; other types may make sense\n   depending on context."],
                "type": ["type": "string"],
            ],
        ]
        if case .object(let s) = BuiltinTypes.status {
            definitions[Self.meta("Status")] = .object(structSchema(s, package: Self.meta("").dropLastDot, model: Self.meta("Status")))
        }
        if case .object(let s) = BuiltinTypes.deleteOptions {
            definitions[Self.meta("DeleteOptions")] = .object(structSchema(s, package: Self.meta("").dropLastDot,
                                                                           model: Self.meta("DeleteOptions")))
        }
        if case .object(let s) = BuiltinTypes.objectMeta {
            definitions[Self.meta("ObjectMeta")] = .object(structSchema(s, package: Self.meta("").dropLastDot, model: Self.meta("ObjectMeta")))
        }
    }

    /// The model name of a struct met below a kind of package `package`.
    private static func modelName(_ s: GoStruct, package: String) -> String {
        if let shared = sharedPackages[s.name] { return shared + s.name }
        return "\(package).\(s.name)"
    }

    /// The named schema of a struct, registering the structs it refers to.
    private mutating func structSchema(_ s: GoStruct, package: String, model: String) -> [String: JSONValue] {
        var properties: [String: JSONValue] = [:]
        for field in s.fields {
            var schema = fieldSchema(field.type, field: field.name, package: package)
            let description = BuiltinDescriptions.field(model: model, field: field.name)
                ?? BuiltinDescriptions.commonField(field.name)
            if let description { schema = Self.describe(schema, description, version: version) }
            if let extensions = BuiltinDescriptions.listExtensions[field.name], case .array = field.type,
               case .object(var members) = schema {
                members.merge(extensions) { _, new in new }
                schema = .object(members)
            }
            properties[field.name] = schema
        }
        var out: [String: JSONValue] = ["type": "object", "properties": .object(properties)]
        if let description = BuiltinDescriptions.model[model] { out["description"] = .string(description) }
        if let required = BuiltinDescriptions.required[model] { out["required"] = .array(required.map(JSONValue.string)) }
        return out
    }

    /// Adds a description to a field's schema (a `$ref` gets it the way the target version allows).
    private static func describe(_ schema: JSONValue, _ description: String, version: OpenAPIVersion) -> JSONValue {
        guard case .object(var members) = schema else { return schema }
        if let ref = members["$ref"]?.stringValue, members.count == 1 {
            return version.reference(String(ref.dropFirst(version.referencePrefix.count)), description: description,
                                     defaultValue: nil)
        }
        members["description"] = .string(description)
        return .object(members)
    }

    /// The schema of one field's type.
    private mutating func fieldSchema(_ type: GoType, field: String, package: String) -> JSONValue {
        switch type {
        case .string: return ["type": "string"]
        case .int32: return ["type": "integer", "format": "int32"]
        case .int64: return ["type": "integer", "format": "int64"]
        case .bool: return ["type": "boolean"]
        case .bytes: return ["type": "string", "format": "byte"]
        case .time: return version.reference(Self.meta("Time"))
        case .microTime: return version.reference(Self.meta("MicroTime"))
        case .raw:
            if field == "fieldsV1" { return version.reference(Self.meta("FieldsV1")) }
            return ["type": "object", "x-kubernetes-preserve-unknown-fields": true]
        case .array(let element):
            return ["type": "array", "items": fieldSchema(element, field: field, package: package)]
        case .map(let element):
            return ["type": "object", "additionalProperties": fieldSchema(element, field: field, package: package)]
        case .object(let s):
            let name = Self.modelName(s, package: package)
            if definitions[name] == nil {
                definitions[name] = ["type": "object"]  // placeholder against cycles
                let childPackage = Self.sharedPackages[s.name].map { String($0.dropLast()) } ?? package
                definitions[name] = .object(structSchema(s, package: childPackage, model: name))
            }
            return version.reference(name)
        }
    }
}

private extension String {
    /// The text without its trailing dot.
    var dropLastDot: String { hasSuffix(".") ? String(dropLast()) : self }
}
