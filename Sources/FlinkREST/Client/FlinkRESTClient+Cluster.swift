import HTTPTransport

extension FlinkRESTClient {
    /// TaskManagers, slots, job counts and the Flink version: `GET /overview`. Idempotent.
    public func clusterOverview() async throws(FlinkRESTError) -> ClusterOverview {
        try await get("/overview", as: ClusterOverview.self)
    }

    /// The dashboard configuration with the Flink version: `GET /config`. Idempotent.
    public func dashboardConfiguration() async throws(FlinkRESTError) -> DashboardConfiguration {
        try await get("/config", as: DashboardConfiguration.self)
    }

    /// The JobManager's effective configuration: `GET /jobmanager/config`. Idempotent.
    ///
    /// `usesAdaptiveScheduler` tells whether in-place rescaling is possible.
    public func jobManagerConfiguration() async throws(FlinkRESTError) -> JobManagerConfiguration {
        try await get("/jobmanager/config", as: JobManagerConfiguration.self)
    }

    /// The registered TaskManagers: `GET /taskmanagers`. Idempotent.
    public func taskManagers() async throws(FlinkRESTError) -> [TaskManagerInfo] {
        try await get("/taskmanagers", as: TaskManagerList.self).taskmanagers
    }
}
