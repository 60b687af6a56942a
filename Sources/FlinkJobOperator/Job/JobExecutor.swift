import Crypto
import FlinkREST
import Foundation
import Kubernetes
import Logging

/// Performs the one Flink-side action a plan asks for and reports what happened.
///
/// Every action is safe to repeat: a submission under a job id Flink already knows comes back as `duplicateJob`
/// (reported as adopted), savepoint triggers carry the trigger id stored in status, cancelling an ended job is
/// harmless. Transport failures are reported as `unreachable`, never as a decision.
public struct JobExecutor: Sendable {
    let fetcher: ArtifactFetcher
    let uploads: JarUploads
    let references: any ReferenceLookup
    let clusters: any FlinkClusterAccess
    let logger: Logger
    /// Python programs are submitted alone per cluster (see `SubmissionGate`).
    let submissions = SubmissionGates()

    /// The wall clock (preparation times in status).
    let now: @Sendable () -> Date

    public init(
        fetcher: ArtifactFetcher, uploads: JarUploads, references: any ReferenceLookup, clusters: any FlinkClusterAccess,
        logger: Logger, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.now = now
        self.fetcher = fetcher
        self.uploads = uploads
        self.references = references
        self.clusters = clusters
        self.logger = logger
    }

    /// Performs `action` for `job` on `cluster`.
    public func perform(_ action: JobAction, job: FlinkJob, cluster: ClusterHandle) async -> ExecutionResult {
        var logger = self.logger
        logger[metadataKey: "flink.cluster"] = "\(cluster.name)"
        do throws(FlinkRESTError) {
            let result: ExecutionResult
            switch action {
            case .none, .removeFinalizer, .deleteObject:
                result = ExecutionResult(.done)
            case .prepare(let spec):
                result = try await prepareOnly(spec, job: job, cluster: cluster)
            case .deploy(let deployment):
                logger[metadataKey: "flink.job_id"] = "\(deployment.jobID)"
                result = try await deploy(deployment, job: job, cluster: cluster, logger: logger)
            case .triggerSavepoint(let request), .stopWithSavepoint(let request):
                var stop = false
                if case .stopWithSavepoint = action { stop = true }
                result = ExecutionResult(try await savepoint(request, stop: stop, cluster: cluster))
            case .cancel(let jobID):
                if let id = FlinkJobID(jobID) {
                    do { try await cluster.client.cancelJob(id) } catch .notFound {}
                }
                result = ExecutionResult(.done)
            case .rescale(let jobID, let parallelism):
                result = ExecutionResult(try await rescale(jobID, to: parallelism, cluster: cluster))
            case .disposeSavepoints(let paths):
                for path in paths {
                    do {
                        _ = try await cluster.client.disposeSavepoint(at: path)
                    } catch where !error.isTransient {
                        logger.warning("Flink refused to dispose of a savepoint", metadata: ["savepoint": "\(path)", "error": "\(error)"])
                    }
                }
                result = ExecutionResult(.done)
            }
            await clusters.recordRequest(cluster: cluster.name, failure: nil)
            return result
        } catch {
            if error.isTransient { await clusters.recordRequest(cluster: cluster.name, failure: error) }
            logger.warning("Flink request failed", metadata: ["error": "\(error)"])
            return ExecutionResult(.unreachable(message: error.description), retryAfter: error.retryAfter)
        }
    }

    // MARK: Prepare

    /// Fetches, verifies and uploads `spec`'s artifact without touching any job.
    func prepareOnly(_ spec: DeploySpec, job: FlinkJob, cluster: ClusterHandle) async throws(FlinkRESTError) -> ExecutionResult {
        do {
            let program = try await prepare(spec, job: job, cluster: cluster, cachedDigest: nil)
            let prepared = FlinkJobStatus.PreparedArtifact(
                specHash: spec.hash, cluster: cluster.name, jarId: program.jarID, uri: program.uri, digest: program.digest,
                time: KubeTime(now()))
            return ExecutionResult(.prepared(prepared))
        } catch let error as ArtifactError {
            return ExecutionResult(.artifactFailed(reason: error.reason, message: error.description))
        } catch let error as FlinkRESTError {
            throw error
        } catch {
            return ExecutionResult(.artifactFailed(reason: Reason.artifactUploadFailed.rawValue, message: "\(error)"))
        }
    }

