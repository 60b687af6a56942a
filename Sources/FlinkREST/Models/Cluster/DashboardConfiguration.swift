/// The web dashboard's configuration, `GET /config`: the cheapest way to learn the Flink version.
public struct DashboardConfiguration: Codable, Hashable, Sendable {
    /// Which dashboard features the cluster enables.
    public struct Features: Codable, Hashable, Sendable {
        /// Jar upload and run through REST (`web.submit.enable`).
        public var webSubmit: Bool?
        /// Job cancellation through REST (`web.cancel.enable`).
        public var webCancel: Bool?
        /// Rescaling from the dashboard; `false` even with the adaptive scheduler (use `JobManagerConfiguration`).
        public var webRescale: Bool?
        /// History server mode.
        public var webHistory: Bool?

        enum CodingKeys: String, CodingKey {
            case webSubmit = "web-submit"
            case webCancel = "web-cancel"
            case webRescale = "web-rescale"
            case webHistory = "web-history"
        }
    }

    /// How often the dashboard (and the cached job endpoints) refresh, in ms (`web.refresh-interval`).
    public var refreshInterval: Int64?
    /// The JobManager's time zone name.
    public var timeZoneName: String?
    /// The JobManager's time zone offset in ms.
    public var timeZoneOffset: Int64?
    /// Flink's version, e.g. `2.3.0`.
    public var flinkVersion: String
    /// Flink's source revision.
    public var flinkRevision: String?
    /// Enabled features.
    public var features: Features?

    enum CodingKeys: String, CodingKey {
        case refreshInterval = "refresh-interval"
        case timeZoneName = "timezone-name"
        case timeZoneOffset = "timezone-offset"
        case flinkVersion = "flink-version"
        case flinkRevision = "flink-revision"
        case features
    }
}
