import JSONCore

/// One `x-kubernetes-validations` entry: a CEL rule with its message, optional field path and reason.
///
/// Rules outside the supported CEL subset are kept but never fail (`expression` is `nil`).
struct CELRule: Sendable {
    /// The rule.
    var rule: String
    /// The message.
    var message: String?
    /// The field path.
    var fieldPath: String?
    /// The reason.
    var reason: String?
    /// The expression.
    var expression: CELExpression?

    /// Reads an entry from its JSON form; `nil` when it lacks manager or operation.
    init?(json: JSONValue) {
        guard let rule = json["rule"]?.stringValue else { return nil }
        self.rule = rule
        message = json["message"]?.stringValue
        fieldPath = json["fieldPath"]?.stringValue
        reason = json["reason"]?.stringValue
        expression = try? CELExpression(parsing: rule)
    }

    /// Evaluates the rule on `value`; returns the field error a kube-apiserver reports when it fails.
    func check(_ value: JSONValue, old: JSONValue?, path: String, type: String) -> FieldError? {
        guard let expression else { return nil }
        if expression.usesOldSelf && old == nil { return nil }
        var variables: [String: CELValue] = ["self": CELValue(value)]
        if let old { variables["oldSelf"] = CELValue(old) }
        var field = path.isEmpty ? "<nil>" : path
        if let fieldPath, !fieldPath.isEmpty {
            let suffix = fieldPath.hasPrefix(".") ? String(fieldPath.dropFirst()) : fieldPath
            field = path.isEmpty ? suffix : "\(path).\(suffix)"
        }
        let detail: String
        do throws(CELError) {
            let result = try CELEvaluator(variables: variables).evaluate(expression)
            if result == .bool(true) { return nil }
            guard case .bool = result else {
                return .invalid(field, .string(type), "rule did not evaluate to a bool: \(rule)")
            }
            detail = message ?? "failed rule: \(rule)"
        } catch {
            detail = "\(error.message) evaluating rule: \(message ?? rule)"
        }
        switch reason {
        case "FieldValueForbidden": return .forbidden(field, detail)
        case "FieldValueRequired": return .required(field, detail)
        case "FieldValueDuplicate": return FieldError(kind: .duplicate, field: field, badValue: .string(type), detail: detail)
        default: return .invalid(field, .string(type), detail)
        }
    }
}
