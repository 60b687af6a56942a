import Foundation
import HTTPTransport

extension FlinkRESTClient {
    /// Uploads a jar, streamed from disk: `POST /jars/upload` (multipart field `jarfile`).
    ///
    /// Not idempotent: every upload stores a new copy under a new id. Flink checks only the `.jar` suffix of
    /// `fileName` (a zip of Python modules named `*.jar` is accepted and usable with `-pyfs`).
    /// - Parameters:
    ///   - path: the local file.
    ///   - fileName: the name Flink stores it under (`<uuid>_<fileName>`); defaults to the file's own name.
    /// - Throws: `invalidRequest` when the file cannot be read, `badRequest` when Flink refuses the name.
    public func uploadJar(at path: String, fileName: String? = nil) async throws(FlinkRESTError) -> UploadedJar {
        let name = fileName ?? URL(fileURLWithPath: path).lastPathComponent
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw .invalidRequest("POST /jars/upload: cannot read the jar file \(path)")
        }
        let part = MultipartPart(
            name: "jarfile",
            filename: name,
            contentType: "application/x-java-archive",
            content: .file(path: path)
        )
        let response = try await send(.post, "/jars/upload", body: .multipart([part]), timeout: submissionTimeout)
        let upload = try decode(JarUploadResponse.self, from: response, request: "POST /jars/upload")
        let id = URL(fileURLWithPath: upload.filename).lastPathComponent
        guard !id.isEmpty else {
            throw .unexpectedResponse(status: response.status, snippet: "POST /jars/upload: empty file name in answer")
        }
        return UploadedJar(id: id, path: upload.filename)
    }

    /// The uploaded jars: `GET /jars`. Idempotent.
    public func listJars() async throws(FlinkRESTError) -> [JarFileInfo] {
        try await get("/jars", as: JarList.self).files
    }

    /// Deletes an uploaded jar: `DELETE /jars/:jarid`. Idempotent in effect: deleting a missing jar throws
    /// `notFound` (Flink says 400 "File … does not exist"), which callers cleaning up may ignore.
    public func deleteJar(_ jarID: String) async throws(FlinkRESTError) {
        do {
            _ = try await send(.delete, "/jars/\(Self.segment(jarID))")
        } catch .badRequest(let message) where message.contains("does not exist") {
            throw .notFound(message)
        }
    }

    /// Runs an uploaded jar's program, which submits one job: `POST /jars/:jarid/run`. Returns the job id.
    ///
    /// Synchronous: Flink answers once `main()` submitted the job (seconds for SQL or Python programs), so this
    /// uses the submission timeout.
    ///
    /// Idempotent only with `request.jobID`: Flink refuses a second submission under the same id, also of a job
    /// that ended, with `duplicateJob` — the job exists, look it up by that id. Without a job id, a retry after
    /// a timeout may start a second job.
    /// - Throws: `duplicateJob`; `notFound` when the jar id is unknown; `badRequest` when `main()` failed before
    ///   submitting (bad arguments, SQL errors) — no job exists and the id is not used — or when the savepoint
    ///   path is bad — Flink then leaves a FAILED job under the requested id, so that id is used up;
    ///   `serverError` for an unknown entry class.
    public func runJar(_ jarID: String, _ request: JarRunRequest) async throws(FlinkRESTError) -> FlinkJobID {
        let path = "/jars/\(Self.segment(jarID))/run"
        let response: HTTPResponse
        do {
            response = try await send(.post, path, json: request, timeout: submissionTimeout)
        } catch .serverError(_, let message) where message.contains("Jar file") && message.contains("does not exist") {
            throw .notFound(message)
        }
        return try decode(JarRunResponse.self, from: response, request: "POST \(path)").jobid
    }
}
