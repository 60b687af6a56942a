import Foundation
import JSONCore
import Synchronization

/// An OpenAPI v3 structural schema as a CustomResourceDefinition declares it, with what a kube-apiserver does with
/// it before storing a custom resource: pruning unknown fields, applying defaults, and validating values.
///
/// CEL rules (`x-kubernetes-validations`) are recorded but not evaluated.
public final class StructuralSchema: Sendable {
    /// Where unknown members of an object go.
    enum Additional: Sendable {
        /// Allowed.
        case allowed(Bool)
        /// Schema.
        case schema(StructuralSchema)
    }

    /// The type.
    let type: String?
    /// The description (published in the OpenAPI documents, shown by `kubectl explain`).
    let description: String?
    /// The title (published in the OpenAPI documents).
    let title: String?
    /// The example value (published in the OpenAPI documents).
    let example: JSONValue?
    /// `x-kubernetes-map-type` (`granular` or `atomic`).
    let mapType: String?
    /// The format.
    let format: String?
    /// The properties.
    let properties: [String: StructuralSchema]
    /// The additional properties.
    let additionalProperties: Additional?
    /// The items.
    let items: StructuralSchema?
    /// The required.
    let required: [String]
    /// The enum values.
    let enumValues: [JSONValue]?
    /// The default value.
    let defaultValue: JSONValue?
    /// The nullable.
    let nullable: Bool
    /// The minimum.
    let minimum: Double?
    /// The maximum.
    let maximum: Double?
    /// The exclusive minimum.
    let exclusiveMinimum: Bool
    /// The exclusive maximum.
    let exclusiveMaximum: Bool
    /// The multiple of.
    let multipleOf: Double?
    /// The min length.
    let minLength: Int?
    /// The max length.
    let maxLength: Int?
    /// The min items.
    let minItems: Int?
    /// The max items.
    let maxItems: Int?
    /// The min properties.
    let minProperties: Int?
    /// The max properties.
    let maxProperties: Int?
    /// The pattern.
    let pattern: String?
    /// The preserve unknown fields.
    let preserveUnknownFields: Bool
    /// The int or string.
    let intOrString: Bool
    /// The embedded resource.
    let embeddedResource: Bool
    /// The list type.
    let listType: String?
    /// The list map keys.
    let listMapKeys: [String]
    /// Number of CEL rules declared here and below.
    let celRuleCount: Int
    /// The CEL rules declared on this node.
    let rules: [CELRule]
    /// The all of.
    let allOf: [StructuralSchema]
    /// The any of.
    let anyOf: [StructuralSchema]
    /// The one of.
    let oneOf: [StructuralSchema]
    /// The not.
    let not: StructuralSchema?

    /// Parses a schema from its JSON form (`openAPIV3Schema`).
    ///
    /// - Throws: `EmulatorError.invalidSchema` when a member has the wrong JSON type.
    public convenience init(json: JSONValue) throws {
        try self.init(json: json, path: "openAPIV3Schema")
    }