    // MARK: Deploy

    func deploy(_ deployment: Deployment, job: FlinkJob, cluster: ClusterHandle, logger: Logger) async throws(FlinkRESTError)
        -> ExecutionResult
    {
        let program: Program
        do {
            // The bytes the preparation verified, from the cache: an artifact source that went away meanwhile
            // cannot take the job down.
            program = try await prepare(deployment.spec, job: job, cluster: cluster, cachedDigest: deployment.prepared?.digest)
        } catch let error as ArtifactError {
            return ExecutionResult(.artifactFailed(reason: error.reason, message: error.description))
        } catch let error as FlinkRESTError {
            throw error
        } catch {
            return ExecutionResult(.artifactFailed(reason: "ArtifactUploadFailed", message: "\(error)"))
        }
        let request = FlinkSubmission.runRequest(
            for: deployment, entryClass: program.entryClass, arguments: program.arguments,
            savepointDirectory: job.spec.savepoints?.directory ?? cluster.facts.defaultSavepointDirectory,
            checkpointDirectory: cluster.checkpointDirectory)
        let jarID = program.jarID
        do {
            let gate = await submissions.gate(for: cluster.name)
            let client = cluster.client
            _ = try await gate.withPermit(exclusive: program.entryClass == Self.pythonDriverClass) {
                () async throws(FlinkRESTError) in try await client.runJar(jarID, request)
            }
            logger.info("Submitted Flink job", metadata: ["flink.restore": "\(deployment.restorePath ?? "-")"])
            return ExecutionResult(.submitted(adopted: false), artifact: program.artifact(jarID: jarID))
        } catch .duplicateJob {
            logger.info("Flink already knows the job id; adopting the earlier submission")
            return ExecutionResult(.submitted(adopted: true), artifact: program.artifact(jarID: jarID))
        } catch .badRequest(let message) {
            return ExecutionResult(.submissionFailed(message: message), artifact: program.artifact(jarID: jarID))
        } catch .notFound(let message) {
            // The jar is gone (a JobManager restart wiped its upload directory): forget it, so the next
            // preparation uploads it again; nothing was submitted.
            await uploads.forget(jarID: jarID, cluster: cluster.name)
            return ExecutionResult(.jarMissing(message: message))
        } catch .serverError(let status, let message) {
            // Flink failed without saying the program is wrong: whether the job exists is unknown.
            await clusters.recordRequest(cluster: cluster.name, failure: .serverError(status: status, message: message))
            return ExecutionResult(.submissionInDoubt(message: "HTTP \(status): \(message)"), artifact: program.artifact(jarID: jarID))
        } catch where error.isTransient || error == .cancelled {
            if error.isTransient { await clusters.recordRequest(cluster: cluster.name, failure: error) }
            return ExecutionResult(.submissionInDoubt(message: error.description), artifact: program.artifact(jarID: jarID),
                                   retryAfter: error.retryAfter)
        }
    }

    /// What to run: a jar on the cluster, its entry class and program arguments.
    struct Program {
        var jarID: String
        var local: LocalArtifact
        var entryClass: String?
        var arguments: [String]
        var uri: String?
        var digest: String?
        /// The user's own uploaded program when it is not the jar that runs (Python archives).
        var programJarID: String?

        func artifact(jarID: String) -> FlinkJobStatus.ArtifactStatus {
            .init(uri: uri, digest: digest, flinkJarId: programJarID ?? jarID)
        }
    }

