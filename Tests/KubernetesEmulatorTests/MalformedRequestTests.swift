import Foundation
import HTTPTransport
import JSONCore
import KubernetesEmulator
import Testing

/// Garbage in must give a 4xx Status like a real server, never a crash or a 5xx.
@Suite("Malformed requests")
struct MalformedRequestTests {
    static let bodies: [(String, String)] = [
        ("application/json", "{not json"),
        ("application/json", "[1, 2, 3]"),
        ("application/json", "\"just a string\""),
        ("application/json", #"{"apiVersion": 5, "kind": ["x"], "metadata": "nope"}"#),
        ("application/json", #"{"apiVersion": "flink.jobcontroller.io/v1alpha1", "kind": "FlinkJob", "metadata": {"name": "x", "labels": {"a": 1}}}"#),
        ("application/json", #"{"apiVersion": "flink.jobcontroller.io/v1alpha1", "kind": "FlinkJob", "metadata": {"name": "x"}, "spec": {"parallelism": 99999999999999999999}}"#),
        ("application/yaml", "a: [unclosed"),
        ("application/merge-patch+json", "{\"spec\": "),
        ("application/json-patch+json", #"[{"op": "explode", "path": "/spec"}]"#),
        ("application/json-patch+json", #"{"op": "add"}"#),
        ("application/apply-patch+yaml", "::: not yaml :::\n  - ["),
        ("application/strategic-merge-patch+json", "{}"),
        ("text/plain", "hello"),
    ]

    @Test func garbageBodiesGetClientErrorsOnEveryVerb() async throws {
        let emulator = try await Fixtures.emulator()
        let client = try TestClient(emulator)
        let collection = Fixtures.flinkJobs.path(namespace: "team-a")
        #expect(try await client.request("POST", collection, body: Fixtures.job("target")).status == 201)
        for (contentType, text) in Self.bodies {
            for (method, path, query) in [("POST", collection, ""), ("PUT", collection + "/target", ""),
                                          ("PATCH", collection + "/target", "?fieldManager=t"), ("PATCH", collection + "/target/status", ""),
                                          ("PUT", collection + "/target/scale", "")] {
                let response = try await client.client.execute(HTTPRequest(
                    method: HTTPMethod(rawValue: method), url: emulator.baseURL + path + query,
                    headers: ["Content-Type": contentType], body: .bytes(Data(text.utf8)),
                    auth: .bearer(StaticBearerToken(emulator.adminToken))))
                #expect((400..<500).contains(response.status), "\(method) \(path) \(contentType) \(text) → \(response.status)")
                if response.headers["Content-Type"] == "application/json" {
                    let status = try JSONValue(parsing: response.body)
                    #expect(status["kind"] == "Status" && status["status"] == "Failure")
                }
            }
        }
        // DeleteOptions that are not DeleteOptions.
        for text in ["{not json", "[1]", #"{"kind": "FlinkJob", "apiVersion": "v1"}"#, #"{"propagationPolicy": "Sideways"}"#,
                     #"{"gracePeriodSeconds": "soon"}"#] {
            let response = try await client.client.execute(HTTPRequest(
                method: .delete, url: emulator.baseURL + collection + "/target?dryRun=All", headers: ["Content-Type": "application/json"],
                body: .bytes(Data(text.utf8)), auth: .bearer(StaticBearerToken(emulator.adminToken))))
            #expect((400..<500).contains(response.status), "DELETE \(text) → \(response.status)")
        }
        // Selectors, limits and resource versions that do not parse.
        for query in ["labelSelector=a%20in%20(", "fieldSelector=spec.x%3D1", "limit=abc", "resourceVersion=abc",
                      "continue=garbage", "resourceVersionMatch=Exact", "watch=true&timeoutSeconds=x"] {
            let response = try await client.client.execute(HTTPRequest(
                url: emulator.baseURL + collection + "?" + query, auth: .bearer(StaticBearerToken(emulator.adminToken))))
            #expect((400..<500).contains(response.status), "\(query) → \(response.status)")
        }
        #expect(emulator.object(Fixtures.flinkJobs, namespace: "team-a", name: "target") != nil)
        await client.close()
        await emulator.stop()
    }

    @Test func unknownPathsAndMethodsAnswerLikeTheRealRouter() async throws {
        let emulator = try await Fixtures.emulator()
        let client = try TestClient(emulator)
        #expect(try await client.request("GET", "/apis/nope.example.com/v1/things").status == 404)
        #expect(try await client.request("GET", "/api/v2").status == 404)
        #expect(try await client.request("POST", Fixtures.flinkJobs.path(), body: Fixtures.job("x")).status == 405)
        #expect(try await client.request("PUT", Fixtures.flinkJobs.path(namespace: "team-a"), body: Fixtures.job("x")).status == 405)
        #expect(try await client.request("GET", Fixtures.flinkJobs.path(namespace: "team-a", name: "x", subresource: "logs")).status == 404)
        await client.close()
        await emulator.stop()
    }
}
