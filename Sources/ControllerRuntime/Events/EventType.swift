/// The type of an event: `Normal` for what went as planned, `Warning` for what needs attention.
public enum EventType: String, Sendable, Hashable, Codable {
    case normal = "Normal"
    case warning = "Warning"
}
