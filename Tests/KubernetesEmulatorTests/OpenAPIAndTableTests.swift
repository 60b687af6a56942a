import Foundation
import HTTPTransport
import JSONCore
import KubernetesEmulator
import Testing

/// What real clients (kubectl, client-go) read beyond objects: the OpenAPI documents, aggregated discovery, and
/// server-side printed Tables — checked against the repository's CRDs.
@Suite("OpenAPI, aggregated discovery and Tables")
struct OpenAPIAndTableTests {
    static let tableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"
    static let discoveryAccept = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"
    static let jobs = "/apis/flink.jobcontroller.io/v1alpha1/namespaces/team-a/flinkjobs"

    /// An emulator serving the repository's CRDs, with namespace `team-a`.
    static func emulator() async throws -> KubernetesEmulator {
        var configuration = KubernetesEmulator.Configuration()
        configuration.namespaces = ["team-a"]
        let emulator = try await KubernetesEmulator.start(configuration)
        for file in ["flinkjob.yaml", "flinksessioncluster.yaml"] {
            try await emulator.installCRD(yaml: try String(contentsOf: Fixtures.repositoryRoot.appendingPathComponent("crds/\(file)"), encoding: .utf8))
        }
        return emulator
    }

    static func job(_ name: String, parallelism: Int64 = 2) -> JSONValue {
        ["apiVersion": "flink.jobcontroller.io/v1alpha1", "kind": "FlinkJob", "metadata": ["name": .string(name)],
         "spec": ["artifact": ["jar": ["uri": "https://example.com/job.jar"]], "parallelism": .integer(parallelism)]]
    }

    // MARK: OpenAPI