    /// Fetches (or takes from the cache: `cachedDigest`), verifies and uploads `spec`'s program.
    func prepare(_ spec: DeploySpec, job: FlinkJob, cluster: ClusterHandle, cachedDigest: String?) async throws -> Program {
        let artifact = spec.artifact
        let namespace = job.metadata.namespace ?? "default"
        if let jar = artifact.jar {
            let local = try await fetcher.fetch(
                jar.uri, expectedDigest: artifact.digest, cachedDigest: cachedDigest,
                allowedPrefixes: cluster.allowedURIPrefixes)
            try await verifySignature(artifact.signature, of: local, namespace: namespace, cluster: cluster)
            let jarID = try await uploads.jarID(for: local, cluster: cluster.name, client: cluster.client)
            return Program(
                jarID: jarID, local: local, entryClass: jar.entryClass, arguments: spec.args, uri: jar.uri,
                digest: local.digest)
        }
        if let sql = artifact.sql {
            guard let runner = fetcher.settings.sqlRunnerJar else {
                throw ArtifactError.unavailable(uri: "sql", reason: "the operator has no SQL runner jar configured (artifacts.sqlRunnerJar)")
            }
            let statements = try await sqlStatements(sql, namespace: namespace)
            let local = LocalArtifact(
                path: runner, digest: try ArtifactFetcher.digest(ofFileAt: runner, uri: runner), fileName: "sql-runner.jar",
                isRuntime: true)
            let jarID = try await uploads.jarID(for: local, cluster: cluster.name, client: cluster.client)
            return Program(
                jarID: jarID, local: local, entryClass: fetcher.settings.sqlRunnerEntryClass,
                arguments: statements + spec.args, uri: nil, digest: local.digest)
        }
        if let python = artifact.python {
            return try await preparePython(python, spec: spec, job: job, cluster: cluster, cachedDigest: cachedDigest)
        }
        throw ArtifactError.unsupportedURI("the artifact names no jar, python or sql program")
    }

    /// The entry class of Flink's Python driver.
    static let pythonDriverClass = "org.apache.flink.client.python.PythonDriver"

    /// A Python program runs through Flink's `PythonDriver` (in the `flink-python` jar): the user's module goes up
    /// as an archive and is passed by its path on the JobManager (`-pyfs`), the module name by `-pym`.
    func preparePython(
        _ python: FlinkJobSpec.Artifact.Python, spec: DeploySpec, job: FlinkJob, cluster: ClusterHandle, cachedDigest: String?
    ) async throws -> Program {
        guard let driverPath = fetcher.settings.pythonDriverJar else {
            throw ArtifactError.unavailable(
                uri: python.uri, reason: "the operator has no Python driver jar configured (artifacts.pythonDriverJar)")
        }
        let source = try await fetcher.fetch(
            python.uri, expectedDigest: spec.artifact.digest, cachedDigest: cachedDigest,
            allowedPrefixes: cluster.allowedURIPrefixes)
        try await verifySignature(
            spec.artifact.signature, of: source, namespace: job.metadata.namespace ?? "default", cluster: cluster)
        let archive: LocalArtifact
        let module: String
        if source.fileName.hasSuffix(".py") {
            module = python.module ?? String(source.fileName.dropLast(3))
            archive = try Self.pythonArchive(of: source, module: module, cacheDirectory: fetcher.settings.cacheDirectory)
        } else {
            guard let named = python.module else {
                throw ArtifactError.unsupportedURI("a Python archive needs artifact.python.module")
            }
            module = named
            archive = source
        }
        let uploaded = try await uploads.uploadedJar(for: archive, cluster: cluster.name, client: cluster.client)
        let driver = LocalArtifact(
            path: driverPath, digest: try ArtifactFetcher.digest(ofFileAt: driverPath, uri: driverPath),
            fileName: "flink-python.jar", isRuntime: true)
        let driverID = try await uploads.jarID(for: driver, cluster: cluster.name, client: cluster.client)
        return Program(
            jarID: driverID, local: driver, entryClass: Self.pythonDriverClass,
            arguments: ["-pym", module, "-pyfs", uploaded.path] + spec.args, uri: python.uri, digest: source.digest,
            programJarID: uploaded.id)
    }

