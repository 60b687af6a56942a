import Foundation
import JSONCore
import Testing

@testable import Kubernetes

/// Every model decodes from bodies a real kube-apiserver sent (the conformance transcripts).
@Suite struct ModelDecodingTests {
    private func decode<T: Decodable>(_ type: T.Type, _ step: Transcript.Step) throws -> T {
        try JSONDecoder().decode(T.self, from: try step.responseData())
    }

    @Test func createdCustomResourceDecodesWithServerMetadata() throws {
        let created = try #require(try Transcript("create-and-get").steps("POST", status: 201).first)
        let job = try decode(TestJob.self, created)
        #expect(job.metadata.name == "wordcount")
        #expect(job.metadata.labels == ["app": "wordcount"])
        #expect(job.metadata.generation == 1)
        #expect(job.metadata.uid == "<uid>")
        #expect(job.metadata.resourceVersion == "<rv:1>")
        #expect(job.metadata.creationTimestamp?.description == "2024-05-01T09:59:58Z")
        #expect(job.spec.state == "Running")
        #expect(job.status == nil)
    }

    @Test func dynamicObjectKeepsEveryMemberAndRoundTrips() throws {
        let created = try #require(try Transcript("create-and-get").steps("POST", status: 201).first)
        let body = try #require(created.responseBody)
        let object = try DynamicObject(json: body)
        #expect(object.kind == "FlinkJob")
        #expect(object.apiVersion == "flink.jobcontroller.io/v1alpha1")
        #expect(object["spec"]?["state"] == "Running")
        #expect(object.metadata.generation == 1)
        #expect(object.json == body)
        let decoded = try JSONDecoder().decode(DynamicObject.self, from: try created.responseData())
        #expect(decoded == object)
    }

    @Test func dynamicObjectPreservesMetadataItDoesNotModel() throws {
        var object = try DynamicObject(json: ["metadata": ["name": "x", "selfLink": "/x"], "kind": "K"])
        object.metadata.labels = ["a": "b"]
        #expect(object.json[path: ["metadata", "selfLink"]] == "/x")
        #expect(object.json[path: ["metadata", "labels", "a"]] == "b")
        #expect(throws: KubernetesError.self) { try DynamicObject(json: ["metadata": ["generation": "one"]]) }
        #expect(throws: KubernetesError.self) { try DynamicObject(json: [1, 2]) }
    }

    @Test func deletingObjectCarriesDeletionTimestampAndGracePeriod() throws {
        let deleting = try #require(try Transcript("finalizer-delete").steps("DELETE", status: 200).first)
        let job = try decode(TestJob.self, deleting)
        #expect(job.metadata.isDeleting)
        #expect(job.metadata.deletionGracePeriodSeconds == 0)
        #expect(job.metadata.hasFinalizer("flink.jobcontroller.io/finalizer"))
        #expect(job.metadata.generation == 2)
    }

    @Test func managedFieldsAreKeptVerbatim() throws {
        let applied = try #require(try Transcript("server-side-apply").steps("PATCH", status: 201).first)
        let job = try decode(TestJob.self, applied)
        let managed = try #require(job.metadata.managedFields?.arrayValue?.first)
        #expect(managed["manager"] == "a")
        #expect(managed["operation"] == "Apply")
    }

