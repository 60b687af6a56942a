import Foundation
import JSONCore

/// A recorded kube-apiserver exchange from `Tests/KubernetesEmulatorTests/Conformance`.
struct Transcript {
    /// One request/response pair.
    struct Step {
        var json: JSONValue
        var method: String { json[path: ["request", "method"]]?.stringValue ?? "" }
        var path: String { json[path: ["request", "path"]]?.stringValue ?? "" }
        var status: Int { Int(json[path: ["response", "status"]]?.integerValue ?? 0) }
        var responseBody: JSONValue? { json[path: ["response", "body"]] }
        var requestBody: JSONValue? { json[path: ["request", "body"]] }
        var stream: [JSONValue] { json[path: ["response", "stream"]]?.arrayValue ?? [] }

        /// The response body as bytes, as the server sent it (JSON, or the raw text of a non-JSON answer).
        func responseData() throws -> Data {
            guard let body = responseBody else { return Data() }
            if case .string(let text) = body { return Data(text.utf8) }
            return try body.encodedData()
        }
    }

    var steps: [Step]

    /// Loads `<name>.json`.
    init(_ name: String) throws {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("KubernetesEmulatorTests/Conformance/\(name).json")
        let json = try JSONValue(parsing: try Data(contentsOf: url))
        steps = (json["steps"]?.arrayValue ?? []).map { Step(json: Self.denormalize($0)) }
    }

    /// The recorder replaced server timestamps by `"<time>"`; put a real one back so time fields decode.
    private static func denormalize(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string("<time>"): .string("2024-05-01T09:59:58Z")
        case .array(let items): .array(items.map(denormalize))
        case .object(let members): .object(members.mapValues(denormalize))
        default: value
        }
    }

    /// The steps matching a method and a status code.
    func steps(_ method: String, status: Int) -> [Step] {
        steps.filter { $0.method == method && $0.status == status }
    }
}