    @Test func theV3IndexListsEveryServedGroupVersionWithAHashedURL() async throws {
        let emulator = try await Self.emulator()
        let client = try TestClient(emulator)
        let index = try await client.request("GET", "/openapi/v3")
        #expect(index.status == 200)
        let paths = try #require(index.body?["paths"]?.objectValue)
        #expect(Set(paths.keys) == ["api/v1", "apis/apiextensions.k8s.io/v1", "apis/coordination.k8s.io/v1",
                                    "apis/events.k8s.io/v1", "apis/flink.jobcontroller.io/v1alpha1"])
        let url = try #require(paths["apis/flink.jobcontroller.io/v1alpha1"]?["serverRelativeURL"]?.stringValue)
        #expect(url.hasPrefix("/openapi/v3/apis/flink.jobcontroller.io/v1alpha1?hash="))
        let hash = String(url.split(separator: "=").last ?? "")

        let current = try await client.request("GET", "/openapi/v3/apis/flink.jobcontroller.io/v1alpha1", query: ["hash": hash])
        #expect(current.status == 200)
        #expect(current.headers["Cache-Control"] == "public, immutable")
        let stale = try await client.request("GET", "/openapi/v3/apis/flink.jobcontroller.io/v1alpha1", query: ["hash": "0BAD"])
        #expect(stale.status == 301)
        #expect(stale.headers["Location"] == url)
        let protobuf = try await client.request("GET", "/openapi/v3/apis/flink.jobcontroller.io/v1alpha1",
                                                accept: "application/com.github.proto-openapi.spec.v3@v1.0+protobuf")
        #expect(protobuf.status == 406)
        #expect(try await TestClient(emulator, anonymous: true).request("GET", "/openapi/v3").status == 403)
        await client.close()
        await emulator.stop()
    }

    @Test func aCRDsDocumentCarriesItsStructuralSchemaDescriptionsAndOperations() async throws {
        let emulator = try await Self.emulator()
        let client = try TestClient(emulator)
        let document = try #require(try await client.request("GET", "/openapi/v3/apis/flink.jobcontroller.io/v1alpha1").body)
        #expect(document["openapi"] == "3.0.0")
        let schemas = try #require(document[path: ["components", "schemas"]]?.objectValue)
        let job = try #require(schemas["io.jobcontroller.flink.v1alpha1.FlinkJob"])
        #expect(job["x-kubernetes-group-version-kind"] == [["group": "flink.jobcontroller.io", "kind": "FlinkJob", "version": "v1alpha1"]])
        #expect(job["description"]?.stringValue?.hasPrefix("FlinkJob runs one Apache Flink job") == true)
        #expect(job[path: ["properties", "metadata", "allOf"]] == [["$ref": "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]])
        #expect(schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]?[path: ["properties", "name", "description"]] != nil)
        let parallelism = try #require(job[path: ["properties", "spec", "properties", "parallelism"]])
        #expect(parallelism["type"] == "integer" && parallelism["minimum"] == 1 && parallelism["default"] == 1)
        #expect(parallelism["description"]?.stringValue?.contains("kubectl scale") == true)
        #expect(job[path: ["properties", "spec", "properties", "type", "enum"]] == ["Streaming", "Batch"])
        #expect(schemas["io.jobcontroller.flink.v1alpha1.FlinkJobList"]?[path: ["properties", "items", "items", "allOf"]] != nil)
        #expect(schemas["io.k8s.api.autoscaling.v1.Scale"] != nil)

        let item = try #require(document[path: ["paths", "/apis/flink.jobcontroller.io/v1alpha1/namespaces/{namespace}/flinkjobs/{name}"]])
        let patch = try #require(item["patch"])
        #expect(patch["x-kubernetes-action"] == "patch")
        #expect(patch["x-kubernetes-group-version-kind"] == ["group": "flink.jobcontroller.io", "kind": "FlinkJob", "version": "v1alpha1"])
        let parameters = (patch["parameters"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        #expect(parameters == ["dryRun", "fieldManager", "fieldValidation", "force"])
        let media = Set(patch[path: ["requestBody", "content"]]?.objectValue?.keys.map { $0 } ?? [])
        #expect(media == ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"])
        #expect(document[path: ["paths", "/apis/flink.jobcontroller.io/v1alpha1/namespaces/{namespace}/flinkjobs/{name}/scale", "put"]] != nil)
        #expect(document[path: ["paths", "/apis/flink.jobcontroller.io/v1alpha1/flinksessionclusters/{name}/status", "patch"]] != nil)
        #expect(document[path: ["paths", "/apis/flink.jobcontroller.io/v1alpha1/flinkjobs", "get", "x-kubernetes-action"]] == "list")

        let core = try #require(try await client.request("GET", "/openapi/v3/api/v1").body)
        let secret = try #require(core[path: ["components", "schemas", "io.k8s.api.core.v1.Secret"]])
        #expect(secret[path: ["properties", "data", "additionalProperties", "format"]] == "byte")
        #expect(core[path: ["paths", "/api/v1/namespaces/{namespace}/secrets/{name}", "patch", "requestBody", "content",
                            "application/strategic-merge-patch+json"]] != nil)
        await client.close()
        await emulator.stop()
    }

    @Test func theV2DocumentHasEveryKindAndPath() async throws {
        let emulator = try await Self.emulator()
        let client = try TestClient(emulator)
        let document = try #require(try await client.request("GET", "/openapi/v2").body)
        #expect(document["swagger"] == "2.0")
        let job = try #require(document[path: ["definitions", "io.jobcontroller.flink.v1alpha1.FlinkJob"]])
        #expect(job[path: ["properties", "metadata", "$ref"]] == "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")
        #expect(job[path: ["properties", "spec", "properties", "parallelism", "default"]] == nil)
        let patch = try #require(document[path: ["paths", "/apis/coordination.k8s.io/v1/namespaces/{namespace}/leases/{name}", "patch"]])
        #expect((patch["parameters"]?.arrayValue ?? []).contains { $0["name"] == "fieldValidation" && $0["in"] == "query" })
        await client.close()
        await emulator.stop()
    }

    // MARK: Discovery

    @Test func aggregatedDiscoveryListsWhatTheLegacyDocumentsAndOpenAPIDescribe() async throws {
        let emulator = try await Self.emulator()
        let client = try TestClient(emulator)
        for root in ["/api", "/apis"] {
            let aggregated = try await client.request("GET", root, accept: Self.discoveryAccept)
            #expect(aggregated.status == 200)
            #expect(aggregated.headers["Content-Type"] == "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList")
            #expect(aggregated.body?["kind"] == "APIGroupDiscoveryList")
            for group in aggregated.body?["items"]?.arrayValue ?? [] {
                let name = group[path: ["metadata", "name"]]?.stringValue ?? ""
                for version in group["versions"]?.arrayValue ?? [] {
                    let v = version["version"]?.stringValue ?? ""
                    let prefix = name.isEmpty ? "/api/\(v)" : "/apis/\(name)/\(v)"
                    let legacy = try await client.request("GET", prefix)
                    let legacyNames = Set((legacy.body?["resources"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue })
                    var aggregatedNames: Set<String> = []
                    for resource in version["resources"]?.arrayValue ?? [] {
                        let plural = resource["resource"]?.stringValue ?? ""
                        aggregatedNames.insert(plural)
                        for sub in resource["subresources"]?.arrayValue ?? [] {
                            aggregatedNames.insert("\(plural)/\(sub["subresource"]?.stringValue ?? "")")
                        }
                    }
                    #expect(aggregatedNames == legacyNames, "\(prefix)")
                    let key = name.isEmpty ? "api/\(v)" : "apis/\(name)/\(v)"
                    let openAPI = try #require(try await client.request("GET", "/openapi/v3/\(key)").body)
                    let paths = Set(openAPI["paths"]?.objectValue?.keys.map { $0 } ?? [])
                    for resource in version["resources"]?.arrayValue ?? [] {
                        let plural = resource["resource"]?.stringValue ?? ""
                        let namespaced = resource["scope"] == "Namespaced"
                        let collection = namespaced ? "\(prefix)/namespaces/{namespace}/\(plural)" : "\(prefix)/\(plural)"
                        #expect(paths.contains(collection), "\(collection)")
                        for sub in resource["subresources"]?.arrayValue ?? [] where sub["subresource"] != "finalize" {
                            #expect(paths.contains("\(collection)/{name}/\(sub["subresource"]?.stringValue ?? "")"))
                        }
                    }
                }
            }
        }
        let legacy = try await client.request("GET", "/apis")
        #expect(legacy.body?["kind"] == "APIGroupList")
        await client.close()
        await emulator.stop()
    }

    // MARK: Tables

    @Test func aCustomResourceTablePrintsItsPrinterColumnsWithTypedCells() async throws {
        let emulator = try await Self.emulator()
        let client = try TestClient(emulator)
        #expect(try await client.request("POST", Self.jobs, body: Self.job("clicks")).status == 201)
        #expect(try await client.request("POST", Self.jobs, body: Self.job("fresh", parallelism: 1)).status == 201)
        let status: JSONValue = ["status": [
            "state": "Running", "parallelism": 2, "job": ["id": "0123456789abcdef0123456789abcdef", "flinkState": "RUNNING"],
            "conditions": [["type": "Progressing", "status": "False", "reason": "Done", "message": "", "lastTransitionTime": "2024-01-01T00:00:00Z"],
                           ["type": "Ready", "status": "True", "reason": "Running", "message": "", "lastTransitionTime": "2024-01-01T00:00:00Z"]],
        ]]
        #expect(try await client.request("PATCH", "\(Self.jobs)/clicks/status", body: status, contentType: "application/merge-patch+json").status == 200)

        let table = try await client.request("GET", Self.jobs, accept: Self.tableAccept)
        #expect(table.status == 200)
        #expect(table.headers["Content-Type"] == "application/json;as=Table;v=v1;g=meta.k8s.io")
        let body = try #require(table.body)
        #expect(body["kind"] == "Table" && body["apiVersion"] == "meta.k8s.io/v1")
        let columns = (body["columnDefinitions"]?.arrayValue ?? []).map { "\($0["name"]?.stringValue ?? ""):\($0["type"]?.stringValue ?? ""):\($0["priority"]?.integerValue ?? -1)" }
        #expect(columns == ["Name:string:0", "State:string:0", "Flink State:string:0", "Job ID:string:0", "Parallelism:integer:0",
                            "Ready:string:0", "Desired:integer:1", "Cluster:string:1", "Last Run:date:1", "Next Run:date:1", "Age:date:0"])
        let rows = body["rows"]?.arrayValue ?? []
        #expect(rows.count == 2)
        let cells = try #require(rows.first?["cells"]?.arrayValue)
        #expect(Array(cells.prefix(10)) == ["clicks", "Running", "RUNNING", "0123456789abcdef0123456789abcdef", 2, "True", 2, "default", .null, .null])
        #expect(cells.last?.stringValue?.hasSuffix("s") == true)
        #expect(rows.last?["cells"]?.arrayValue.map { Array($0.prefix(7)) } == ["fresh", .null, .null, .null, .null, .null, 1])
        #expect(rows.first?[path: ["object", "kind"]] == "PartialObjectMetadata")
        #expect(rows.first?[path: ["object", "metadata", "name"]] == "clicks")
        #expect(rows.first?[path: ["object", "metadata", "managedFields"]] == nil)
        #expect(body[path: ["metadata", "resourceVersion"]]?.stringValue?.isEmpty == false)

        let one = try await client.request("GET", "\(Self.jobs)/clicks", query: ["includeObject": "Object"], accept: Self.tableAccept)
        #expect(one.body?["rows"]?.arrayValue?.count == 1)
        #expect(one.body?[path: ["rows"]]?.arrayValue?.first?[path: ["object", "spec", "parallelism"]] == 2)
        let plain = try await client.request("GET", "\(Self.jobs)/clicks")
        #expect(plain.body?["kind"] == "FlinkJob")
        await client.close()
        await emulator.stop()
    }

    @Test func aWatchAskedForTablesStreamsOneRowTablesWithHeadersOnlyFirst() async throws {
        let emulator = try await Self.emulator()
        let client = try TestClient(emulator)
        #expect(try await client.request("POST", Self.jobs, body: Self.job("clicks")).status == 201)
        let watch = try await client.watch(Self.jobs, expecting: 2, accept: Self.tableAccept)
        #expect(try await client.request("POST", Self.jobs, body: Self.job("orders", parallelism: 3)).status == 201)
        await watch.waitForCount(timeout: .seconds(5))
        watch.cancel()
        let events = watch.events
        #expect(events.map { $0["type"] } == ["ADDED", "ADDED"])
        #expect(events.map { $0[path: ["object", "kind"]] } == ["Table", "Table"])
        #expect(events.first?[path: ["object", "columnDefinitions"]]?.arrayValue?.count == 11)
        #expect(events.last?[path: ["object", "columnDefinitions"]] == .null)
        #expect(events.last?[path: ["object", "rows"]]?.arrayValue?.first?["cells"]?.arrayValue?.first == "orders")
        #expect(events.last?[path: ["object", "rows"]]?.arrayValue?.first?["cells"]?.arrayValue?[6] == 3)
        await client.close()
        await emulator.stop()
    }

    @Test func builtInKindsPrintKubernetesColumns() async throws {
        let emulator = try await Self.emulator()
        let client = try TestClient(emulator)
        func columns(_ path: String) async throws -> ([String], [[JSONValue]]) {
            let body = try #require(try await client.request("GET", path, accept: Self.tableAccept).body)
            return ((body["columnDefinitions"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue },
                    (body["rows"]?.arrayValue ?? []).map { $0["cells"]?.arrayValue ?? [] })
        }
        _ = try await client.request("POST", "/api/v1/namespaces/team-a/secrets", body: [
            "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "token"], "stringData": ["a": "1", "b": "2"]])
        _ = try await client.request("POST", "/apis/coordination.k8s.io/v1/namespaces/team-a/leases", body: [
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": ["name": "lock"], "spec": ["holderIdentity": "op-1"]])
        _ = try await client.request("POST", "/apis/events.k8s.io/v1/namespaces/team-a/events", body: [
            "apiVersion": "events.k8s.io/v1", "kind": "Event", "metadata": ["name": "e1"],
            "eventTime": "2024-01-01T00:00:00.000000Z", "reportingController": "flink.jobcontroller.io/operator",
            "reportingInstance": "op-1", "action": "Deploy", "reason": "Submitted", "type": "Normal", "note": " submitted \n",
            "regarding": ["apiVersion": "flink.jobcontroller.io/v1alpha1", "kind": "FlinkJob", "namespace": "team-a", "name": "clicks"]])

        let (secretColumns, secretRows) = try await columns("/api/v1/namespaces/team-a/secrets")
        #expect(secretColumns == ["Name", "Type", "Data", "Age"])
        #expect(Array(secretRows.first?.prefix(3) ?? []) == ["token", "Opaque", 2])
        let (leaseColumns, leaseRows) = try await columns("/apis/coordination.k8s.io/v1/namespaces/team-a/leases")
        #expect(leaseColumns == ["Name", "Holder", "Age"])
        #expect(Array(leaseRows.first?.prefix(2) ?? []) == ["lock", "op-1"])
        let (namespaceColumns, namespaceRows) = try await columns("/api/v1/namespaces")
        #expect(namespaceColumns == ["Name", "Status", "Age"])
        #expect(namespaceRows.contains { Array($0.prefix(2)) == ["team-a", "Active"] })
        for path in ["/api/v1/namespaces/team-a/events", "/apis/events.k8s.io/v1/namespaces/team-a/events"] {
            let (eventColumns, eventRows) = try await columns(path)
            #expect(eventColumns == ["Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message", "First Seen", "Count", "Name"])
            let cells = try #require(eventRows.first)
            #expect(Array(cells.dropFirst().prefix(6)) == ["Normal", "Submitted", "flinkjob/clicks", "", "flink.jobcontroller.io/operator, op-1", "submitted"])
            #expect(Array(cells.suffix(2)) == [1, "e1"])
            #expect(cells.first?.stringValue?.hasSuffix("d") == true || cells.first?.stringValue?.hasSuffix("y") == true)
        }
        let (crdColumns, _) = try await columns("/apis/apiextensions.k8s.io/v1/customresourcedefinitions")
        #expect(crdColumns == ["Name", "Created At"])
        await client.close()
        await emulator.stop()
    }

    // MARK: Field validation

    @Test func fieldValidationStrictWarnAndIgnoreAnswerLikeTheRealServer() async throws {
        let emulator = try await Self.emulator()
        let client = try TestClient(emulator)
        let secret: JSONValue = ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "s"], "colour": "blue", "stringData": ["a": "b"]]
        let strict = try await client.request("POST", "/api/v1/namespaces/team-a/secrets", query: ["fieldValidation": "Strict"], body: secret)
        #expect(strict.status == 400)
        #expect(strict.body?["message"] == "Secret in version \"v1\" cannot be handled as a Secret: strict decoding error: unknown field \"colour\"")
        let warn = try await client.request("POST", "/api/v1/namespaces/team-a/secrets", query: ["fieldValidation": "Warn"], body: secret)
        #expect(warn.status == 201)
        #expect(warn.headers.values(for: "Warning") == ["299 - \"unknown field \\\"colour\\\"\""])
        var other = secret
        other[path: ["metadata", "name"]] = "t"
        let ignore = try await client.request("POST", "/api/v1/namespaces/team-a/secrets", query: ["fieldValidation": "Ignore"], body: other)
        #expect(ignore.status == 201 && ignore.headers.values(for: "Warning").isEmpty)
        let bad = try await client.request("POST", "/api/v1/namespaces/team-a/secrets", query: ["fieldValidation": "Loud"], body: other)
        #expect(bad.status == 400)

        // Server-side apply of a field the schema does not declare fails in the field manager, as in v1.32.
        let apply = """
            apiVersion: flink.jobcontroller.io/v1alpha1
            kind: FlinkJob
            metadata: {name: typo}
            spec: {artifact: {jar: {uri: "https://example.com/job.jar"}}, colour: blue}
            """
        let applied = try await client.client.execute(.init(
            method: .patch, url: emulator.baseURL + "\(Self.jobs)/typo?fieldManager=me", headers: ["Content-Type": "application/apply-patch+yaml"],
            body: .bytes(Data(apply.utf8)), auth: .bearer(StaticBearerToken(emulator.adminToken))))
        #expect(applied.status == 500)
        let message = try JSONValue(parsing: applied.body)["message"]
        #expect(message == "failed to create typed patch object (team-a/typo; flink.jobcontroller.io/v1alpha1, Kind=FlinkJob): .spec.colour: field not declared in schema")
        await client.close()
        await emulator.stop()
    }
}
