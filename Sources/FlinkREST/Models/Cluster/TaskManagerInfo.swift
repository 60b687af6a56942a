/// One TaskManager of `GET /taskmanagers`.
public struct TaskManagerInfo: Codable, Hashable, Sendable {
    /// The machine the TaskManager runs on, as the JVM sees it.
    public struct Hardware: Codable, Hashable, Sendable {
        /// CPU cores.
        public var cpuCores: Int?
        /// Physical memory in bytes.
        public var physicalMemory: Int64?
        /// Free JVM memory in bytes.
        public var freeMemory: Int64?
        /// Managed memory in bytes.
        public var managedMemory: Int64?
    }

    /// The TaskManager's resource id.
    public var id: String
    /// Its RPC address.
    public var path: String?
    /// Its data port.
    public var dataPort: Int?
    /// Time of the last heartbeat (epoch ms).
    public var timeSinceLastHeartbeat: Int64?
    /// Slots it offers.
    public var slotsNumber: Int
    /// Slots not running anything.
    public var freeSlots: Int
    /// Its hardware.
    public var hardware: Hardware?
}

/// The body of `GET /taskmanagers`.
struct TaskManagerList: Codable {
    var taskmanagers: [TaskManagerInfo]
}
