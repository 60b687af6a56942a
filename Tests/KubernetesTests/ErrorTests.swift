import Foundation
import HTTPTransport
import Testing

@testable import Kubernetes

@Suite struct ErrorTests {
    private func apiError(_ code: Int, _ body: String, headers: HTTPHeaders = [:]) -> KubernetesError {
        .api(
            KubernetesClient.apiError(
                statusCode: code, headers: headers, body: Data(body.utf8), method: "GET", path: "/x"))
    }

    @Test func recordedStatusesDriveTheHelpers() throws {
        func error(_ scenario: String, _ method: String, _ status: Int) throws -> KubernetesError {
            let step = try #require(try Transcript(scenario).steps(method, status: status).first)
            return .api(
                KubernetesClient.apiError(
                    statusCode: status, headers: [:], body: try step.responseData(), method: method, path: step.path))
        }
        #expect(try error("create-and-get", "GET", 404).isNotFound)
        #expect(try error("create-duplicate", "POST", 409).isAlreadyExists)
        #expect(try !error("create-duplicate", "POST", 409).isConflict)
        #expect(try error("update-stale-rv", "PUT", 409).isConflict)
        #expect(try error("update-without-rv", "PUT", 422).isInvalid)
        #expect(try error("patch-types", "PATCH", 422).isInvalid)
        #expect(try error("auth", "GET", 401).isUnauthorized)
        #expect(try error("auth", "GET", 403).isForbidden)
        #expect(try error("namespace-mismatch", "POST", 400).isBadRequest)
        #expect(try error("watch-too-old", "GET", 410).isGone)
        #expect(try !error("create-and-get", "GET", 404).isGone)
    }

    @Test func unknownReasonFallsBackToTheHTTPCode() {
        let error = apiError(404, #"{"kind":"Status","status":"Failure","reason":"","code":404}"#)
        #expect(error.isNotFound)
        let odd = apiError(409, #"{"kind":"Status","status":"Failure","reason":"BrandNew","code":409}"#)
        #expect(odd.isConflict)
        #expect(odd.status?.reason == "BrandNew")
        #expect(!odd.isAlreadyExists)
    }

    @Test func plainTextErrorBodyBecomesASynthesizedStatus() {
        let error = apiError(404, "404 page not found\n")
        #expect(error.isNotFound)
        #expect(error.status?.message == "404 page not found")
        #expect(error.status?.code == 404)
        #expect(error.status?.reason == "NotFound")
        #expect(error.apiError?.statusCode == 404)
        let empty = apiError(503, "")
        #expect(empty.status?.message == "HTTP 503")
    }

    @Test func hugeErrorBodiesAreTruncated() {
        let error = apiError(500, String(repeating: "x", count: 10_000))
        #expect((error.status?.message?.count ?? 0) <= 513)
    }

    @Test func tooManyRequestsCarriesRetryAfter() {
        let header = apiError(
            429, #"{"kind":"Status","status":"Failure","reason":"TooManyRequests","code":429}"#,
            headers: ["Retry-After": "7"])
        #expect(header.isTooManyRequests)
        #expect(header.retryAfter == .seconds(7))
        let details = apiError(
            429, #"{"kind":"Status","reason":"TooManyRequests","details":{"retryAfterSeconds":3},"code":429}"#)
        #expect(details.retryAfter == .seconds(3))
        let none = apiError(429, "slow down")
        #expect(none.isTooManyRequests)
        #expect(none.retryAfter == nil)
    }

    @Test func goneCoversInBandAndHTTPForms() {
        #expect(KubernetesError.gone(nil).isGone)
        #expect(apiError(410, #"{"kind":"Status","reason":"Gone","code":410}"#).isGone)
        #expect(apiError(410, "gone").isGone)
        #expect(!KubernetesError.invalidConfiguration("x").isGone)
        #expect(!KubernetesError.transport(HTTPTransportError.cancelled).isNotFound)
    }

    @Test func badSuccessBodiesBecomeDecodingErrorsWithContext() {
        do {
            _ = try KubernetesClient.decode(TestJob.self, from: Data(#"{"metadata":{"name":"x"},"spec":{"par"#.utf8), what: "FlinkJob x")
            Issue.record("decoded a truncated body")
        } catch let KubernetesError.decoding(what, snippet, underlying) {
            #expect(what == "FlinkJob x")
            #expect(snippet.hasPrefix(#"{"metadata""#))
            #expect(underlying != nil)
        } catch {
            Issue.record("unexpected error \(error)")
        }
        #expect(throws: KubernetesError.self) {
            try KubernetesClient.decode(TestJob.self, from: Data("<html>oops</html>".utf8), what: "x")
        }
    }

    @Test func descriptionsNameTheStep() {
        let error = apiError(409, #"{"kind":"Status","reason":"Conflict","message":"modified","code":409}"#)
        #expect(error.description == "GET /x failed with 409 Conflict: modified")
        #expect(KubernetesError.invalidConfiguration("no file").description.contains("no file"))
    }
}

@Suite struct PathTests {
    @Test func buildsCoreGroupAndClusterPaths() {
        #expect(ConfigMap.resourceDescriptor.collectionPath(namespace: "ns") == "/api/v1/namespaces/ns/configmaps")
        #expect(
            TestJob.resourceDescriptor.objectPath(name: "a", namespace: "ns", subresource: "status")
                == "/apis/flink.jobcontroller.io/v1alpha1/namespaces/ns/flinkjobs/a/status")
        #expect(
            TestJob.resourceDescriptor.collectionPath(namespace: nil) == "/apis/flink.jobcontroller.io/v1alpha1/flinkjobs")
        #expect(
            TestSessionCluster.resourceDescriptor.objectPath(name: "s", namespace: "ignored")
                == "/apis/flink.jobcontroller.io/v1alpha1/flinksessionclusters/s")
        #expect(Lease.apiVersion == "coordination.k8s.io/v1")
        #expect(Secret.apiVersion == "v1")
    }

    @Test func percentEncodesSegmentsAndQueries() {
        #expect(PercentEncoding.segment("a/b?c#d e") == "a%2Fb%3Fc%23d%20e")
        #expect(PercentEncoding.segment("évt") == "%C3%A9vt")
        #expect(
            PercentEncoding.query([("labelSelector", "tier in (gold,silver),!legacy"), ("x", "a&b=c+d")])
                == "labelSelector=tier%20in%20%28gold%2Csilver%29%2C%21legacy&x=a%26b%3Dc%2Bd")
    }

    @Test func watchOptionsAddTheMatchSendInitialEventsNeeds() {
        let items = WatchOptions(sendInitialEvents: true).queryItems
        #expect(items.map(\.0) == ["watch", "allowWatchBookmarks", "sendInitialEvents", "resourceVersionMatch"])
        #expect(items.last?.1 == "NotOlderThan")
        let plain = WatchOptions(resourceVersion: "5", allowWatchBookmarks: false, timeoutSeconds: 30).queryItems
        #expect(plain.map { "\($0.0)=\($0.1)" } == ["watch=true", "resourceVersion=5", "timeoutSeconds=30"])
    }

    @Test func forceIsSentOnlyWithApplyPatches() {
        let options = PatchOptions(fieldManager: "m", force: true)
        #expect(options.queryItems(for: .apply([:])).map(\.0) == ["fieldManager", "force"])
        #expect(options.queryItems(for: .merge([:])).map(\.0) == ["fieldManager"])
    }
}