    private init(json: JSONValue, path: String) throws {
        guard case .object(let o) = json else { throw EmulatorError.invalidSchema("\(path) must be an object") }
        func string(_ key: String) throws -> String? {
            guard let v = o[key], !v.isNull else { return nil }
            guard let s = v.stringValue else { throw EmulatorError.invalidSchema("\(path).\(key) must be a string") }
            return s
        }
        func int(_ key: String) throws -> Int? {
            guard let v = o[key], !v.isNull else { return nil }
            guard let i = v.integerValue else { throw EmulatorError.invalidSchema("\(path).\(key) must be an integer") }
            return Int(i)
        }
        func double(_ key: String) throws -> Double? {
            guard let v = o[key], !v.isNull else { return nil }
            guard let d = v.doubleValue else { throw EmulatorError.invalidSchema("\(path).\(key) must be a number") }
            return d
        }
        func schemas(_ key: String) throws -> [StructuralSchema] {
            guard let v = o[key], !v.isNull else { return [] }
            guard let a = v.arrayValue else { throw EmulatorError.invalidSchema("\(path).\(key) must be an array") }
            return try a.enumerated().map { try StructuralSchema(json: $0.element, path: "\(path).\(key)[\($0.offset)]") }
        }
        type = try string("type")
        format = try string("format")
        description = try string("description")
        title = try string("title")
        example = o["example"]
        mapType = try string("x-kubernetes-map-type")
        var props: [String: StructuralSchema] = [:]
        if let p = o["properties"], !p.isNull {
            guard case .object(let members) = p else { throw EmulatorError.invalidSchema("\(path).properties must be an object") }
            for (k, v) in members { props[k] = try StructuralSchema(json: v, path: "\(path).properties.\(k)") }
        }
        properties = props
        switch o["additionalProperties"] {
        case .bool(let b): additionalProperties = .allowed(b)
        case .some(let v) where v.objectValue != nil:
            additionalProperties = .schema(try StructuralSchema(json: v, path: "\(path).additionalProperties"))
        default: additionalProperties = nil
        }
        if let i = o["items"], i.objectValue != nil {
            items = try StructuralSchema(json: i, path: "\(path).items")
        } else {
            items = nil
        }
        required = o["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
        enumValues = o["enum"]?.arrayValue
        defaultValue = o["default"]
        nullable = o["nullable"]?.boolValue ?? false
        minimum = try double("minimum")
        maximum = try double("maximum")
        exclusiveMinimum = o["exclusiveMinimum"]?.boolValue ?? false
        exclusiveMaximum = o["exclusiveMaximum"]?.boolValue ?? false
        multipleOf = try double("multipleOf")
        minLength = try int("minLength")
        maxLength = try int("maxLength")
        minItems = try int("minItems")
        maxItems = try int("maxItems")
        minProperties = try int("minProperties")
        maxProperties = try int("maxProperties")
        pattern = try string("pattern")
        preserveUnknownFields = o["x-kubernetes-preserve-unknown-fields"]?.boolValue ?? false
        intOrString = o["x-kubernetes-int-or-string"]?.boolValue ?? false
        embeddedResource = o["x-kubernetes-embedded-resource"]?.boolValue ?? false
        listType = try string("x-kubernetes-list-type")
        listMapKeys = o["x-kubernetes-list-map-keys"]?.arrayValue?.compactMap(\.stringValue) ?? []
        allOf = try schemas("allOf")
        anyOf = try schemas("anyOf")
        oneOf = try schemas("oneOf")
        if let n = o["not"], n.objectValue != nil { not = try StructuralSchema(json: n, path: "\(path).not") } else { not = nil }
        rules = (o["x-kubernetes-validations"]?.arrayValue ?? []).compactMap(CELRule.init(json:))
        let own = rules.count
        var nested = own
        for p in props.values { nested += p.celRuleCount }
        if let items { nested += items.celRuleCount }
        if case .schema(let s) = additionalProperties { nested += s.celRuleCount }
        celRuleCount = nested
    }

    /// Whether any CEL rule exists in this schema (then a real server reports that rules were skipped when the
    /// object failed type or enum validation).
    var hasCELRules: Bool { celRuleCount > 0 }

    /// Whether this object schema lists members as named properties (a struct) rather than a map.
    var isStructLike: Bool { !properties.isEmpty || (additionalProperties == nil && !preserveUnknownFields) }

    // MARK: Pruning

    /// Removes members the schema does not know (below the root's `apiVersion`, `kind` and `metadata`) and
    /// returns the pruned paths (`spec.colour`), sorted.
    func prune(_ value: inout JSONValue, isRoot: Bool = true) -> [String] {
        var pruned: [String] = []
        prune(&value, path: "", isRoot: isRoot, pruned: &pruned)
        return pruned.sorted()
    }

    private func prune(_ value: inout JSONValue, path: String, isRoot: Bool, pruned: inout [String]) {
        switch value {
        case .object(var members):
            var changed = false
            for key in Array(members.keys) {
                if isRoot || embeddedResource, ["apiVersion", "kind", "metadata"].contains(key) {
                    continue
                }
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                if let schema = properties[key] {
                    if var child = members[key] {
                        schema.prune(&child, path: childPath, isRoot: false, pruned: &pruned)
                        members[key] = child
                        changed = true
                    }
                } else if case .schema(let schema) = additionalProperties {
                    if var child = members[key] {
                        schema.prune(&child, path: childPath, isRoot: false, pruned: &pruned)
                        members[key] = child
                        changed = true
                    }
                } else if preserveUnknownFields || additionalProperties.map({ if case .allowed(true) = $0 { true } else { false } }) == true {
                    continue
                } else if type == "object" || !properties.isEmpty {
                    members.removeValue(forKey: key)
                    pruned.append(childPath)
                    changed = true
                }
            }
            if changed { value = .object(members) }
        case .array(var elements):
            guard let items else { return }
            for index in elements.indices {
                items.prune(&elements[index], path: "\(path)[\(index)]", isRoot: false, pruned: &pruned)
            }
            value = .array(elements)
        default:
            break
        }
    }

    // MARK: Defaulting

    /// Applies `default`s to absent members (and to `null`s where the schema is not nullable), recursively.
    func applyDefaults(_ value: inout JSONValue) {
        switch value {
        case .object(var members):
            for (key, schema) in properties {
                if let current = members[key], !(current.isNull && !schema.nullable) {
                    var child = current
                    schema.applyDefaults(&child)
                    members[key] = child
                } else if let d = schema.defaultValue {
                    var child = d
                    schema.applyDefaults(&child)
                    members[key] = child
                } else if members[key]?.isNull == true {
                    members.removeValue(forKey: key)
                }
            }
            if case .schema(let schema) = additionalProperties {
                for key in members.keys where properties[key] == nil {
                    if var child = members[key] {
                        schema.applyDefaults(&child)
                        members[key] = child
                    }
                }
            }
            value = .object(members)
        case .array(var elements):
            guard let items else { return }
            for index in elements.indices { items.applyDefaults(&elements[index]) }
            value = .array(elements)
        default:
            break
        }
    }

    // MARK: Validation

    /// Validates `value` (the whole object) and returns Kubernetes field errors, deterministically ordered:
    /// type errors, then enum errors, then the rest, each group by field path. (A real server's order follows Go
    /// map iteration and may differ between runs.)
    func validate(_ value: JSONValue) -> [FieldError] {
        var collected: [FieldError] = []
        validate(value, path: "", isRoot: true, into: &collected)
        func rank(_ e: FieldError) -> Int {
            switch e.kind {
            case .typeInvalid: 0
            case .notSupported: 1
            default: 2
            }
        }
        return collected.enumerated().sorted {
            let (a, b) = (rank($0.element), rank($1.element))
            if a != b { return a < b }
            if $0.element.field != $1.element.field { return $0.element.field < $1.element.field }
            return $0.offset < $1.offset
        }.map(\.element)
    }

    private static func jsonTypeName(_ v: JSONValue) -> String {
        switch v {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        // Like go-openapi: a float counts as an integer only when integral and exactly representable.
        case .double(let d): d.rounded() == d && abs(d) <= 9_007_199_254_740_992 ? "integer" : "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// The Go reflect type name Kubernetes prints as the bad value of a type error.
    private static func goTypeName(_ v: JSONValue) -> String {
        switch v {
        case .null: ""
        case .bool: "bool"
        case .integer: "int64"
        case .double: "float64"
        case .string: "string"
        case .array: "slice"
        case .object: "map"
        }
    }

    private func validate(_ value: JSONValue, path: String, isRoot: Bool, into errors: inout [FieldError]) {
        let field = path.isEmpty ? "<nil>" : path
        let bodyPath = path.isEmpty ? "" : path
        if value.isNull {
            if !nullable, let type {
                errors.append(FieldError(kind: .typeInvalid, field: field, badValue: .string(""),
                                         detail: "\(bodyPath) in body must be of type \(type): \"null\""))
            }
            return
        }
        // type
        if intOrString {
            switch value {
            case .integer, .string: break
            case .double(let d) where d.rounded() == d: break
            default:
                errors.append(FieldError(kind: .typeInvalid, field: field, badValue: .string(Self.goTypeName(value)),
                                         detail: "\(bodyPath) in body must be of type integer,string: \(GoJSONWriter.goQuote(Self.jsonTypeName(value)))"))
                return
            }
        } else if let type {
            let actual = Self.jsonTypeName(value)
            let matches = actual == type || (type == "number" && actual == "integer")
            if !matches {
                errors.append(FieldError(kind: .typeInvalid, field: field, badValue: .string(Self.goTypeName(value)),
                                         detail: "\(bodyPath) in body must be of type \(type): \(GoJSONWriter.goQuote(actual))"))
                return
            }
        }
        // allOf / anyOf / oneOf / not (value validation only)
        for s in allOf { s.validate(value, path: path, isRoot: false, into: &errors) }
        if !anyOf.isEmpty {
            let ok = anyOf.contains { s in var e: [FieldError] = []; s.validate(value, path: path, isRoot: false, into: &e); return e.isEmpty }
            if !ok { errors.append(.invalid(field, .from(value), "\(bodyPath) in body must be any of")) }
        }
        if !oneOf.isEmpty {
            let count = oneOf.filter { s in var e: [FieldError] = []; s.validate(value, path: path, isRoot: false, into: &e); return e.isEmpty }.count
            if count != 1 { errors.append(.invalid(field, .from(value), "\(bodyPath) in body must validate one and only one schema (oneOf)")) }
        }
        if let not {
            var e: [FieldError] = []
            not.validate(value, path: path, isRoot: false, into: &e)
            if e.isEmpty { errors.append(.invalid(field, .from(value), "\(bodyPath) in body should not validate the schema")) }
        }
        // strings
        if case .string(let s) = value {
            let length = s.count
            if let maxLength, length > maxLength {
                errors.append(FieldError(kind: .tooLong, field: field, badValue: .string(s), detail: "may not be more than \(maxLength) bytes"))
            }
            if let minLength, length < minLength {
                errors.append(.invalid(field, .string(s), "\(bodyPath) in body should be at least \(minLength) chars long"))
            }
            if let pattern, !PatternCache.matches(pattern, s) {
                errors.append(.invalid(field, .string(s), "\(bodyPath) in body should match '\(pattern)'"))
            }
            if let format, !Self.formatMatches(format, s) {
                errors.append(FieldError(kind: .typeInvalid, field: field, badValue: .string("string"),
                                         detail: "\(bodyPath) in body must be of type \(format): \(GoJSONWriter.goQuote(s))"))
            }
        }
        // numbers
        if let number = value.doubleValue {
            let shown = FieldError.BadValue.from(value)
            if let minimum {
                if exclusiveMinimum ? number <= minimum : number < minimum {
                    errors.append(.invalid(field, shown, "\(bodyPath) in body should be greater than \(exclusiveMinimum ? "" : "or equal to ")\(GoJSONWriter.formatDouble(minimum))"))
                }
            }
            if let maximum {
                if exclusiveMaximum ? number >= maximum : number > maximum {
                    errors.append(.invalid(field, shown, "\(bodyPath) in body should be less than \(exclusiveMaximum ? "" : "or equal to ")\(GoJSONWriter.formatDouble(maximum))"))
                }
            }
            if let multipleOf, multipleOf > 0, (number / multipleOf).rounded() != number / multipleOf {
                errors.append(.invalid(field, shown, "\(bodyPath) in body should be a multiple of \(GoJSONWriter.formatDouble(multipleOf))"))
            }
            if format == "int32", number < -2_147_483_648 || number > 2_147_483_647 {
                errors.append(FieldError(kind: .typeInvalid, field: field, badValue: .string(Self.goTypeName(value)),
                                         detail: "\(bodyPath) in body must be of type int32: \(GoJSONWriter.goQuote(GoJSONWriter.formatDouble(number)))"))
            }
        }
        // arrays
        if case .array(let elements) = value {
            if let maxItems, elements.count > maxItems {
                errors.append(FieldError(kind: .tooMany, field: field, badValue: .plain(String(elements.count)), detail: "must have at most \(maxItems) items"))
            }
            if let minItems, elements.count < minItems {
                errors.append(.invalid(field, .from(value), "\(bodyPath) in body should have at least \(minItems) items"))
            }
            if let items {
                for (index, element) in elements.enumerated() {
                    items.validate(element, path: "\(path)[\(index)]", isRoot: false, into: &errors)
                }
            }
        }
        // enum
        if let enumValues, !enumValues.contains(value) {
            errors.append(.notSupported(field, .from(value), supported: enumValues.map { $0.stringValue ?? GoJSONWriter.sorted.string($0) }))
        }
        // objects
        if case .object(let members) = value {
            if let maxProperties, members.count > maxProperties {
                errors.append(FieldError(kind: .tooMany, field: field, badValue: .plain(String(members.count)), detail: "must have at most \(maxProperties) items"))
            }
            if let minProperties, members.count < minProperties {
                errors.append(.invalid(field, .from(value), "\(bodyPath) in body should have at least \(minProperties) properties"))
            }
            for (key, child) in members {
                if isRoot && (key == "metadata" || key == "apiVersion" || key == "kind") { continue }
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                if let schema = properties[key] {
                    schema.validate(child, path: childPath, isRoot: false, into: &errors)
                } else if case .schema(let schema) = additionalProperties {
                    schema.validate(child, path: childPath, isRoot: false, into: &errors)
                }
            }
            for key in required where members[key] == nil {
                errors.append(.required(path.isEmpty ? key : "\(path).\(key)"))
            }
        }
    }

    /// The subset of OpenAPI formats a kube-apiserver checks.
    private static func formatMatches(_ format: String, _ s: String) -> Bool {
        switch format {
        case "date-time":
            if case .success = GoTime.parse(s, layout: .rfc3339) { return true }
            // strfmt also accepts a space separator and missing zone; stay close to RFC 3339.
            return false
        case "date":
            let parts = s.split(separator: "-")
            return parts.count == 3 && parts[0].count == 4 && parts[1].count == 2 && parts[2].count == 2
                && parts.allSatisfy { $0.allSatisfy(\.isNumber) }
        case "uuid":
            let hex = s.replacingOccurrences(of: "-", with: "")
            return s.count == 36 && hex.count == 32 && hex.allSatisfy(\.isHexDigit)
        case "byte":
            return Data(base64Encoded: s) != nil
        default:
            return true
        }
    }

    // MARK: CEL

    /// Evaluates the `x-kubernetes-validations` rules on `value` (and `old` for transition rules and ratcheting).
    func celErrors(_ value: JSONValue, old: JSONValue?) -> [FieldError] {
        var errors: [FieldError] = []
        celErrors(value, old: old, path: "", into: &errors)
        return errors
    }

    private func celErrors(_ value: JSONValue, old: JSONValue?, path: String, into errors: inout [FieldError]) {
        if value.isNull { return }
        // Validation ratcheting: an unchanged value keeps passing.
        if let old, old == value { return }
        for rule in rules {
            if let error = rule.check(value, old: old, path: path, type: type ?? "object") { errors.append(error) }
        }
        switch value {
        case .object(let members):
            for (key, child) in members.sorted(by: { $0.key < $1.key }) {
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                let schema: StructuralSchema?
                if let p = properties[key] { schema = p } else if case .schema(let s) = additionalProperties { schema = s } else { schema = nil }
                schema?.celErrors(child, old: old?[key], path: childPath, into: &errors)
            }
        case .array(let elements):
            guard let itemSchema = items else { return }
            let oldItems = old?.arrayValue
            for (index, item) in elements.enumerated() {
                var oldItem: JSONValue?
                if listType == "map", !listMapKeys.isEmpty {
                    oldItem = oldItems?.first { o in listMapKeys.allSatisfy { o[$0] == item[$0] } }
                }
                itemSchema.celErrors(item, old: oldItem, path: "\(path)[\(index)]", into: &errors)
            }
        default:
            break
        }
    }

    // MARK: List invariants

    /// `x-kubernetes-list-type: map|set` uniqueness errors (`Duplicate value`), checked after schema validation.
    func listTypeErrors(_ value: JSONValue) -> [FieldError] {
        var errors: [FieldError] = []
        listTypeErrors(value, path: "", into: &errors)
        return errors
    }

    private func listTypeErrors(_ value: JSONValue, path: String, into errors: inout [FieldError]) {
        switch value {
        case .array(let elements):
            if listType == "set" {
                var seen: [JSONValue] = []
                for (i, e) in elements.enumerated() {
                    if seen.contains(e) { errors.append(.duplicate("\(path)[\(i)]", .from(e))) } else { seen.append(e) }
                }
            } else if listType == "map", !listMapKeys.isEmpty {
                var seen: [[JSONValue?]] = []
                for (i, e) in elements.enumerated() {
                    let key = listMapKeys.map { e[$0] }
                    if seen.contains(where: { $0 == key }) {
                        var keyObject: [String: JSONValue] = [:]
                        for k in listMapKeys { keyObject[k] = e[k] ?? .null }
                        errors.append(.duplicate("\(path)[\(i)]", .plain(Self.goMapLiteral(keyObject))))
                    } else {
                        seen.append(key)
                    }
                }
            }
            if let items {
                for (i, e) in elements.enumerated() { items.listTypeErrors(e, path: "\(path)[\(i)]", into: &errors) }
            }
        case .object(let members):
            for (key, child) in members {
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                if let s = properties[key] {
                    s.listTypeErrors(child, path: childPath, into: &errors)
                } else if case .schema(let s) = additionalProperties {
                    s.listTypeErrors(child, path: childPath, into: &errors)
                }
            }
        default:
            break
        }
    }

    private static func goMapLiteral(_ m: [String: JSONValue]) -> String {
        "map[string]interface {}{" + m.keys.sorted().map { k in
            "\(GoJSONWriter.goQuote(k)):" + (m[k]?.stringValue.map(GoJSONWriter.goQuote) ?? GoJSONWriter.sorted.string(m[k] ?? .null))
        }.joined(separator: ", ") + "}"
    }

    // MARK: Navigation

    /// The schema of a member path (`["spec", "parallelism"]`), if declared.
    func schema(at path: [String]) -> StructuralSchema? {
        var current: StructuralSchema? = self
        for key in path {
            guard let c = current else { return nil }
            if let p = c.properties[key] {
                current = p
            } else if case .schema(let s) = c.additionalProperties {
                current = s
            } else {
                return nil
            }
        }
        return current
    }

    /// Whether the member at `path` is an atomic value for field ownership (a scalar, an atomic list, an
    /// atomic map, or anything the schema does not describe granularly).
    func isAtomicForOwnership(at path: [String]) -> Bool {
        guard let s = schema(at: path) else { return false }
        if s.type == "array" { return s.listType != "map" && s.listType != "set" }
        return false
    }
}
