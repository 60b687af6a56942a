/// The answer of `GET /jobs/:id/vertices/:vid/backpressure`.
///
/// Flink computes backpressure from task metrics refreshed about every 10 s; until the first refresh (and for an
/// unknown vertex) it answers `{"status": "deprecated"}`, and while the vertex's subtask metrics are still
/// missing it fails with 500 `NoSuchElementException`; both are `.unavailable` here.
public enum VertexBackpressure: Hashable, Sendable {
    /// No measurement yet (a young job) or no such vertex.
    case unavailable
    /// A measurement.
    case measured(BackpressureReport)
}

/// One backpressure measurement of a vertex.
///
/// The level is judged on the blocked (upstream) vertex: a busy operator itself reports `ok` with `busyRatio`
/// near 1.
public struct BackpressureReport: Codable, Hashable, Sendable {
    /// One subtask's ratios.
    public struct Subtask: Codable, Hashable, Sendable {
        /// The subtask index.
        public var subtask: Int
        /// Its level.
        public var level: BackpressureLevel
        /// Share of time backpressured (0…1).
        public var ratio: Double
        /// Share of time idle (0…1).
        public var idleRatio: Double?
        /// Share of time busy (0…1).
        public var busyRatio: Double?

        /// Creates a subtask measurement.
        public init(
            subtask: Int, level: BackpressureLevel, ratio: Double, idleRatio: Double? = nil, busyRatio: Double? = nil
        ) {
            self.subtask = subtask
            self.level = level
            self.ratio = ratio
            self.idleRatio = idleRatio
            self.busyRatio = busyRatio
        }

        enum CodingKeys: String, CodingKey {
            case subtask
            case level = "backpressureLevel"
            case ratio, idleRatio, busyRatio
        }

        /// Flink writes a ratio it cannot compute yet (a subtask that just started) as the string `"NaN"`: such a
        /// ratio decodes as absent.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            subtask = try c.decode(Int.self, forKey: .subtask)
            level = try c.decode(BackpressureLevel.self, forKey: .level)
            ratio = (try? c.decodeIfPresent(Double.self, forKey: .ratio)) ?? 0
            idleRatio = try? c.decodeIfPresent(Double.self, forKey: .idleRatio)
            busyRatio = try? c.decodeIfPresent(Double.self, forKey: .busyRatio)
        }
    }

    /// The vertex's level (the worst subtask's).
    public var level: BackpressureLevel
    /// When the measurement ended (epoch ms).
    public var endTimestamp: Int64?
    /// Per-subtask measurements.
    public var subtasks: [Subtask]

    /// Creates a measurement.
    public init(level: BackpressureLevel, endTimestamp: Int64? = nil, subtasks: [Subtask]) {
        self.level = level
        self.endTimestamp = endTimestamp
        self.subtasks = subtasks
    }

    /// The highest backpressure ratio of any subtask (0 when there are none).
    public var maxRatio: Double {
        subtasks.map(\.ratio).max() ?? 0
    }

    enum CodingKeys: String, CodingKey {
        case level = "backpressureLevel"
        case endTimestamp = "end-timestamp"
        case subtasks
    }
}

/// The raw body: `status` tells whether the rest is there.
struct BackpressureResponse: Decodable {
    var status: String
    var report: BackpressureReport?

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = try container.decode(String.self, forKey: .status)
        report = status == "ok" ? try BackpressureReport(from: decoder) : nil
    }

    enum CodingKeys: String, CodingKey {
        case status
    }
}
