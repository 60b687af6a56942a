/// An `events.k8s.io/v1` Event: something that happened to an object, shown by `kubectl describe`.
///
/// On create the server requires `eventTime`, `reportingController`, `reportingInstance`, `action`, `reason` and
/// a `type` of `Normal` or `Warning`. Events written through the core/v1 API read back with only the
/// `deprecated*` fields and a `null` eventTime, so every field is optional here.
public struct Event: KubernetesResource, Hashable {
    public static let group = "events.k8s.io"
    public static let version = "v1"
    public static let kind = "Event"
    public static let plural = "events"
    public static let scope = ResourceScope.namespaced

    /// Standard object metadata.
    public var metadata: ObjectMeta
    /// When the event was first observed (microseconds; exactly six fractional digits on the wire).
    public var eventTime: MicroTime?
    /// Aggregation data when the event repeats.
    public var series: EventSeries?
    /// The controller that emitted the event (`flink.jobcontroller.io/operator`).
    public var reportingController: String?
    /// The controller instance (pod) that emitted the event.
    public var reportingInstance: String?
    /// What the controller did or failed to do (CamelCase).
    public var action: String?
    /// Why the action was taken (CamelCase).
    public var reason: String?
    /// The object the event is about.
    public var regarding: ObjectReference?
    /// A secondary object, if any.
    public var related: ObjectReference?
    /// Human-readable description (at most 1 KiB).
    public var note: String?
    /// `Normal` or `Warning`.
    public var type: String?
    /// core/v1 `source`, as mapped by the server.
    public var deprecatedSource: EventSource?
    /// core/v1 `firstTimestamp`, as mapped by the server.
    public var deprecatedFirstTimestamp: KubeTime?
    /// core/v1 `lastTimestamp`, as mapped by the server.
    public var deprecatedLastTimestamp: KubeTime?
    /// core/v1 `count`, as mapped by the server.
    public var deprecatedCount: Int?

    /// An event with the given fields.
    public init(
        metadata: ObjectMeta, eventTime: MicroTime? = nil, series: EventSeries? = nil,
        reportingController: String? = nil, reportingInstance: String? = nil, action: String? = nil,
        reason: String? = nil, regarding: ObjectReference? = nil, related: ObjectReference? = nil,
        note: String? = nil, type: String? = nil
    ) {
        self.metadata = metadata
        self.eventTime = eventTime
        self.series = series
        self.reportingController = reportingController
        self.reportingInstance = reportingInstance
        self.action = action
        self.reason = reason
        self.regarding = regarding
        self.related = related
        self.note = note
        self.type = type
    }
}

/// Aggregation of a repeated event: how often and when last.
public struct EventSeries: Sendable, Hashable, Codable {
    /// How many times the event has occurred.
    public var count: Int
    /// When it was last observed (microseconds).
    public var lastObservedTime: MicroTime

    /// A series with the given values.
    public init(count: Int, lastObservedTime: MicroTime) {
        self.count = count
        self.lastObservedTime = lastObservedTime
    }
}

/// core/v1 `EventSource` (`deprecatedSource` of an events.k8s.io Event).
public struct EventSource: Sendable, Hashable, Codable {
    /// The component that generated the event.
    public var component: String?
    /// The node that generated the event.
    public var host: String?

    /// A source with the given values.
    public init(component: String? = nil, host: String? = nil) {
        self.component = component
        self.host = host
    }
}
