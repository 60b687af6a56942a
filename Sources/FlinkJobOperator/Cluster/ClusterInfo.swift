import Foundation
import ControllerRuntime
import Kubernetes

/// What the last successful probe of a session cluster found.
public struct ClusterInfo: Sendable, Hashable {
    /// The FlinkSessionCluster's name.
    public var name: String
    /// Flink's version (`2.3.0`).
    public var flinkVersion: String?
    /// `jobmanager.scheduler`; `.adaptive` allows in-place rescaling.
    public var scheduler: FlinkSessionClusterStatus.Scheduler
    /// Registered TaskManagers.
    public var taskManagers: Int
    /// Slots of all TaskManagers.
    public var slotsTotal: Int
    /// Free slots.
    public var slotsAvailable: Int
    /// Running jobs.
    public var jobsRunning: Int

    /// Info with the given values.
    public init(
        name: String, flinkVersion: String?, scheduler: FlinkSessionClusterStatus.Scheduler, taskManagers: Int,
        slotsTotal: Int, slotsAvailable: Int, jobsRunning: Int
    ) {
        self.name = name
        self.flinkVersion = flinkVersion
        self.scheduler = scheduler
        self.taskManagers = taskManagers
        self.slotsTotal = slotsTotal
        self.slotsAvailable = slotsAvailable
        self.jobsRunning = jobsRunning
    }

    /// Whether a running job's parallelism can change in place (adaptive scheduler).
    public var supportsInPlaceRescale: Bool { scheduler == .adaptive }

    /// Maps Flink's `jobmanager.scheduler` value (`adaptive`, `default`, `AdaptiveBatch`; absent = default).
    public static func scheduler(fromFlinkValue value: String?) -> FlinkSessionClusterStatus.Scheduler {
        switch value?.lowercased().replacingOccurrences(of: "_", with: "").replacingOccurrences(of: "-", with: "") {
        case "adaptive"?: .adaptive
        case "adaptivebatch"?: .adaptiveBatch
        default: .default
        }
    }
}
