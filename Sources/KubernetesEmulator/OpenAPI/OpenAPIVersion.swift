import JSONCore

/// Which OpenAPI document a schema is written for: Swagger 2.0 (`/openapi/v2`) or OpenAPI 3.0 (`/openapi/v3`).
///
/// The two differ in where named schemas live (`#/definitions/` or `#/components/schemas/`), in how a reference
/// carries its own description (v2 puts siblings next to `$ref`, v3 wraps the reference in `allOf`), and in which
/// schema keywords they can express (v2 has no `nullable`, `oneOf`, `anyOf` or `not`).
public enum OpenAPIVersion: Sendable, Equatable {
    /// Swagger 2.0.
    case v2
    /// OpenAPI 3.0.
    case v3

    /// The `$ref` prefix of a named schema.
    var referencePrefix: String {
        switch self {
        case .v2: "#/definitions/"
        case .v3: "#/components/schemas/"
        }
    }

    /// A reference to the named schema `name`, with an optional description (and default) of its own.
    func reference(_ name: String, description: String? = nil, defaultValue: JSONValue? = nil) -> JSONValue {
        let ref: JSONValue = ["$ref": .string(referencePrefix + name)]
        guard description != nil || defaultValue != nil else { return ref }
        var members: [String: JSONValue]
        switch self {
        case .v2:
            members = ref.objectValue ?? [:]
        case .v3:
            // OpenAPI 3.0 ignores siblings of `$ref`; the real server wraps the reference in `allOf`.
            members = ["allOf": [ref]]
        }
        if let description { members["description"] = .string(description) }
        if let defaultValue, self == .v3 { members["default"] = defaultValue }
        return .object(members)
    }
}
