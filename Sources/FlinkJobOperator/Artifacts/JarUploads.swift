import FlinkREST
import Foundation
import Logging

/// Uploads each artifact once per digest per cluster and removes jars no FlinkJob needs any more.
///
/// Uploads are named `fjc-<first 16 hex of the SHA-256>-<original name>`, so after an operator restart the jar
/// for a digest is found again by listing the cluster's jars, and the collector only ever touches jars this
/// operator uploaded. The operator's own jars (SQL runner, Python driver) are named `fjc-runtime-…` and kept.
public actor JarUploads {
    private var known: [String: [String: String]] = [:]  // cluster → digest → jar id
    private var inFlight: [String: Task<UploadedJar, any Error>] = [:]
    private var lastUpload: [String: ContinuousClock.Instant] = [:]  // jar id → when uploaded
    private var paths: [String: String] = [:]  // jar id → path on the JobManager, when this process uploaded it
    private let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// The Flink file name an artifact is uploaded under.
    public static func uploadName(digest: String, fileName: String, runtime: Bool = false) -> String {
        let hex = digest.hasPrefix("sha256:") ? String(digest.dropFirst(7)) : digest
        var base = fileName.hasSuffix(".jar") ? String(fileName.dropLast(4)) : fileName
        base = String(base.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" }.prefix(80))
        return "\(runtime ? "fjc-runtime-" : "fjc-")\(hex.prefix(16))-\(base).jar"
    }

    /// The jar id of `artifact` on `cluster`, uploading it if the cluster does not have it yet.
    ///
    /// Idempotent: concurrent calls for the same digest share one upload.
    public func jarID(for artifact: LocalArtifact, cluster: String, client: any FlinkService) async throws -> String {
        try await upload(artifact, cluster: cluster, client: client, needPath: false).id
    }

    /// Like `jarID(for:cluster:client:)`, also giving the jar's path on the JobManager (Python programs are
    /// passed to Flink by that path). A jar found only by listing has no known path and is uploaded again.
    public func uploadedJar(for artifact: LocalArtifact, cluster: String, client: any FlinkService) async throws
        -> UploadedJar
    {
        try await upload(artifact, cluster: cluster, client: client, needPath: true)
    }

    private func upload(_ artifact: LocalArtifact, cluster: String, client: any FlinkService, needPath: Bool) async throws
        -> UploadedJar
    {
        if let id = known[cluster]?[artifact.digest], !needPath || paths[id] != nil {
            return UploadedJar(id: id, path: paths[id] ?? "")
        }
        let key = "\(cluster)\u{0}\(artifact.digest)\u{0}\(needPath)"
        if let running = inFlight[key] { return try await running.value }
        let logger = self.logger
        let task = Task<UploadedJar, any Error> {
            let name = Self.uploadName(digest: artifact.digest, fileName: artifact.fileName, runtime: artifact.isRuntime)
            if !needPath, let existing = try await client.listJars().first(where: { $0.name == name }) {
                return UploadedJar(id: existing.id, path: "")
            }
            let uploaded = try await client.uploadJar(at: artifact.path, fileName: name)
            logger.info("Uploaded artifact", metadata: [
                "flink.cluster": "\(cluster)", "artifact.digest": "\(artifact.digest)", "flink.jar_id": "\(uploaded.id)",
            ])
            return uploaded
        }
        inFlight[key] = task
        defer { inFlight[key] = nil }
        let jar = try await task.value
        known[cluster, default: [:]][artifact.digest] = jar.id
        if !jar.path.isEmpty {
            paths[jar.id] = jar.path
            lastUpload[jar.id] = .now
        }
        return jar
    }

    /// Forgets a jar id (e.g. Flink said it does not exist), so the next call uploads again.
    public func forget(jarID: String, cluster: String) {
        known[cluster] = known[cluster]?.filter { $0.value != jarID }
    }

    /// Deletes this operator's jars on `cluster` that no FlinkJob references, leaving jars uploaded in the last
    /// `grace` alone (a deploy may be about to use them). Returns the deleted jar ids.
    public func collect(cluster: String, client: any FlinkService, referenced: Set<String>, grace: Duration = .seconds(300))
        async throws -> [String]
    {
        var deleted: [String] = []
        for jar in try await client.listJars()
        where jar.name.hasPrefix("fjc-") && !jar.name.hasPrefix("fjc-runtime-") && !referenced.contains(jar.id) {
            if let uploaded = lastUpload[jar.id], uploaded.duration(to: .now) < grace { continue }
            if Date().timeIntervalSince1970 * 1000 - Double(jar.uploaded) < grace.secondsDouble * 1000 { continue }
            try await client.deleteJar(jar.id)
            forget(jarID: jar.id, cluster: cluster)
            lastUpload[jar.id] = nil
            deleted.append(jar.id)
            logger.info("Deleted unused jar", metadata: ["flink.cluster": "\(cluster)", "flink.jar_id": "\(jar.id)"])
        }
        return deleted
    }
}
