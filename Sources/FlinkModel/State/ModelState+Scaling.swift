import FlinkREST

/// `GET|PUT /jobs/:id/resource-requirements`: in-place rescaling on the adaptive scheduler only.
extension ModelState {
    /// The job at `jobID` if it can be rescaled in place; Flink's 404 for unknown and ended jobs, its 500 on
    /// the default and the adaptive batch scheduler.
    private func rescalableJob(_ jobID: FlinkJobID, request: String) throws(FlinkRESTError) -> Int {
        guard let index = jobManager.index(of: jobID), !jobManager.jobs[index].phase.isEnded else {
            throw FlinkAnswers.jobNotFound(request, jobID)
        }
        switch jobManager.jobs[index].schedulerType {
        case "Adaptive": return index
        case "AdaptiveBatch": throw FlinkAnswers.rescaleUnsupported(request, scheduler: "AdaptiveBatchScheduler")
        default: throw FlinkAnswers.rescaleUnsupported(request, scheduler: "DefaultScheduler")
        }
    }

    /// `GET /jobs/:id/resource-requirements`.
    func resourceRequirements(of jobID: FlinkJobID) throws(FlinkRESTError) -> JobResourceRequirements {
        let index = try rescalableJob(jobID, request: "GET /jobs/\(jobID)/resource-requirements")
        var vertices: [String: JobResourceRequirements.Bounds] = [:]
        for vertex in jobManager.jobs[index].vertices {
            vertices[vertex.id] = .init(lowerBound: vertex.lowerBound, upperBound: vertex.upperBound)
        }
        return JobResourceRequirements(vertices: vertices)
    }

    /// `PUT /jobs/:id/resource-requirements`: validates like Flink (every vertex, known vertices, bounds within
    /// 1…max parallelism), stores the bounds and rescales after `Timings.rescale` when the parallelism the job
    /// can get changes. Idempotent: the same requirements again change nothing.
    mutating func updateResourceRequirements(of jobID: FlinkJobID, _ requirements: JobResourceRequirements)
        throws(FlinkRESTError)
    {
        let call = ModelCall.updateResourceRequirements(jobID, requirements)
        let request = "PUT /jobs/\(jobID)/resource-requirements"
        do throws(FlinkRESTError) {
            let index = try rescalableJob(jobID, request: request)
            let vertices = jobManager.jobs[index].vertices
            var problems: [String] = []
            if requirements.vertices.isEmpty { problems.append("Request body does not specify resource requirements.") }
            let known = Set(vertices.map(\.id))
            for id in requirements.vertices.keys.sorted() where !known.contains(id) {
                problems.append("Job vertex [\(id)] was not found in the JobGraph.")
            }
            if !requirements.vertices.isEmpty {
                for vertex in vertices where requirements.vertices[vertex.id] == nil {
                    problems.append("The request is incomplete, missing job vertex [\(vertex.id)] resource requirements.")
                }
            }
            for vertex in vertices {
                guard let bounds = requirements.vertices[vertex.id] else { continue }
                if bounds.upperBound > vertex.maxParallelism {
                    problems.append(
                        "The newly requested parallelism \(bounds.upperBound) for the job vertex \(vertex.id) exceeds "
                            + "its maximum parallelism \(vertex.maxParallelism).")
                } else if bounds.lowerBound < 1 || bounds.lowerBound > bounds.upperBound {
                    problems.append(
                        "The requested bounds [\(bounds.lowerBound), \(bounds.upperBound)] for the job vertex "
                            + "\(vertex.id) are invalid.")
                }
            }
            guard problems.isEmpty else { throw FlinkAnswers.badRequirements(request, problems: problems) }
            for vertexIndex in vertices.indices {
                guard let bounds = requirements.vertices[vertices[vertexIndex].id] else { continue }
                jobManager.jobs[index].vertices[vertexIndex].lowerBound = bounds.lowerBound
                jobManager.jobs[index].vertices[vertexIndex].upperBound = bounds.upperBound
            }
            let job = jobManager.jobs[index]
            let reachable = min(job.desiredSlots, job.slots + freeSlots)
            let changes = job.vertices.contains { $0.parallelism != min($0.upperBound, reachable) }
            if changes, job.phase.isRunning, job.pendingRescaleAt == nil {
                jobManager.jobs[index].pendingRescaleAt = now + timings.rescale.wholeMilliseconds
            }
            record(call, .accepted)
        } catch {
            record(call, .failed(error))
            throw error
        }
    }
}
