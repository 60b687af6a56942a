import JSONCore

/// Server-side apply conflicts, formatted like a kube-apiserver reports them.
struct ApplyConflicts: Error, Sendable {
    /// The conflicting fields with their owners.
    var conflicts: [ManagedFieldsTracker.Conflict]

    private static func printManager(_ e: ManagedFieldsEntry) -> String {
        var text = GoJSONWriter.goQuote(e.manager)
        if !e.subresource.isEmpty { text += " with subresource \(GoJSONWriter.goQuote(e.subresource))" }
        if e.operation == "Update" {
            if let time = e.time { return "\(text) using \(e.apiVersion) at \(time)" }
            return "\(text) using \(e.apiVersion)"
        }
        return text
    }

    /// The 409 Conflict a kube-apiserver answers, one `FieldManagerConflict` cause per field.
    var apiError: APIError {
        let causes: [JSONValue] = conflicts.map { c in
            ["reason": "FieldManagerConflict", "message": .string("conflict with \(Self.printManager(c.manager))"),
             "field": .string(FieldSet.describe(c.path))]
        }
        let message: String
        if conflicts.count == 1, let c = conflicts.first {
            message = "Apply failed with 1 conflict: conflict with \(Self.printManager(c.manager)): \(FieldSet.describe(c.path))"
        } else {
            var byManager: [String: [String]] = [:]
            for c in conflicts { byManager[Self.printManager(c.manager), default: []].append(FieldSet.describe(c.path)) }
            var lines: [String] = []
            for manager in byManager.keys.sorted() {
                lines.append("conflicts with \(manager):")
                for p in byManager[manager] ?? [] { lines.append("- \(p)") }
            }
            message = "Apply failed with \(conflicts.count) conflicts: " + lines.joined(separator: "\n")
        }
        return APIError(code: 409, reason: "Conflict", message: message, details: .object(["causes": .array(causes)]))
    }
}
