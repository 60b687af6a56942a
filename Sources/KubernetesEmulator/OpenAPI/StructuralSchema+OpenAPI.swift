import JSONCore

extension StructuralSchema {
    /// This schema as an OpenAPI schema object, the way a kube-apiserver publishes a CustomResourceDefinition
    /// version's structural schema (apiextensions' OpenAPI builder).
    ///
    /// Everything the schema declares is kept (types, formats, descriptions, value validations, defaults and the
    /// `x-kubernetes-*` extensions) except what the target version cannot express: Swagger 2.0 loses `nullable`,
    /// `allOf`/`anyOf`/`oneOf`/`not`, `default` and CEL rules, like the real v2 publication. The root is not
    /// completed here (no `metadata` reference, no group-version-kind): `OpenAPIDocumentBuilder` does that.
    ///
    /// Depends only on the schema and `JSONValue`, so it can move with `StructuralSchema` into a shared library.
    public func openAPISchema(_ version: OpenAPIVersion) -> JSONValue {
        var out: [String: JSONValue] = [:]
        if let type { out["type"] = .string(type) }
        if let format { out["format"] = .string(format) }
        if let description { out["description"] = .string(description) }
        if let title { out["title"] = .string(title) }
        if let example { out["example"] = example }
        if !properties.isEmpty {
            out["properties"] = .object(properties.mapValues { $0.openAPISchema(version) })
        }
        switch additionalProperties {
        case .schema(let schema): out["additionalProperties"] = schema.openAPISchema(version)
        case .allowed(let allowed): out["additionalProperties"] = .bool(allowed)
        case nil: break
        }
        if let items { out["items"] = items.openAPISchema(version) }
        if !required.isEmpty { out["required"] = .array(required.map(JSONValue.string)) }
        if let enumValues { out["enum"] = .array(enumValues) }
        if let minimum { out["minimum"] = Self.number(minimum) }
        if let maximum { out["maximum"] = Self.number(maximum) }
        if exclusiveMinimum { out["exclusiveMinimum"] = true }
        if exclusiveMaximum { out["exclusiveMaximum"] = true }
        if let multipleOf { out["multipleOf"] = Self.number(multipleOf) }
        for (key, value) in [("minLength", minLength), ("maxLength", maxLength), ("minItems", minItems),
                             ("maxItems", maxItems), ("minProperties", minProperties), ("maxProperties", maxProperties)] {
            if let value { out[key] = .integer(Int64(value)) }
        }
        if let pattern { out["pattern"] = .string(pattern) }
        if preserveUnknownFields { out["x-kubernetes-preserve-unknown-fields"] = true }
        if embeddedResource { out["x-kubernetes-embedded-resource"] = true }
        if intOrString { out["x-kubernetes-int-or-string"] = true }
        if let listType { out["x-kubernetes-list-type"] = .string(listType) }
        if !listMapKeys.isEmpty { out["x-kubernetes-list-map-keys"] = .array(listMapKeys.map(JSONValue.string)) }
        if let mapType { out["x-kubernetes-map-type"] = .string(mapType) }
        guard version == .v3 else {
            // Swagger 2.0 cannot say "string or integer"; the real v2 publication leaves such a field untyped.
            if intOrString { out["type"] = nil }
            return .object(out)
        }
        if nullable { out["nullable"] = true }
        if let defaultValue { out["default"] = defaultValue }
        if !allOf.isEmpty { out["allOf"] = .array(allOf.map { $0.openAPISchema(version) }) }
        if !anyOf.isEmpty { out["anyOf"] = .array(anyOf.map { $0.openAPISchema(version) }) }
        if !oneOf.isEmpty { out["oneOf"] = .array(oneOf.map { $0.openAPISchema(version) }) }
        if let not { out["not"] = not.openAPISchema(version) }
        if !rules.isEmpty {
            out["x-kubernetes-validations"] = .array(rules.map { rule in
                var entry: [String: JSONValue] = ["rule": .string(rule.rule)]
                if let message = rule.message { entry["message"] = .string(message) }
                if let fieldPath = rule.fieldPath { entry["fieldPath"] = .string(fieldPath) }
                if let reason = rule.reason { entry["reason"] = .string(reason) }
                return .object(entry)
            })
        }
        return .object(out)
    }

    /// A bound as JSON: integral values as integers (`minimum: 1`, not `1.0`).
    private static func number(_ value: Double) -> JSONValue {
        value.rounded() == value && abs(value) < 9_007_199_254_740_992 ? .integer(Int64(value)) : .double(value)
    }
}
