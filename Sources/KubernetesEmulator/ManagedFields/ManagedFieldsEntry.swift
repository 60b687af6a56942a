import JSONCore

/// One `metadata.managedFields` entry.
struct ManagedFieldsEntry: Sendable, Equatable {
    /// The manager.
    var manager: String
    /// `Apply` or `Update`.
    var operation: String
    /// The api version.
    var apiVersion: String
    /// RFC 3339 time of the manager's last change, if any.
    var time: String?
    /// The fields.
    var fields: FieldSet
    /// The subresource.
    var subresource: String

    /// Whether this entry records an apply (as opposed to an update).
    var isApply: Bool { operation == "Apply" }

    /// Whether two entries belong to the same manager identity (Update entries also differ by version).
    func sameIdentity(as other: ManagedFieldsEntry) -> Bool {
        manager == other.manager && operation == other.operation && subresource == other.subresource
            && (isApply || apiVersion == other.apiVersion)
    }

    /// An entry.
    init(manager: String, operation: String, apiVersion: String, time: String?, fields: FieldSet, subresource: String) {
        self.manager = manager
        self.operation = operation
        self.apiVersion = apiVersion
        self.time = time
        self.fields = fields
        self.subresource = subresource
    }

    /// Reads an entry from its JSON form; `nil` when it lacks manager or operation.
    init?(json: JSONValue) {
        guard let manager = json["manager"]?.stringValue, let operation = json["operation"]?.stringValue else { return nil }
        self.manager = manager
        self.operation = operation
        apiVersion = json["apiVersion"]?.stringValue ?? ""
        time = json["time"]?.stringValue
        fields = FieldSet(json: json["fieldsV1"] ?? .emptyObject)
        subresource = json["subresource"]?.stringValue ?? ""
    }

    /// The JSON form.
    var json: JSONValue {
        var o: [String: JSONValue] = [
            "manager": .string(manager), "operation": .string(operation), "apiVersion": .string(apiVersion),
            "fieldsType": "FieldsV1", "fieldsV1": fields.json,
        ]
        if let time { o["time"] = .string(time) }
        if !subresource.isEmpty { o["subresource"] = .string(subresource) }
        return .object(o)
    }

    /// Reads the entries of an object.
    static func entries(of object: JSONValue) -> [ManagedFieldsEntry] {
        object[path: ["metadata", "managedFields"]]?.arrayValue?.compactMap(ManagedFieldsEntry.init(json:)) ?? []
    }

    /// Encodes entries in the order a kube-apiserver sorts them (operation, time, manager, version, subresource).
    static func encode(_ entries: [ManagedFieldsEntry]) -> JSONValue {
        let sorted = entries.filter { !$0.fields.isEmpty }.sorted { p, q in
            if p.operation != q.operation { return p.operation < q.operation }
            let ps = p.time.flatMap { try? GoTime.parse($0, layout: .rfc3339).get().seconds } ?? 0
            let qs = q.time.flatMap { try? GoTime.parse($0, layout: .rfc3339).get().seconds } ?? 0
            if ps != qs { return ps < qs }
            if p.manager != q.manager { return p.manager < q.manager }
            if p.apiVersion != q.apiVersion { return p.apiVersion < q.apiVersion }
            return p.subresource < q.subresource
        }
        return .array(sorted.map(\.json))
    }
}
