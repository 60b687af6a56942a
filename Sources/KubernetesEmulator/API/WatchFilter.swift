import JSONCore

/// Selects the events of one watch and converts them to the watched API version.
struct WatchFilter: Sendable {
    /// The type.
    var type: ResourceType
    /// The namespace.
    var namespace: String?
    /// The label selector.
    var labelSelector: LabelSelector
    /// The field selector.
    var fieldSelector: FieldSelector

    func matches(_ object: JSONValue) -> Bool {
        if let namespace, object[path: ["metadata", "namespace"]]?.stringValue ?? "" != namespace { return false }
        let labels = (object[path: ["metadata", "labels"]]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        guard labelSelector.matches(labels) else { return false }
        if !fieldSelector.isEmpty {
            let fields = APIServer.selectableFields(object)
            guard fieldSelector.matches(fields) else { return false }
        }
        return true
    }
}
