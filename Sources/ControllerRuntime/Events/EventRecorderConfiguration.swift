/// How the event recorder names itself and aggregates.
public struct EventRecorderConfiguration: Sendable {
    /// The default `reportingController`.
    public static let defaultReportingController = "flink.jobcontroller.io/operator"

    /// `reportingController` of every event.
    public var reportingController: String
    /// `reportingInstance` of every event (the elector identity, `hostname_uuid`).
    public var reportingInstance: String
    /// Where events about cluster-scoped objects (FlinkSessionClusters) are written. A kube-apiserver accepts
    /// such events only in `default` (an event's namespace must match its regarding object's, and an empty
    /// namespace maps to `default`); other backends may choose freely.
    public var clusterScopedNamespace: String
    /// The shortest time between two updates of one aggregated event's `series` (repeats in between are only
    /// counted).
    public var seriesUpdateInterval: Duration
    /// After this long without a repeat, the next occurrence creates a new Event instead of counting on.
    public var aggregationWindow: Duration
    /// The most distinct events kept for aggregation; beyond it new distinct events are dropped (and counted).
    public var maximumTrackedEvents: Int

    /// A configuration with the given values.
    public init(
        reportingController: String = EventRecorderConfiguration.defaultReportingController,
        reportingInstance: String, clusterScopedNamespace: String = "default",
        seriesUpdateInterval: Duration = .seconds(30), aggregationWindow: Duration = .seconds(600),
        maximumTrackedEvents: Int = 4096
    ) {
        self.reportingController = reportingController
        self.reportingInstance = reportingInstance
        self.clusterScopedNamespace = clusterScopedNamespace
        self.seriesUpdateInterval = seriesUpdateInterval
        self.aggregationWindow = aggregationWindow
        self.maximumTrackedEvents = maximumTrackedEvents
    }
}
