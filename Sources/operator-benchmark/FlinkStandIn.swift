import FlinkTestSupport
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Synchronization

/// A stand-in for a Flink session cluster's REST API, for the memory benchmark only: a real local Flink cluster
/// cannot host 1,000 jobs on two cores. It answers the calls the operator makes with responses recorded from a
/// real Flink 2.3 cluster (`Tests/FlinkRESTTests/Fixtures/`), keeping each submitted job RUNNING.
/// Never used by tests: the integration and end-to-end tests always run real Flink.
final class FlinkStandIn: Sendable {
    let port: Int
    private let task: Task<Void, any Error>

    private init(port: Int, task: Task<Void, any Error>) {
        self.port = port
        self.task = task
    }

    static func start(fixtures: URL) async throws -> FlinkStandIn {
        func fixture(_ name: String) throws -> String {
            try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
        }
        let overview = try fixture("overview.json")
        let config = try fixture("jobmanager-config.json")
        let detailsTemplate = try fixture("job-details-running.json")
        let checkpoints = try fixture("checkpoints-running.json")
        let templateID = (try JSONSerialization.jsonObject(with: Data(detailsTemplate.utf8)) as? [String: Any])?["jid"] as? String ?? ""
        let jobs = JobTable()

        @Sendable func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
            Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        let router = Router()
        router.get("overview") { _, _ in json(overview) }
        router.get("jobmanager/config") { _, _ in json(config) }
        router.get("jars") { _, _ in
            let files = jobs.jars.map { #"{"id":"\#($0)","name":"\#($0.split(separator: "_").dropFirst().joined(separator: "_"))","uploaded":0,"entry":[]}"# }
            return json(#"{"address":"http://127.0.0.1","files":[\#(files.joined(separator: ","))]}"#)
        }
        router.post("jars/upload") { request, _ in
            let body = try await request.body.collect(upTo: 512 << 20)
            let text = String(buffer: body)
            let name = text.range(of: "filename=\"").flatMap { range in
                text[range.upperBound...].split(separator: "\"").first.map(String.init)
            } ?? "upload.jar"
            let id = "\(UUID().uuidString.lowercased())_\(name)"
            jobs.addJar(id)
            return json(#"{"filename":"/tmp/flink-web-upload/\#(id)","status":"success"}"#)
        }
        router.post("jars/:jar/run") { request, _ in
            let body = try await request.body.collect(upTo: 1 << 20)
            let object = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
            let id = object?["jobId"] as? String ?? UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            guard jobs.submit(id) else {
                return json(#"{"errors":["org.apache.flink.runtime.client.DuplicateApplicationSubmissionException: Job \#(id) already submitted."]}"#, status: .badRequest)
            }
            return json(#"{"jobid":"\#(id)"}"#)
        }
        router.get("jobs/:id/status") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard jobs.knows(id) else {
                return json(#"{"errors":["org.apache.flink.runtime.messages.FlinkJobNotFoundException: Could not find Flink job (\#(id))"]}"#, status: .internalServerError)
            }
            return json(#"{"status":"RUNNING"}"#)
        }
        router.get("jobs/:id") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard jobs.knows(id) else { return json(#"{"errors":["Job \#(id) not found"]}"#, status: .notFound) }
            return json(detailsTemplate.replacingOccurrences(of: templateID, with: id))
        }
        router.get("jobs/:id/checkpoints") { _, _ in json(checkpoints) }
        router.get("jobs/:id/metrics") { _, _ in json(#"[{"id":"numRestarts","value":"0"}]"#) }
        router.patch("jobs/:id") { _, _ in json("{}", status: .accepted) }

        let (port, task) = try await LoopbackHTTPServer.start(router, label: "flink-stand-in")
        return FlinkStandIn(port: port, task: task)
    }

    func stop() {
        task.cancel()
    }
}

/// The stand-in's jobs and jars.
private final class JobTable: Sendable {
    private let state = Mutex<(jobs: Set<String>, jars: [String])>(([], []))

    var jars: [String] { state.withLock { $0.jars } }

    func addJar(_ id: String) {
        state.withLock { $0.jars.append(id) }
    }

    func submit(_ id: String) -> Bool {
        state.withLock { $0.jobs.insert(id).inserted }
    }

    func knows(_ id: String) -> Bool {
        state.withLock { $0.jobs.contains(id) }
    }
}
