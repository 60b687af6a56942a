import FlinkREST

/// `POST /jars/:jarid/run`: the checks in Flink's order, then a new job.
extension ModelState {
    /// Runs jar `jarID`'s program, which submits one job.
    ///
    /// Order of Flink's answers: unknown jar → `notFound`; no or missing entry class → `serverError` 500;
    /// `main()` failing → `badRequest` (no job, id unused); a job id seen since the JobManager started →
    /// `duplicateJob`; a missing `savepointPath`, or state of vertices the program lacks without
    /// `allowNonRestoredState` → `badRequest` **and** a FAILED job under the id (the id is used up); otherwise a
    /// job in INITIALIZING under the requested (or a generated) id.
    mutating func runJar(_ jarID: String, _ request: JarRunRequest) throws(FlinkRESTError) -> FlinkJobID {
        let call = ModelCall.runJar(jarID: jarID, request: request)
        do throws(FlinkRESTError) {
            let id = try submit(jarID, request)
            record(call, .submitted(id))
            return id
        } catch {
            record(call, .failed(error))
            throw error
        }
    }

    private mutating func submit(_ jarID: String, _ request: JarRunRequest) throws(FlinkRESTError) -> FlinkJobID {
        guard let jar = jars.first(where: { $0.id == jarID }) else {
            throw FlinkAnswers.jarToRunMissing(jarID, directory: configuration.uploadDirectory)
        }
        guard let entryClass = request.entryClass ?? jar.entryClass else { throw FlinkAnswers.noEntryClass(jarID) }
        let behaviour = program(entryClass: entryClass, jarName: jar.name)
        if behaviour.entryClassMissing { throw FlinkAnswers.entryClassMissing(jarID, entryClass: entryClass) }
        if let message = behaviour.mainFailure { throw FlinkAnswers.mainFailed(jarID, message: message) }

        let flinkConfiguration = request.flinkConfiguration ?? [:]
        let settings = JobSettings(configuration: flinkConfiguration, cluster: configuration)
        let name = behaviour.jobName ?? flinkConfiguration["pipeline.name"]
            ?? (settings.isBatch ? "Flink Batch Job" : "Flink Streaming Job")
        let jobID = request.jobID ?? random.jobID()
        guard !jobManager.seenJobIDs.contains(jobID) else { throw FlinkAnswers.duplicateJob(jarID, jobName: name) }

        let parallelism = max(
            1, request.parallelism ?? FlinkConfigValue.integer(flinkConfiguration["parallelism.default"])
                ?? configuration.defaultParallelism)
        let vertices = behaviour.vertexNames.enumerated().map { index, vertexName in
            ModelVertex(
                id: ModelVertex.id(forName: vertexName, index: index), name: vertexName,
                maxParallelism: configuration.maxParallelism, lowerBound: 1, upperBound: parallelism,
                parallelism: parallelism)
        }
        var restore: RestoreSource?
        var refusal: (error: FlinkRESTError, detail: String)?
        if let path = request.savepointPath {
            if let snapshot = storage.snapshot(at: path) {
                let vertexIDs = Set(vertices.map(\.id))
                if request.allowNonRestoredState != true,
                    let unmapped = snapshot.vertexIDs?.first(where: { !vertexIDs.contains($0) })
                {
                    refusal = (
                        FlinkAnswers.nonRestoredState(jarID, jobName: name, path: snapshot.path, vertexID: unmapped),
                        FlinkAnswers.nonRestoredStateMessage(path: snapshot.path, vertexID: unmapped))
                } else {
                    restore = RestoreSource(
                        snapshot: snapshot, allowNonRestoredState: request.allowNonRestoredState ?? false,
                        claimMode: request.claimMode ?? .noClaim)
                }
            } else {
                refusal = (
                    FlinkAnswers.badSavepoint(jarID, jobName: name, path: path), FlinkAnswers.missingSnapshot(path))
            }
        }
        let schedulerType = settings.isBatch
            ? "AdaptiveBatch" : configuration.scheduler == .adaptive ? "Adaptive" : "Default"
        let job = ModelJob(
            id: jobID, name: name, jarID: jarID, entryClass: entryClass, request: request, settings: settings,
            behaviour: behaviour, schedulerType: schedulerType, submittedAt: now, restore: restore,
            vertices: vertices,
            phase: .initializing(until: now + timings.jobInitialization.wholeMilliseconds))
        jobManager.seenJobIDs.insert(jobID)
        jobManager.jobs.append(job)
        let index = jobManager.jobs.count - 1
        note(.jobStateChanged(jobID, .initializing))
        if let refusal {
            // Flink's JobMaster fails to start: the job is listed FAILED (no vertices) and the id is used up.
            let cause = FlinkAnswers.initializationFailed(refusal.detail)
            jobManager.jobs[index].failureCause = cause
            jobManager.jobs[index].exceptions = [
                JobExceptionHistory.Entry(
                    exceptionName: cause.className, stackTrace: cause.stackTrace, timestamp: now, failureLabels: [:],
                    concurrentExceptions: []),
            ]
            end(index, .failed)
            throw refusal.error
        }
        return jobID
    }
}