    @Test func leaseDecodesMicroTimes() throws {
        let steps = try Transcript("lease").steps
        let created = try decode(Lease.self, try #require(steps.first { $0.status == 201 }))
        #expect(created.spec?.holderIdentity == "operator-pod-1_5f1c")
        #expect(created.spec?.leaseDurationSeconds == 15)
        #expect(created.spec?.acquireTime?.description == "2024-05-01T10:00:00.123456Z")
        #expect(created.spec?.renewTime?.description == "2024-05-01T10:00:05.654321Z")
        #expect(created.spec?.leaseTransitions == 0)
        let offset = try #require(steps.last { $0.method == "PUT" && $0.status == 200 })
        #expect(try decode(Lease.self, offset).spec?.renewTime?.description == "2024-05-01T10:01:00.250000Z")
    }

    @Test func eventsDecodeInBothShapes() throws {
        let steps = try Transcript("events").steps
        let created = try decode(
            Event.self, try #require(steps.first { $0.path.hasSuffix("/events") && $0.status == 201 }))
        #expect(created.eventTime?.description == "2024-05-01T10:00:00.000000Z")
        #expect(created.reportingController == "flink.jobcontroller.io/operator")
        #expect(created.reportingInstance == "operator-pod-1")
        #expect(created.action == "Submit")
        #expect(created.reason == "JobSubmitted")
        #expect(created.type == "Normal")
        #expect(created.regarding?.kind == "FlinkJob")
        #expect(created.regarding?.resourceVersion == "<rv:1>")
        #expect(created.deprecatedFirstTimestamp == nil)

        // A core/v1 event read through events.k8s.io/v1: null eventTime, deprecated* fields set.
        let mapped = try decode(
            Event.self,
            try #require(steps.first { $0.method == "GET" && $0.path.hasPrefix("/apis/events.k8s.io") }))
        #expect(mapped.eventTime == nil)
        #expect(mapped.note == "Job is running")
        #expect(mapped.deprecatedSource?.component == "flink-operator")
        #expect(mapped.deprecatedFirstTimestamp?.description == "2024-05-01T10:00:00Z")
        #expect(mapped.deprecatedCount == 1)
    }

    @Test func eventSeriesEncodesMicroTime() throws {
        let event = Event(
            metadata: ObjectMeta(name: "e"), eventTime: MicroTime(microsecondsSince1970: 0),
            series: EventSeries(count: 3, lastObservedTime: MicroTime(microsecondsSince1970: 1_500_000)))
        let json = try JSONValue(encoding: event)
        #expect(json[path: ["series", "lastObservedTime"]] == "1970-01-01T00:00:01.500000Z")
        #expect(json["eventTime"] == "1970-01-01T00:00:00.000000Z")
        #expect(json["note"] == nil)
    }

    @Test func scaleDecodes() throws {
        let steps = try Transcript("scale-subresource").steps
        let first = try decode(Scale.self, try #require(steps.first { $0.path.hasSuffix("/scale") && $0.status == 200 }))
        #expect(first.apiVersion == "autoscaling/v1")
        #expect(first.kind == "Scale")
        #expect(first.spec.replicas == 2)
        #expect(first.status?.replicas == 0)
        #expect(first.metadata.name == "scale-job")
    }

    @Test func listDecodesPagingMetadata() throws {
        let steps = try Transcript("list-pagination").steps
        let page = try decode(ObjectList<TestJob>.self, steps[6])
        #expect(page.items.map(\.metadata.name) == ["job-a", "job-b"])
        #expect(page.metadata.continueToken == "<continue:1>")
        #expect(page.metadata.nextPageToken == "<continue:1>")
        #expect(page.metadata.remainingItemCount == 3)
        #expect(page.kind == "FlinkJobList")
        let last = try decode(ObjectList<TestJob>.self, steps[8])
        #expect(last.metadata.continueToken == "")
        #expect(last.metadata.nextPageToken == nil)
        #expect(last.metadata.remainingItemCount == nil)
        let empty = try decode(ObjectList<DynamicObject>.self, steps[19])
        #expect(empty.items.isEmpty)
        #expect(empty.metadata.resourceVersion == "<rv:6>")
    }

    @Test func listWithNullItemsDecodesAsEmpty() throws {
        let list = try JSONDecoder().decode(
            ObjectList<ConfigMap>.self, from: Data(#"{"kind":"ConfigMapList","metadata":{},"items":null}"#.utf8))
        #expect(list.items.isEmpty)
    }

    @Test func statusesDecodeWithDetailsAndCauses() throws {
        let notFound = try decode(Status.self, try #require(try Transcript("create-and-get").steps("GET", status: 404).first))
        #expect(notFound.knownReason == .notFound)
        #expect(notFound.code == 404)
        #expect(notFound.details?.kind == "flinkjobs")

        let conflict = try decode(Status.self, try #require(try Transcript("server-side-apply").steps("PATCH", status: 409).first))
        #expect(conflict.knownReason == .conflict)
        #expect(conflict.details?.causes?.map(\.field) == [".spec.args", ".spec.parallelism"])
        #expect(conflict.details?.causes?.first?.reason == "FieldManagerConflict")

        let success = try decode(Status.self, try #require(try Transcript("delete-no-finalizer").steps("DELETE", status: 200).first))
        #expect(success.isSuccess)
        #expect(success.details?.uid == "<uid>")
        #expect(success.code == nil)

        let expiredContinue = try #require(try Transcript("watch-too-old").steps.last { $0.status == 410 })
        let gone = try decode(Status.self, expiredContinue)
        #expect(gone.knownReason == .expired)
        #expect(gone.metadata?.continueToken == "<continue:2>")
    }

    @Test func statusWithAnUnknownReasonKeepsTheString() throws {
        let status = try JSONDecoder().decode(
            Status.self, from: Data(#"{"kind":"Status","status":"Failure","reason":"SomethingNew","code":418}"#.utf8))
        #expect(status.reason == "SomethingNew")
        #expect(status.knownReason == nil)
        #expect(status.description == "418 SomethingNew")
    }

    @Test func secretValuesAreBase64OnTheWire() throws {
        let secret = try JSONDecoder().decode(
            Secret.self,
            from: Data(
                #"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"flink-auth","namespace":"team-a"},"type":"Opaque","data":{"token":"czNjcjN0"}}"#
                    .utf8))
        #expect(secret.string(forKey: "token") == "s3cr3t")
        #expect(secret.string(forKey: "missing") == nil)
        let json = try JSONValue(encoding: secret)
        #expect(json[path: ["data", "token"]] == "czNjcjN0")
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Secret.self, from: Data(#"{"metadata":{},"data":{"token":"***"}}"#.utf8))
        }
    }

    @Test func configMapDecodesTextAndBinaryData() throws {
        let map = try JSONDecoder().decode(
            ConfigMap.self,
            from: Data(
                #"{"metadata":{"name":"sql"},"data":{"query.sql":"SELECT 1;"},"binaryData":{"b":"AAE="}}"#.utf8))
        #expect(map.data?["query.sql"] == "SELECT 1;")
        #expect(map.binaryData?["b"] == Data([0, 1]))
    }

    @Test func conditionsDecodeLenientlyAndEncodeTheMetav1Shape() throws {
        let condition = try JSONDecoder().decode(
            Condition.self, from: Data(#"{"type":"Ready","status":"True"}"#.utf8))
        #expect(condition.status == .true)
        #expect(condition.reason == "")
        #expect(condition.lastTransitionTime == nil)
        let full = Condition(
            type: "Ready", status: .false, reason: "JobFailed", message: "boom", observedGeneration: 3,
            lastTransitionTime: KubeTime(secondsSince1970: 0))
        let json = try JSONValue(encoding: full)
        #expect(
            json == [
                "type": "Ready", "status": "False", "reason": "JobFailed", "message": "boom", "observedGeneration": 3,
                "lastTransitionTime": "1970-01-01T00:00:00Z",
            ])
        #expect(try json.decode(Condition.self) == full)
    }

    @Test func objectMetaOmitsUnsetFields() throws {
        let json = try JSONValue(encoding: ObjectMeta(name: "a", labels: ["x": "y"]))
        #expect(json == ["name": "a", "labels": ["x": "y"]])
    }

    @Test func deleteOptionsEncodeTheWireShape() throws {
        let options = DeleteOptions(
            preconditions: Preconditions(uid: "u1", resourceVersion: "7"), propagationPolicy: .foreground,
            dryRun: true)
        let json = try JSONValue(encoding: options)
        #expect(
            json == [
                "kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Foreground",
                "preconditions": ["uid": "u1", "resourceVersion": "7"], "dryRun": ["All"],
            ])
        #expect(try json.decode(DeleteOptions.self) == options)
    }
}

@Suite struct LabelSelectorTests {
    @Test func matchesLabelsAndExpressions() {
        let selector = LabelSelector(
            matchLabels: ["app": "etl"],
            matchExpressions: [
                .init(key: "tier", operator: .in, values: ["gold", "silver"]),
                .init(key: "legacy", operator: .doesNotExist),
            ])
        #expect(selector.matches(["app": "etl", "tier": "gold"]))
        #expect(!selector.matches(["app": "etl", "tier": "bronze"]))
        #expect(!selector.matches(["app": "etl", "tier": "gold", "legacy": "yes"]))
        #expect(!selector.matches(["tier": "gold"]))
        #expect(LabelSelector().matches([:]))
        #expect(LabelSelector(matchExpressions: [.init(key: "a", operator: .notIn, values: ["x"])]).matches([:]))
        #expect(!LabelSelector(matchExpressions: [.init(key: "a", operator: .exists)]).matches([:]))
    }

    @Test func rendersTheQuerySyntax() {
        let selector = LabelSelector(
            matchLabels: ["b": "2", "a": "1"],
            matchExpressions: [
                .init(key: "tier", operator: .in, values: ["silver", "gold"]),
                .init(key: "env", operator: .notIn, values: ["dev"]),
                .init(key: "owner", operator: .exists),
                .init(key: "legacy", operator: .doesNotExist),
            ])
        #expect(selector.queryString == "a=1,b=2,tier in (gold,silver),env notin (dev),owner,!legacy")
    }
}
