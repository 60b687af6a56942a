import JSONCore

/// Converts Events between core/v1 (the storage form) and events.k8s.io/v1, like the real conversion functions.
enum EventConversion {
    private static let pairs: [(core: String, events: String)] = [
        ("involvedObject", "regarding"), ("message", "note"), ("reportingComponent", "reportingController"),
        ("source", "deprecatedSource"), ("firstTimestamp", "deprecatedFirstTimestamp"),
        ("lastTimestamp", "deprecatedLastTimestamp"), ("count", "deprecatedCount"),
    ]
    private static let shared = ["metadata", "eventTime", "series", "action", "reason", "related", "reportingInstance", "type"]

    /// A stored core/v1 Event as events.k8s.io/v1 shows it.
    static func toEventsV1(_ core: JSONValue) -> JSONValue {
        guard case .object(let c) = core else { return core }
        var out: [String: JSONValue] = ["apiVersion": "events.k8s.io/v1", "kind": "Event"]
        for k in shared { if let v = c[k] { out[k] = v } }
        for (coreKey, eventsKey) in pairs { if let v = c[coreKey] { out[eventsKey] = v } }
        return BuiltinTypes.eventsEvent.encode(.object(out))
    }

    /// An events.k8s.io/v1 Event in its core/v1 storage form.
    static func toCore(_ events: JSONValue) -> JSONValue {
        guard case .object(let e) = events else { return events }
        var out: [String: JSONValue] = ["apiVersion": "v1", "kind": "Event"]
        for k in shared { if let v = e[k] { out[k] = v } }
        for (coreKey, eventsKey) in pairs { if let v = e[eventsKey] { out[coreKey] = v } }
        return BuiltinTypes.coreEvent.encode(.object(out))
    }
}
