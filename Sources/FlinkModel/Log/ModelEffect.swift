import FlinkREST

/// One call that changes Flink, as it reached the model's JobManager: when, what with which arguments, and what
/// came of it.
///
/// Effects and `ModelEvent`s share one sequence, so a test can order calls against what the model did on its own
/// (e.g. "the stop's savepoint completed before the run restoring from it").
public struct ModelEffect: Sendable, Hashable, CustomStringConvertible {
    /// Position in the model's history (effects and events), from 1, strictly increasing.
    public var sequence: Int
    /// Model time of the call (epoch ms).
    public var time: Int64
    /// The call and its key arguments.
    public var call: ModelCall
    /// What the call answered.
    public var outcome: ModelOutcome

    /// The operation's name.
    public var operation: FlinkOperation { call.operation }

    /// Whether the call was refused (it may still have changed Flink: a bad savepoint path leaves a FAILED job).
    public var failed: Bool {
        if case .failed = outcome { return true }
        return false
    }

    public var description: String { "#\(sequence) @\(time) \(call) → \(outcome)" }
}

/// A mutating `FlinkService` call with its key arguments.
public enum ModelCall: Sendable, Hashable, CustomStringConvertible {
    /// `POST /jars/upload` of `path` under `fileName`.
    case uploadJar(path: String, fileName: String)
    /// `DELETE /jars/:jarid`.
    case deleteJar(jarID: String)
    /// `POST /jars/:jarid/run` with the whole request.
    case runJar(jarID: String, request: JarRunRequest)
    /// `PATCH /jobs/:id?mode=cancel`.
    case cancelJob(FlinkJobID)
    /// `POST /jobs/:id/savepoints`.
    case triggerSavepoint(FlinkJobID, targetDirectory: String?, cancelJob: Bool, triggerID: FlinkTriggerID?)
    /// `POST /jobs/:id/stop`.
    case stopWithSavepoint(FlinkJobID, targetDirectory: String?, drain: Bool, triggerID: FlinkTriggerID?)
    /// `POST /savepoint-disposal`.
    case disposeSavepoint(path: String)
    /// `PUT /jobs/:id/resource-requirements`.
    case updateResourceRequirements(FlinkJobID, JobResourceRequirements)

    /// The operation's name.
    public var operation: FlinkOperation {
        switch self {
        case .uploadJar: .uploadJar
        case .deleteJar: .deleteJar
        case .runJar: .runJar
        case .cancelJob: .cancelJob
        case .triggerSavepoint: .triggerSavepoint
        case .stopWithSavepoint: .stopWithSavepoint
        case .disposeSavepoint: .disposeSavepoint
        case .updateResourceRequirements: .updateResourceRequirements
        }
    }

    /// The job the call is about, if any (for `runJar` the requested id).
    public var jobID: FlinkJobID? {
        switch self {
        case .runJar(_, let request): request.jobID
        case .cancelJob(let id), .triggerSavepoint(let id, _, _, _), .stopWithSavepoint(let id, _, _, _),
            .updateResourceRequirements(let id, _):
            id
        case .uploadJar, .deleteJar, .disposeSavepoint: nil
        }
    }

    public var description: String {
        switch self {
        case .uploadJar(let path, let fileName): return "uploadJar(\(fileName) from \(path))"
        case .deleteJar(let jarID): return "deleteJar(\(jarID))"
        case .runJar(let jarID, let request):
            return "runJar(\(jarID), job \(request.jobID?.description ?? "-"), from \(request.savepointPath ?? "-"))"
        case .cancelJob(let id): return "cancelJob(\(id))"
        case .triggerSavepoint(let id, let directory, let cancel, let trigger):
            return "triggerSavepoint(\(id), dir \(directory ?? "-"), cancel \(cancel), trigger \(trigger?.description ?? "-"))"
        case .stopWithSavepoint(let id, let directory, let drain, let trigger):
            return "stopWithSavepoint(\(id), dir \(directory ?? "-"), drain \(drain), trigger \(trigger?.description ?? "-"))"
        case .disposeSavepoint(let path): return "disposeSavepoint(\(path))"
        case .updateResourceRequirements(let id, let requirements):
            let bounds = requirements.vertices.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.upperBound)" }
            return "updateResourceRequirements(\(id), \(bounds.joined(separator: ",")))"
        }
    }
}

/// What a mutating call answered.
public enum ModelOutcome: Sendable, Hashable, CustomStringConvertible {
    /// A jar was stored.
    case uploaded(UploadedJar)
    /// A job was submitted under this id.
    case submitted(FlinkJobID)
    /// A savepoint operation was started (`isNew`) or an existing one with the same trigger id answered.
    case triggered(FlinkTriggerID, isNew: Bool)
    /// A disposal was accepted under this trigger (its result: `InMemoryFlink.savepointDisposalStatus`).
    case disposalTriggered(FlinkTriggerID)
    /// Accepted (a cancel, a jar deletion, a rescale).
    case accepted
    /// Refused with this error.
    case failed(FlinkRESTError)

    public var description: String {
        switch self {
        case .uploaded(let jar): "uploaded \(jar.id)"
        case .submitted(let id): "submitted \(id)"
        case .triggered(let trigger, let isNew): "triggered \(trigger)\(isNew ? "" : " (existing)")"
        case .disposalTriggered(let trigger): "disposal \(trigger)"
        case .accepted: "accepted"
        case .failed(let error): "failed: \(error)"
        }
    }
}
