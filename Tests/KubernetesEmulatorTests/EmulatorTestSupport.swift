import Foundation
import HTTPTransport
import JSONCore
import KubernetesEmulator

/// A small HTTPS client for the emulator's own tests.
struct TestClient {
    let emulator: KubernetesEmulator
    let client: CurlHTTPClient
    let token: String?

    init(_ emulator: KubernetesEmulator, token: String? = nil, anonymous: Bool = false) throws {
        self.emulator = emulator
        client = try CurlHTTPClient(configuration: .init(
            tls: TLSConfiguration(trustRoots: .pem(emulator.caCertificatePEM)), connectTimeout: .seconds(5),
            requestTimeout: .seconds(30)))
        self.token = anonymous ? nil : (token ?? emulator.adminToken)
    }

    struct Answer {
        var status: Int
        var body: JSONValue?
        var headers: HTTPHeaders
    }

    private func url(_ path: String, _ query: [String: String]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let q = query.keys.sorted().map { "\($0)=\(query[$0]?.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
        return emulator.baseURL + path + (q.isEmpty ? "" : "?" + q.joined(separator: "&"))
    }

    func request(_ method: String, _ path: String, query: [String: String] = [:], body: JSONValue? = nil,
                 contentType: String = "application/json", accept: String? = nil) async throws -> Answer {
        var headers: HTTPHeaders = [:]
        if let accept { headers["Accept"] = accept }
        var payload = HTTPRequestBody.empty
        if let body {
            headers["Content-Type"] = contentType
            payload = .bytes(try body.encodedData())
        }
        let response = try await client.execute(HTTPRequest(
            method: HTTPMethod(rawValue: method), url: url(path, query), headers: headers, body: payload,
            auth: token.map { .bearer(StaticBearerToken($0)) }))
        return Answer(status: response.status, body: try? JSONValue(parsing: response.body), headers: response.headers)
    }

    func watch(_ path: String, query: [String: String] = [:], expecting: Int = 0, accept: String? = nil) async throws -> WatchCollector {
        var q = query
        q["watch"] = "true"
        var headers: HTTPHeaders = [:]
        if let accept { headers["Accept"] = accept }
        let response = try await client.stream(HTTPRequest(method: .get, url: url(path, q), headers: headers,
                                                           auth: token.map { .bearer(StaticBearerToken($0)) }))
        return WatchCollector(response: response, expected: expecting)
    }

    func close() async { await client.shutdown() }
}

enum Fixtures {
    static let flinkJobs = GroupVersionResource(group: "flink.jobcontroller.io", version: "v1alpha1", resource: "flinkjobs")

    /// An emulator with `team-a`, `team-b` and the conformance README's CRDs.
    static func emulator(_ configure: (inout KubernetesEmulator.Configuration) -> Void = { _ in }) async throws -> KubernetesEmulator {
        var configuration = KubernetesEmulator.Configuration()
        configuration.namespaces = ["team-a", "team-b"]
        configure(&configuration)
        let emulator = try await KubernetesEmulator.start(configuration)
        for crd in try ReplayRunner.readmeCRDs() { try await emulator.installCRD(crd) }
        return emulator
    }

    static func job(_ name: String, parallelism: Int64 = 2, labels: [String: String] = [:]) -> JSONValue {
        var metadata: JSONValue = ["name": .string(name)]
        if !labels.isEmpty { metadata["labels"] = .object(labels.mapValues(JSONValue.string)) }
        return ["apiVersion": "flink.jobcontroller.io/v1alpha1", "kind": "FlinkJob", "metadata": metadata,
                "spec": ["parallelism": .integer(parallelism)]]
    }

    /// The repository root (for `crds/` and `examples/`).
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
}
