import FlinkREST

/// The read endpoints: Flink's shapes built from the model, always fresh (the model has no
/// `web.refresh-interval` cache).
extension ModelState {
    static let stateNames = [
        "INITIALIZING", "CREATED", "RUNNING", "FAILING", "FAILED", "CANCELLING", "CANCELED", "FINISHED", "RESTARTING",
        "SUSPENDED", "RECONCILING",
    ]

    /// The job at `jobID`, or Flink's 404 for `request`.
    func job(_ jobID: FlinkJobID, request: String) throws(FlinkRESTError) -> ModelJob {
        guard let index = jobManager.index(of: jobID) else { throw FlinkAnswers.jobNotFound(request, jobID) }
        return jobManager.jobs[index]
    }

    /// `GET /overview`.
    var clusterOverview: ClusterOverview {
        let jobs = jobManager.jobs
        return ClusterOverview(
            taskManagers: configuration.taskManagers, slotsTotal: configuration.totalSlots, slotsAvailable: freeSlots,
            jobsRunning: jobs.count { !$0.phase.isEnded }, jobsFinished: jobs.count { $0.state == .finished },
            jobsCancelled: jobs.count { $0.state == .canceled }, jobsFailed: jobs.count { $0.state == .failed },
            flinkVersion: "2.3.0", flinkCommit: "c0f8d1a")
    }

    /// `GET /jobmanager/config`: `jobmanager.scheduler` only on the adaptive scheduler, as in Flink.
    var jobManagerConfiguration: JobManagerConfiguration {
        var entries = [
            "jobmanager.rpc.address": configuration.jobManagerAddress,
            "jobmanager.rpc.port": String(configuration.jobManagerPort),
            "taskmanager.numberOfTaskSlots": String(configuration.slotsPerTaskManager),
            "parallelism.default": String(configuration.defaultParallelism),
            "execution.checkpointing.dir": configuration.checkpointDirectory,
            "web.upload.dir": configuration.uploadDirectory,
            "web.refresh-interval": "500",
            "jobmanager.execution.failover-strategy": "region",
        ]
        if let savepointDirectory = configuration.savepointDirectory {
            entries["execution.checkpointing.savepoint-dir"] = savepointDirectory
        }
        if configuration.scheduler == .adaptive { entries["jobmanager.scheduler"] = "adaptive" }
        entries.merge(configuration.additionalConfiguration) { _, additional in additional }
        return JobManagerConfiguration(entries: entries)
    }

    /// `GET /jobs/overview`, newest first.
    var jobsOverview: [JobOverview] {
        jobManager.jobs.reversed().map { job in
            JobOverview(
                id: job.id, name: job.name, jobType: job.settings.isBatch ? "BATCH" : "STREAMING",
                schedulerType: job.schedulerType, state: job.state, startTime: job.submittedAt,
                endTime: job.endedAt ?? -1, duration: (job.endedAt ?? now) - job.submittedAt,
                lastModification: job.lastModification, tasks: Self.sum(job.visibleVertices.map(job.taskCounts)))
        }
    }

    /// `GET /jobs/:id/status`; an unknown job is `notFound` (Flink's 500 as the client maps it).
    func jobStatus(_ jobID: FlinkJobID) throws(FlinkRESTError) -> FlinkJobState {
        guard let index = jobManager.index(of: jobID) else { throw FlinkAnswers.jobStatusNotFound(jobID) }
        return jobManager.jobs[index].state
    }

    /// `GET /jobs/:id`.
    func jobDetails(_ jobID: FlinkJobID) throws(FlinkRESTError) -> JobDetails {
        let job = try job(jobID, request: "GET /jobs/\(jobID)")
        var timestamps: [String: Int64] = [:]
        for name in Self.stateNames { timestamps[name] = job.timestamps[name] ?? 0 }
        let vertices = job.visibleVertices.map { vertex in
            JobVertex(
                id: vertex.id, name: vertex.name, parallelism: vertex.parallelism,
                maxParallelism: vertex.maxParallelism, status: job.taskState(of: vertex),
                startTime: job.deployedAt ?? -1, endTime: job.endedAt ?? -1, tasks: job.taskCounts(of: vertex))
        }
        let vertexStates = Self.sum(job.visibleVertices.map { JobTaskCounts(state: job.taskState(of: $0), count: 1) })
        return JobDetails(
            id: job.id, applicationID: job.id.hexString, name: job.name, state: job.state,
            jobType: job.settings.isBatch ? "BATCH" : "STREAMING", schedulerType: job.schedulerType,
            startTime: job.submittedAt, endTime: job.endedAt ?? -1, duration: (job.endedAt ?? now) - job.submittedAt,
            timestamps: timestamps, vertices: vertices, vertexStateCounts: vertexStates)
    }

