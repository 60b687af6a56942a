import Foundation
import JSONCore

/// One recorded scenario (`Conformance/<name>.json`): requests made against a real kube-apiserver and its answers.
struct Transcript: Sendable {
    struct Request: Sendable {
        var method: String
        var path: String
        var query: [String: String]
        var headers: [String: String]
        var auth: String
        var body: JSONValue?
    }

    struct Response: Sendable {
        var status: Int
        var contentType: String?
        var warnings: [String]
        var body: JSONValue?
        var stream: [JSONValue]?
        var streamEnd: String?

        /// Whether the recorded stream was ended by the server (as opposed to the client giving up).
        var serverClosed: Bool { streamEnd?.hasPrefix("server closed") ?? false }
    }

    struct Step: Sendable {
        var index: Int
        var request: Request
        var response: Response
        var notes: String?

        var isWatch: Bool { response.stream != nil }
    }

    var scenario: String
    var steps: [Step]

    /// The directory holding the copied transcripts.
    static var directory: URL {
        get throws {
            guard let url = Bundle.module.url(forResource: "Conformance", withExtension: nil) else {
                throw ReplayError.missingTranscripts
            }
            return url
        }
    }

    /// Every scenario name (file names without `.json`), sorted.
    static func scenarioNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".json") }.map { String($0.dropLast(5)) }.sorted()
    }

    static func load(_ scenario: String) throws -> Transcript {
        let data = try Data(contentsOf: directory.appendingPathComponent("\(scenario).json"))
        let json = try JSONValue(parsing: data)
        var steps: [Step] = []
        for (index, step) in (json["steps"]?.arrayValue ?? []).enumerated() {
            let r = step["request"] ?? .null
            let p = step["response"] ?? .null
            let request = Request(
                method: r["method"]?.stringValue ?? "GET", path: r["path"]?.stringValue ?? "/",
                query: (r["query"]?.objectValue ?? [:]).compactMapValues(\.stringValue),
                headers: (r["headers"]?.objectValue ?? [:]).compactMapValues(\.stringValue),
                auth: r["auth"]?.stringValue ?? "admin", body: r["body"].flatMap { value -> JSONValue? in value.isNull ? .none : value })
            var warnings: [String] = []
            switch p[path: ["headers", "Warning"]] {
            case .string(let s): warnings = [s]
            case .array(let a): warnings = a.compactMap(\.stringValue)
            default: break
            }
            let response = Response(
                status: Int(p["status"]?.integerValue ?? 0), contentType: p[path: ["headers", "Content-Type"]]?.stringValue,
                warnings: warnings, body: p["body"], stream: p["stream"]?.arrayValue, streamEnd: p["stream_end"]?.stringValue)
            steps.append(Step(index: index, request: request, response: response, notes: step["notes"]?.stringValue))
        }
        return Transcript(scenario: json["scenario"]?.stringValue ?? scenario, steps: steps)
    }
}
