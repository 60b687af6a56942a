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
    /// The identity Flink reports for the cluster: `high-availability.cluster-id` when set, else the JobManager's
    /// RPC address and port (stable across JobManager restarts, different for another cluster).
    public var flinkClusterId: String?
    /// The JobManager process instance (`web.tmpdir`, which Flink's default makes unique per start).
    public var jobManagerInstance: String?
    /// Flink's own default savepoint directory (`execution.checkpointing.savepoint-dir`, or the older
    /// `state.savepoints.dir`).
    public var savepointDirectory: String?
    /// Flink's own default checkpoint directory (`execution.checkpointing.dir`, or the older
    /// `state.checkpoints.dir`): where a job's `<job id>/chk-N` directories are when it sets none itself.
    public var checkpointDirectory: String?

    /// Info with the given values.
    public init(
        name: String, flinkVersion: String?, scheduler: FlinkSessionClusterStatus.Scheduler, taskManagers: Int,
        slotsTotal: Int, slotsAvailable: Int, jobsRunning: Int, flinkClusterId: String? = nil,
        jobManagerInstance: String? = nil, savepointDirectory: String? = nil, checkpointDirectory: String? = nil
    ) {
        self.checkpointDirectory = checkpointDirectory
        self.flinkClusterId = flinkClusterId
        self.jobManagerInstance = jobManagerInstance
        self.savepointDirectory = savepointDirectory
        self.name = name
        self.flinkVersion = flinkVersion
        self.scheduler = scheduler
        self.taskManagers = taskManagers
        self.slotsTotal = slotsTotal
        self.slotsAvailable = slotsAvailable
        self.jobsRunning = jobsRunning
    }

    /// The identity facts of a JobManager configuration.
    public static func identity(of configuration: [String: String])
        -> (clusterId: String?, jobManagerInstance: String?, savepointDirectory: String?, checkpointDirectory: String?)
    {
        let clusterId = configuration["high-availability.cluster-id"].flatMap { $0.isEmpty ? nil : "ha:\($0)" }
            ?? configuration["jobmanager.rpc.address"].map { "rpc:\($0):\(configuration["jobmanager.rpc.port"] ?? "6123")" }
        let savepoints = configuration["execution.checkpointing.savepoint-dir"] ?? configuration["state.savepoints.dir"]
        let checkpoints = configuration["execution.checkpointing.dir"] ?? configuration["state.checkpoints.dir"]
        return (clusterId, configuration["web.tmpdir"], savepoints, checkpoints)
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