    /// `GET /jobs/:id/exceptions`, newest first.
    func jobExceptions(_ jobID: FlinkJobID) throws(FlinkRESTError) -> JobExceptionHistory {
        JobExceptionHistory(entries: try job(jobID, request: "GET /jobs/\(jobID)/exceptions").exceptions)
    }

    /// `GET /jobs/:id/metrics?get=…`: as Flink's metric store, empty for jobs it has no metrics of (unknown,
    /// ended, initializing).
    func jobMetrics(_ jobID: FlinkJobID, names: [String]) -> [String: String] {
        guard let index = jobManager.index(of: jobID), jobManager.jobs[index].hasExecutionGraph,
            !jobManager.jobs[index].phase.isEnded
        else { return [:] }
        let job = jobManager.jobs[index]
        var uptime: Int64 = 0
        if case .running(let since) = job.phase { uptime = now - since }
        let statistics = job.checkpoints.statistics(
            inProgress: jobManager.savepoints.count { $0.jobID == jobID && $0.finishedAt == nil })
        var available = [
            "numRestarts": String(job.numRestarts),
            "fullRestarts": String(job.numRestarts),
            "uptime": String(uptime),
            "numberOfCompletedCheckpoints": String(statistics.counts.completed),
            "numberOfFailedCheckpoints": String(statistics.counts.failed),
            "numberOfInProgressCheckpoints": String(statistics.counts.inProgress),
            "totalNumberOfCheckpoints": String(statistics.counts.total),
        ]
        if let path = statistics.latest.completed?.externalPath { available["lastCheckpointExternalPath"] = path }
        var values: [String: String] = [:]
        for name in names { values[name] = available[name] }
        return values
    }

    /// `GET /jobs/:id/execution-result`.
    func jobExecutionResult(_ jobID: FlinkJobID) throws(FlinkRESTError) -> JobExecutionResultStatus {
        let job = try job(jobID, request: "GET /jobs/\(jobID)/execution-result")
        guard let endedAt = job.endedAt else { return .inProgress }
        let status: ApplicationStatus = switch job.state {
        case .finished: .succeeded
        case .canceled: .canceled
        default: .failed
        }
        return .completed(JobExecutionResult(
            id: job.id, name: job.name, applicationStatus: status, netRuntime: endedAt - job.submittedAt,
            startTime: job.submittedAt, endTime: endedAt, failureCause: job.state == .failed ? job.failureCause : nil))
    }

    /// `GET /jobs/:id/vertices/:vid/backpressure`: `.unavailable` (Flink's `deprecated`) for unknown jobs and
    /// vertices, jobs whose tasks do not all run, and during `Timings.backpressureWarmUp` after they started.
    func backpressure(of jobID: FlinkJobID, vertex vertexID: String) -> VertexBackpressure {
        guard let index = jobManager.index(of: jobID) else { return .unavailable }
        let job = jobManager.jobs[index]
        guard case .running(let since) = job.phase, now - since >= timings.backpressureWarmUp.wholeMilliseconds,
            let vertex = job.vertices.first(where: { $0.id == vertexID })
        else { return .unavailable }
        let ratio = job.backpressure[vertexID] ?? configuration.defaultBackpressureRatio
        let level: BackpressureLevel = ratio <= 0.1 ? .ok : ratio <= 0.5 ? .low : .high
        let subtasks = (0..<vertex.parallelism).map {
            BackpressureReport.Subtask(subtask: $0, level: level, ratio: ratio, idleRatio: max(0, 1 - ratio), busyRatio: 0)
        }
        return .measured(BackpressureReport(level: level, endTimestamp: now, subtasks: subtasks))
    }

    static func sum(_ counts: [JobTaskCounts]) -> JobTaskCounts {
        counts.reduce(into: JobTaskCounts()) { sum, tasks in
            sum.created += tasks.created
            sum.scheduled += tasks.scheduled
            sum.deploying += tasks.deploying
            sum.initializing += tasks.initializing
            sum.running += tasks.running
            sum.finished += tasks.finished
            sum.canceling += tasks.canceling
            sum.canceled += tasks.canceled
            sum.failed += tasks.failed
            sum.reconciling += tasks.reconciling
            sum.total += tasks.total
        }
    }
}

extension JobTaskCounts {
    /// `count` tasks in `state` (Flink's uppercase execution state name).
    init(state: String?, count: Int) {
        switch state {
        case "CREATED": self.init(created: count)
        case "SCHEDULED": self.init(scheduled: count)
        case "DEPLOYING": self.init(deploying: count)
        case "INITIALIZING": self.init(initializing: count)
        case "RUNNING": self.init(running: count)
        case "FINISHED": self.init(finished: count)
        case "CANCELING": self.init(canceling: count)
        case "FAILED": self.init(failed: count)
        default: self.init(canceled: count)
        }
    }
}
