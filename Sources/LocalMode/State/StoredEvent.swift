import Foundation
import GRDB
import Kubernetes

/// One row of the event log: an `events.k8s.io/v1` Event flattened (regarding object, series count).
public struct StoredEvent: Sendable, Hashable {
    /// The event's namespace.
    public var namespace: String
    /// The event's name (unique per namespace).
    public var name: String
    /// When it first happened.
    public var eventTime: MicroTime
    /// When it last happened.
    public var lastObservedTime: MicroTime
    /// How often it happened (1 without a series).
    public var count: Int
    /// `Normal` or `Warning`.
    public var type: String
    /// CamelCase reason (`SavepointCompleted`).
    public var reason: String
    /// What the controller did (`Deploy`).
    public var action: String
    /// The human-readable message.
    public var note: String
    /// Kind of the object it is about (`FlinkJob`, or `ManifestFile` for manifest problems).
    public var regardingKind: String
    /// Namespace of that object.
    public var regardingNamespace: String?
    /// Name of that object (the path for a manifest file).
    public var regardingName: String
    /// UID of that object, when known.
    public var regardingUID: String?
    /// Which controller wrote it.
    public var reportingController: String?
    /// Which operator instance wrote it.
    public var reportingInstance: String?

    /// An event with the given values.
    public init(
        namespace: String, name: String, eventTime: MicroTime, lastObservedTime: MicroTime? = nil, count: Int = 1,
        type: String, reason: String, action: String, note: String, regardingKind: String, regardingNamespace: String?,
        regardingName: String, regardingUID: String? = nil, reportingController: String? = nil,
        reportingInstance: String? = nil
    ) {
        self.namespace = namespace
        self.name = name
        self.eventTime = eventTime
        self.lastObservedTime = lastObservedTime ?? eventTime
        self.count = count
        self.type = type
        self.reason = reason
        self.action = action
        self.note = note
        self.regardingKind = regardingKind
        self.regardingNamespace = regardingNamespace
        self.regardingName = regardingName
        self.regardingUID = regardingUID
        self.reportingController = reportingController
        self.reportingInstance = reportingInstance
    }

    init(row: Row) {
        let regardingNamespace: String = row["regardingNamespace"]
        self.init(
            namespace: row["namespace"], name: row["name"],
            eventTime: MicroTime(microsecondsSince1970: row["eventTime"]),
            lastObservedTime: MicroTime(microsecondsSince1970: row["lastObservedTime"]), count: row["seriesCount"],
            type: row["type"], reason: row["reason"], action: row["action"], note: row["note"],
            regardingKind: row["regardingKind"], regardingNamespace: regardingNamespace.isEmpty ? nil : regardingNamespace,
            regardingName: row["regardingName"], regardingUID: row["regardingUID"],
            reportingController: row["reportingController"], reportingInstance: row["reportingInstance"])
    }

    /// The event in its API form.
    public var event: Event {
        var event = Event(
            metadata: ObjectMeta(name: name, namespace: namespace), eventTime: eventTime,
            series: count >= 2 ? EventSeries(count: count, lastObservedTime: lastObservedTime) : nil,
            reportingController: reportingController, reportingInstance: reportingInstance, action: action,
            reason: reason,
            regarding: ObjectReference(kind: regardingKind, namespace: regardingNamespace, name: regardingName, uid: regardingUID),
            note: note, type: type)
        event.metadata.uid = "\(namespace)/\(name)"
        return event
    }
}