    /// The stored ZIP of a single `.py` file, written streaming into the cache under its SHA-256.
    static func pythonArchive(of source: LocalArtifact, module: String, cacheDirectory: String) throws -> LocalArtifact {
        try FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true)
        let temporary = "\(cacheDirectory)/.zip-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        var hasher = SHA256()
        try StoredZip.write(fileAt: source.path, as: "\(module).py", to: temporary) { hasher.update(data: $0) }
        let hex = hasher.finalize().hexString
        let path = "\(cacheDirectory)/\(hex).zip"
        if !FileManager.default.fileExists(atPath: path) { try FileManager.default.moveItem(atPath: temporary, toPath: path) }
        return LocalArtifact(path: path, digest: "sha256:\(hex)", fileName: "\(module).zip")
    }

    /// SQL statements from the spec or from a ConfigMap key (statements end with `;` at the end of a line).
    func sqlStatements(_ sql: FlinkJobSpec.Artifact.SQL, namespace: String) async throws -> [String] {
        if let statements = sql.statements { return statements }
        guard let reference = sql.configMapRef else { return [] }
        let value: String?
        do {
            value = try await references.configMapValue(namespace: namespace, name: reference.name, key: reference.key)
        } catch {
            throw ArtifactError.unavailable(uri: "configmap:\(namespace)/\(reference.name)", reason: "cannot be read now: \(error)")
        }
        guard let script = value else {
            throw ArtifactError.referenceMissing("ConfigMap \(namespace)/\(reference.name) key \(reference.key)")
        }
        return Self.splitStatements(script)
    }

    /// Splits a script at semicolons that end a line; blank statements and `--` comment lines are dropped.
    static func splitStatements(_ script: String) -> [String] {
        var statements: [String] = []
        var current: [Substring] = []
        for line in script.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("--") { continue }
            if trimmed.hasSuffix(";") {
                var kept = Substring(line)
                while kept.last?.isWhitespace == true { kept.removeLast() }
                current.append(kept.dropLast())
                statements.append(current.joined(separator: "\n"))
                current = []
            } else {
                current.append(line)
            }
        }
        statements.append(current.joined(separator: "\n"))
        return statements.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
    }

    // MARK: Savepoints, rescale

    func savepoint(_ request: SavepointRequest, stop: Bool, cluster: ClusterHandle) async throws(FlinkRESTError)
        -> JobActionOutcome
    {
        guard let jobID = FlinkJobID(request.jobID), let triggerID = FlinkTriggerID(request.triggerID) else {
            return .savepointTriggerFailed(message: "invalid job or trigger id")
        }
        let format: SavepointFormatType = request.formatType == .native ? .native : .canonical
        do {
            if stop {
                _ = try await cluster.client.stopWithSavepoint(
                    jobID, targetDirectory: request.directory, drain: false, formatType: format, triggerID: triggerID)
            } else {
                _ = try await cluster.client.triggerSavepoint(
                    of: jobID, targetDirectory: request.directory, cancelJob: false, formatType: format, triggerID: triggerID)
            }
            return .done
        } catch .badRequest(let message), .notFound(let message) {
            return .savepointTriggerFailed(message: message)
        }
    }

    func rescale(_ jobID: String, to parallelism: Int, cluster: ClusterHandle) async throws(FlinkRESTError)
        -> JobActionOutcome
    {
        guard let id = FlinkJobID(jobID) else { return .rescaleFailed(message: "invalid job id \(jobID)") }
        do {
            let current = try await cluster.client.resourceRequirements(of: id)
            try await cluster.client.updateResourceRequirements(
                of: id, current.withAllVertices(lowerBound: 1, upperBound: parallelism))
            return .done
        } catch .badRequest(let message), .notFound(let message) {
            return .rescaleFailed(message: message)
        }
    }
}

/// What performing an action produced: the outcome, the artifact as deployed when there was a deployment, and
/// the delay a server asked for (`Retry-After`).
public struct ExecutionResult: Sendable, Hashable {
    public var outcome: JobActionOutcome
    public var artifact: FlinkJobStatus.ArtifactStatus?
    public var retryAfter: Duration?

    public init(_ outcome: JobActionOutcome, artifact: FlinkJobStatus.ArtifactStatus? = nil, retryAfter: Duration? = nil) {
        self.outcome = outcome
        self.artifact = artifact
        self.retryAfter = retryAfter
    }
}
