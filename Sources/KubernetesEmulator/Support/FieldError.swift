import JSONCore

/// One validation failure of one field, formatted exactly like Kubernetes' `field.Error`.
struct FieldError: Sendable, Equatable {
    /// The kinds of field errors, with the `reason` a Status cause carries.
    enum Kind: String, Sendable {
        /// Not found.
        case notFound = "FieldValueNotFound"
        /// Required.
        case required = "FieldValueRequired"
        /// Duplicate.
        case duplicate = "FieldValueDuplicate"
        /// Invalid.
        case invalid = "FieldValueInvalid"
        /// Not supported.
        case notSupported = "FieldValueNotSupported"
        /// Forbidden.
        case forbidden = "FieldValueForbidden"
        /// Too long.
        case tooLong = "FieldValueTooLong"
        /// Too many.
        case tooMany = "FieldValueTooMany"
        case `internal` = "InternalError"
        /// Type invalid.
        case typeInvalid = "FieldValueTypeInvalid"

        /// The human prefix Go prints for this kind.
        var text: String {
            switch self {
            case .notFound: "Not found"
            case .required: "Required value"
            case .duplicate: "Duplicate value"
            case .invalid, .typeInvalid: "Invalid value"
            case .notSupported: "Unsupported value"
            case .forbidden: "Forbidden"
            case .tooLong: "Too long"
            case .tooMany: "Too many"
            case .internal: "Internal error"
            }
        }
    }

    /// How the offending value is printed (Go's `%v`, `%q` or `%#v` depending on its type).
    enum BadValue: Sendable, Equatable {
        /// Not printed at all.
        case omitted
        /// A string, printed quoted.
        case string(String)
        /// A number or boolean, printed bare.
        case plain(String)
        /// Go's `nil`, printed as `"null"`.
        case null

        static func from(_ value: JSONValue) -> BadValue {
            switch value {
            case .null: .null
            case .string(let s): .string(s)
            case .integer(let i): .plain(String(i))
            case .double(let d): .plain(GoJSONWriter.formatDouble(d))
            case .bool(let b): .plain(b ? "true" : "false")
            case .array, .object: .plain(GoJSONWriter.sorted.string(value))
            }
        }
    }

    /// The kind.
    var kind: Kind
    /// The field path (`spec.parallelism`), or `<nil>` when the error concerns no field.
    var field: String
    /// The bad value.
    var badValue: BadValue
    /// The detail.
    var detail: String

    /// A `Required value` error.
    static func required(_ field: String, _ detail: String = "") -> FieldError {
        FieldError(kind: .required, field: field, badValue: .omitted, detail: detail)
    }
    /// An `Invalid value` error.
    static func invalid(_ field: String, _ value: BadValue, _ detail: String) -> FieldError {
        FieldError(kind: .invalid, field: field, badValue: value, detail: detail)
    }
    /// A `Forbidden` error.
    static func forbidden(_ field: String, _ detail: String) -> FieldError {
        FieldError(kind: .forbidden, field: field, badValue: .omitted, detail: detail)
    }
    /// An `Unsupported value` error listing the supported values.
    static func notSupported(_ field: String, _ value: BadValue, supported: [String]) -> FieldError {
        let detail = supported.isEmpty ? "" : "supported values: " + supported.map { GoJSONWriter.goQuote($0) }.joined(separator: ", ")
        return FieldError(kind: .notSupported, field: field, badValue: value, detail: detail)
    }
    /// A `Duplicate value` error.
    static func duplicate(_ field: String, _ value: BadValue) -> FieldError {
        FieldError(kind: .duplicate, field: field, badValue: value, detail: "")
    }

    /// The error without its field, like Go's `ErrorBody()`.
    var body: String {
        var text: String
        switch kind {
        case .required, .forbidden, .tooLong, .internal:
            text = kind.text
        default:
            switch badValue {
            case .omitted: text = kind.text
            case .null: text = "\(kind.text): \"null\""
            case .string(let s): text = "\(kind.text): \(GoJSONWriter.goQuote(s))"
            case .plain(let p): text = "\(kind.text): \(p)"
            }
        }
        if !detail.isEmpty { text += ": \(detail)" }
        return text
    }

    /// The full error text, `field: body`.
    var text: String { "\(field): \(body)" }

    /// The Status cause object.
    var cause: JSONValue {
        ["reason": .string(kind.rawValue), "message": .string(body), "field": .string(field)]
    }

    /// Go's `ErrorList.ToAggregate().Error()`: one error bare, several in brackets.
    static func aggregate(_ errors: [FieldError]) -> String {
        // Go's aggregate drops exact duplicates from the message (but not from the causes).
        var seen = Set<String>()
        var texts: [String] = []
        for error in errors where seen.insert(error.text).inserted {
            texts.append(error.text)
        }
        if texts.count == 1 { return texts[0] }
        return "[" + texts.joined(separator: ", ") + "]"
    }
}
