import JSONCore

extension APIServer {
    /// The 422 a kind's validation failure produces.
    func invalid(_ type: ResourceType, _ object: JSONValue, _ errors: [FieldError]) -> APIError {
        // Events of both APIs are validated as the internal core Event, so errors name no group.
        .invalid(kind: type.kind, group: type.strategy == .eventsEvent ? "" : type.group, name: object[path: ["metadata", "name"]]?.stringValue ?? "", errors: errors)
    }

    /// Kind-specific validation of a new or updated object (`old` is `nil` on create).
    func validateKind(_ object: JSONValue, old: JSONValue?, type: ResourceType, viaEventsAPI: Bool = false) -> [FieldError] {
        switch type.strategy {
        case .custom:
            return validateCustomResource(object, old: old, type: type)
        case .lease:
            return KindValidation.lease(object)
        case .coreEvent, .eventsEvent:
            return old == nil ? KindValidation.event(object, eventsAPI: viaEventsAPI) : KindValidation.event(object, eventsAPI: false)
        case .secret:
            var errors = KindValidation.configKeys(object, fields: ["data"])
            if let old {
                errors += KindValidation.immutability(new: object, old: old, fields: ["data"])
                if object["type"] != old["type"] {
                    errors.append(.invalid("type", .string(object["type"]?.stringValue ?? ""), "field is immutable"))
                }
            }
            return errors
        case .configMap:
            var errors = KindValidation.configKeys(object, fields: ["data", "binaryData"])
            if let old { errors += KindValidation.immutability(new: object, old: old, fields: ["data", "binaryData"]) }
            return errors
        case .customResourceDefinition:
            return CRDSupport.validate(object)
        case .namespace:
            return []
        }
    }

    /// Schema, scale-path and list-type validation of a custom resource, with validation ratcheting on update
    /// (errors on values unchanged from the old object are dropped).
    func validateCustomResource(_ object: JSONValue, old: JSONValue?, type: ResourceType) -> [FieldError] {
        var errors: [FieldError] = []
        if let schema = type.schema {
            var schemaErrors = schema.validate(object)
            if let old {
                schemaErrors = schemaErrors.filter { e in
                    let keys = Self.fieldKeys(e.field)
                    guard !keys.isEmpty, e.kind != .required else { return true }
                    return object[path: keys] != old[path: keys] || object[path: keys] == nil
                }
            }
            errors += schemaErrors
        }
        if let scale = type.scale {
            errors += Self.scaleErrors(object, path: scale.specReplicasPath)
            errors += Self.scaleErrors(object, path: scale.statusReplicasPath)
            if let selectorPath = scale.labelSelectorPath, let v = object[path: Self.pathKeys(selectorPath)], v.stringValue == nil, !v.isNull {
                errors.append(.invalid(selectorPath, .plain("\"\""), "\(selectorPath) accessor error: \(Self.goValue(v)) is of the type \(Self.goTypeName(v)), expected string"))
            }
        }
        if let schema = type.schema {
            errors += schema.listTypeErrors(object)
            if schema.hasCELRules {
                if errors.contains(where: { $0.kind == .typeInvalid || $0.kind == .notSupported }) {
                    errors.append(.invalid("<nil>", .null, "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"))
                } else {
                    errors += schema.celErrors(object, old: old)
                }
            }
        }
        return errors
    }

    /// The `f:` element key of a member.
    static func fieldKeys(_ field: String) -> [String] {
        guard !field.contains("["), field != "<nil>" else { return [] }
        return field.split(separator: ".").map(String.init)
    }

    /// The Go type name of an unstructured value, as Kubernetes' accessor errors print it.
    static func goTypeName(_ v: JSONValue) -> String {
        switch v {
        case .string: "string"
        case .double: "float64"
        case .integer: "int64"
        case .bool: "bool"
        case .array: "[]interface {}"
        case .object: "map[string]interface {}"
        case .null: "<nil>"
        }
    }

    /// Go's `%v` of an unstructured value.
    static func goValue(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): s
        case .double(let d): GoJSONWriter.formatDouble(d)
        case .integer(let i): String(i)
        case .bool(let b): b ? "true" : "false"
        default: GoJSONWriter.sorted.string(v)
        }
    }

    /// Errors of a scale replicas path (it must hold an int64 within int32 range).
    static func scaleErrors(_ object: JSONValue, path: String) -> [FieldError] {
        guard let v = object[path: pathKeys(path)], !v.isNull else { return [] }
        guard case .integer(let i) = v else {
            if case .double(let d) = v, d.rounded() == d {
                return []
            }
            return [.invalid(path, .plain("0"), "\(path) accessor error: \(goValue(v)) is of the type \(goTypeName(v)), expected int64")]
        }
        if i < 0 { return [.invalid(path, .plain(String(i)), "should be a non-negative integer")] }
        if i > Int64(Int32.max) { return [.invalid(path, .plain(String(i)), "should be less than or equal to 2147483647")] }
        return []
    }
}
