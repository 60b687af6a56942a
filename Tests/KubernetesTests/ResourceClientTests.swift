import Foundation
import HTTPTransport
import JSONCore
import Kubernetes
import KubernetesEmulator
import Testing

/// The typed and dynamic resource API against the emulator over HTTPS with a bearer token.
@Suite struct ResourceClientTests {
    @Test func createGetListReplacePatchDeleteRoundTrip() async throws {
        try await EmulatorFixture.with { fixture in
            let jobs = fixture.jobs()
            let created = try await jobs.create(.fixture("wordcount"))
            #expect(created.metadata.namespace == "default")
            #expect(created.metadata.generation == 1)
            #expect(created.metadata.uid?.isEmpty == false)
            #expect(created.metadata.creationTimestamp != nil)
            let resourceVersion = try #require(created.metadata.resourceVersion)

            let fetched = try await jobs.get("wordcount")
            #expect(fetched == created)

            let list = try await jobs.list()
            #expect(list.items.map(\.metadata.name) == ["wordcount"])
            #expect(list.metadata.resourceVersion != nil)

            var changed = fetched
            changed.spec.parallelism = 4
            let replaced = try await jobs.replace(changed)
            #expect(replaced.spec.parallelism == 4)
            #expect(replaced.metadata.generation == 2)
            #expect(replaced.metadata.resourceVersion != resourceVersion)

            let patched = try await jobs.patch("wordcount", .merge(["spec": ["args": ["--mode", "fast"]]]))
            #expect(patched.spec.args == ["--mode", "fast"])
            #expect(patched.metadata.generation == 3)

            let result = try await jobs.delete("wordcount")
            #expect(result.isDeleted)
            guard case .deleted(let status) = result else { return }
            #expect(status.isSuccess)
            #expect(status.details?.name == "wordcount")

            let error = await #expect(throws: KubernetesError.self) { try await jobs.get("wordcount") }
            #expect(error?.isNotFound == true)
            #expect(error?.apiError?.statusCode == 404)

            let verbs = fixture.emulator.requestLog.map(\.verb)
            #expect(verbs == ["create", "get", "list", "update", "patch", "delete", "get"])
        }
    }

    @Test func staleResourceVersionIsAConflict() async throws {
        try await EmulatorFixture.with { fixture in
            let jobs = fixture.jobs()
            let original = try await jobs.create(.fixture("upd-job"))
            var first = original
            first.spec.parallelism = 3
            _ = try await jobs.replace(first)
            var stale = original
            stale.spec.parallelism = 5
            let error = await #expect(throws: KubernetesError.self) { try await jobs.replace(stale) }
            #expect(error?.isConflict == true)
            #expect(error?.isAlreadyExists == false)
            #expect(try await jobs.get("upd-job").spec.parallelism == 3)

            let duplicate = await #expect(throws: KubernetesError.self) { try await jobs.create(.fixture("upd-job")) }
            #expect(duplicate?.isAlreadyExists == true)
        }
    }

    @Test func statusAndSpecWritesAreIsolatedAndGenerationFollowsSpecOnly() async throws {
        try await EmulatorFixture.with { fixture in
            let jobs = fixture.jobs()
            var job = TestJob.fixture("iso-job")
            job.status = TestJob.Status(phase: "Injected")
            let created = try await jobs.create(job)
            #expect(created.status == nil, "status in a POST is dropped")

            // A status write through /status ignores spec and labels.
            var statusWrite = created
            statusWrite.status = TestJob.Status(parallelism: 2, phase: "Running", observedGeneration: 1)
            statusWrite.spec.parallelism = 9
            statusWrite.metadata.labels = ["sneaky": "yes"]
            let afterStatus = try await jobs.replaceStatus(statusWrite)
            #expect(afterStatus.status?.phase == "Running")
            #expect(afterStatus.spec.parallelism == 2)
            #expect(afterStatus.metadata.labels == nil)
            #expect(afterStatus.metadata.generation == 1)

            // A main-resource write ignores status.
            var mainWrite = afterStatus
            mainWrite.status?.phase = "Hacked"
            mainWrite.metadata.labels = ["team": "a"]
            let afterLabel = try await jobs.replace(mainWrite)
            #expect(afterLabel.status?.phase == "Running")
            #expect(afterLabel.metadata.labels == ["team": "a"])
            #expect(afterLabel.metadata.generation == 1, "label-only change keeps the generation")

            let patchedStatus = try await jobs.patchStatus(
                "iso-job",
                .merge([
                    "status": [
                        "conditions": [
                            ["type": "Ready", "status": "True", "reason": "JobRunning", "message": "",
                             "lastTransitionTime": "2024-05-01T10:00:00Z"],
                        ]
                    ]
                ]))
            #expect(patchedStatus.status?.conditions?.first?.status == .true)
            #expect(patchedStatus.metadata.generation == 1)
            #expect(try await jobs.getStatus("iso-job").status?.conditions?.count == 1)

            let specChange = try await jobs.patch("iso-job", try .merge(encoding: ["spec": ["parallelism": 3]]))
            #expect(specChange.metadata.generation == 2)

            // A no-op patch writes nothing.
            let noop = try await jobs.patch("iso-job", .merge(["spec": ["parallelism": 3]]))
            #expect(noop.metadata.resourceVersion == specChange.metadata.resourceVersion)
        }
    }

    @Test func finalizerBlocksDeletionUntilRemoved() async throws {
        try await EmulatorFixture.with { fixture in
            let jobs = fixture.jobs()
            var job = TestJob.fixture("fin-job")
            job.metadata.finalizers = ["flink.jobcontroller.io/finalizer"]
            _ = try await jobs.create(job)

            let first = try await jobs.delete("fin-job")
            let deleting = try #require(first.object)
            #expect(!first.isDeleted)
            #expect(deleting.metadata.isDeleting)
            #expect(deleting.metadata.deletionGracePeriodSeconds == 0)
            #expect(deleting.metadata.generation == 2)

            let again = try await jobs.delete("fin-job")
            #expect(again.object?.metadata.resourceVersion == deleting.metadata.resourceVersion)
            #expect(try await jobs.get("fin-job").metadata.isDeleting)

            // Remove the finalizer guarded by a `test` op, as a finalizer helper does.
            let removal = JSONPatch([
                .test(path: try JSONPointer("/metadata/finalizers/0"), value: "flink.jobcontroller.io/finalizer"),
                .remove(path: try JSONPointer("/metadata/finalizers/0")),
            ])
            _ = try await jobs.patch("fin-job", .json(removal))
            let error = await #expect(throws: KubernetesError.self) { try await jobs.get("fin-job") }
            #expect(error?.isNotFound == true)
        }
    }

    @Test func failingJSONPatchTestIsInvalid() async throws {
        try await EmulatorFixture.with { fixture in
            let jobs = fixture.jobs()
            _ = try await jobs.create(.fixture("patch-job"))
            let patch = JSONPatch([
                .test(path: try JSONPointer("/spec/parallelism"), value: 7),
                .replace(path: try JSONPointer("/spec/parallelism"), value: 8),
            ])
            let error = await #expect(throws: KubernetesError.self) { try await jobs.patch("patch-job", .json(patch)) }
            #expect(error?.isInvalid == true)
            #expect(try await jobs.get("patch-job").spec.parallelism == 2)

            let missing = await #expect(throws: KubernetesError.self) {
                try await jobs.patch("no-such-job", .merge(["spec": ["parallelism": 1]]))
            }
            #expect(missing?.isNotFound == true)
        }
    }

    @Test func scaleSubresourceReadsAndWritesParallelism() async throws {
        try await EmulatorFixture.with { fixture in
            let jobs = fixture.jobs()
            _ = try await jobs.create(.fixture("scale-job"))
            let scale = try await jobs.getScale("scale-job")
            #expect(scale.spec.replicas == 2)
            #expect(scale.status?.replicas == 0)

            var desired = scale
            desired.spec.replicas = 5
            let replaced = try await jobs.replaceScale("scale-job", desired)
            #expect(replaced.spec.replicas == 5)
            let job = try await jobs.get("scale-job")
            #expect(job.spec.parallelism == 5)
            #expect(job.metadata.generation == 2)

            let patched = try await jobs.patchScale("scale-job", .merge(["spec": ["replicas": 3]]))
            #expect(patched.spec.replicas == 3)
            #expect(try await jobs.get("scale-job").spec.parallelism == 3)

            let stale = await #expect(throws: KubernetesError.self) { try await jobs.replaceScale("scale-job", desired) }
            #expect(stale?.isConflict == true)
            let missing = await #expect(throws: KubernetesError.self) { try await jobs.getScale("missing-job") }
            #expect(missing?.isNotFound == true)
        }
    }

    @Test func serverSideApplyCreatesConflictsAndForces() async throws {
        try await EmulatorFixture.with { fixture in
            let jobs = fixture.jobs()
            let desired: JSONValue = ["spec": ["parallelism": 2, "args": ["--a"]]]
            let created = try await jobs.patch("ssa-job", .apply(desired), options: .apply(fieldManager: "a"))
            #expect(created.spec.parallelism == 2)
            #expect(created.metadata.managedFields?.arrayValue?.first?["manager"] == "a")

            let other: JSONValue = ["spec": ["parallelism": 4]]
            let conflict = await #expect(throws: KubernetesError.self) {
                try await jobs.patch("ssa-job", .apply(other), options: .apply(fieldManager: "b"))
            }
            #expect(conflict?.isConflict == true)
            #expect(conflict?.status?.details?.causes?.first?.reason == "FieldManagerConflict")

            let forced = try await jobs.patch("ssa-job", .apply(other), options: .apply(fieldManager: "b", force: true))
            #expect(forced.spec.parallelism == 4)

            let noManager = await #expect(throws: KubernetesError.self) {
                try await jobs.patch("ssa-job", .apply(other))
            }
            guard case .invalidRequest = noManager else {
                Issue.record("expected invalidRequest, got \(String(describing: noManager))")
                return
            }
        }
    }

    @Test func deleteOptionsReachTheServer() async throws {
        try await EmulatorFixture.with { fixture in
            let jobs = fixture.jobs()
            let created = try await jobs.create(.fixture("del-job"))

            let dry = try await jobs.delete("del-job", options: DeleteOptions(dryRun: true))
            #expect(dry.isDeleted)
            #expect(try await jobs.get("del-job").metadata.uid == created.metadata.uid)

            let wrongUID = await #expect(throws: KubernetesError.self) {
                try await jobs.delete(
                    "del-job", options: DeleteOptions(preconditions: Preconditions(uid: "not-the-uid")))
            }
            #expect(wrongUID?.isConflict == true)

            let foreground = try await jobs.delete(
                "del-job",
                options: DeleteOptions(
                    preconditions: Preconditions(uid: created.metadata.uid, resourceVersion: created.metadata.resourceVersion),
                    propagationPolicy: .foreground))
            #expect(foreground.object?.metadata.finalizers == ["foregroundDeletion"])
            #expect(fixture.emulator.requestLog.first { $0.verb == "delete" }?.query["dryRun"] == "All")
        }
    }

    @Test func listAllFollowsContinueTokensAcrossNamespaces() async throws {
        try await EmulatorFixture.with { fixture in
            for (index, name) in ["job-c", "job-a", "job-e", "job-b", "job-d"].enumerated() {
                var job = TestJob.fixture(name, parallelism: index + 1)
                job.metadata.labels = ["tier": index.isMultiple(of: 2) ? "silver" : "gold"]
                _ = try await fixture.jobs("team-a").create(job)
            }
            _ = try await fixture.jobs("team-b").create(.fixture("job-z"))

            let page = try await fixture.jobs("team-a").list(ListOptions(limit: 2))
            #expect(page.items.count == 2)
            #expect(page.metadata.nextPageToken != nil)

            let all = try await fixture.jobs("team-a").listAll(ListOptions(limit: 2))
            #expect(all.items.map(\.metadata.name) == ["job-a", "job-b", "job-c", "job-d", "job-e"])
            #expect(all.metadata.resourceVersion == page.metadata.resourceVersion)
            #expect(fixture.emulator.requestLog.filter { $0.verb == "list" }.count == 4)

            let gold = try await fixture.jobs("team-a").list(ListOptions(labelSelector: "tier in (gold),!legacy"))
            #expect(gold.items.map(\.metadata.name) == ["job-a", "job-b"])
            let named = try await fixture.jobs("team-a").list(ListOptions(fieldSelector: "metadata.name=job-d"))
            #expect(named.items.map(\.metadata.name) == ["job-d"])

            let everywhere = try await fixture.jobs(nil).list()
            #expect(everywhere.items.map { "\($0.metadata.namespace ?? "")/\($0.metadata.name ?? "")" }.last == "team-b/job-z")
            #expect(everywhere.items.count == 6)

            let badSelector = await #expect(throws: KubernetesError.self) {
                try await fixture.jobs("team-a").list(ListOptions(fieldSelector: "spec.state=Running"))
            }
            #expect(badSelector?.isBadRequest == true)
        }
    }

    @Test func clusterScopedKindsHaveNoNamespaceInThePath() async throws {
        try await EmulatorFixture.with { fixture in
            let clusters = fixture.client.resources(TestSessionCluster.self, namespace: nil)
            let created = try await clusters.create(
                TestSessionCluster(metadata: ObjectMeta(name: "session-1", labels: ["env": "dev"]), spec: .init(flinkVersion: "2.3")))
            #expect(created.metadata.namespace == nil)
            #expect(try await clusters.list(ListOptions(labelSelector: "env=dev")).items.count == 1)
            #expect(fixture.emulator.requestLog.first?.path == "/apis/flink.jobcontroller.io/v1alpha1/flinksessionclusters")

            // The same kind under a namespaced path does not exist: a plain-text 404.
            var wrongScope = TestSessionCluster.resourceDescriptor
            wrongScope.scope = .namespaced
            let error = await #expect(throws: KubernetesError.self) {
                try await fixture.client.dynamicResources(wrongScope, namespace: "default").list()
            }
            #expect(error?.isNotFound == true)
            #expect(error?.status?.message?.contains("404 page not found") == true)

            #expect(try await clusters.delete("session-1").isDeleted)
        }
    }

    @Test func dynamicObjectsWorkWithoutSwiftTypes() async throws {
        try await EmulatorFixture.with { fixture in
            let descriptor = TestJob.resourceDescriptor
            let jobs = fixture.client.dynamicResources(descriptor, namespace: "team-b")
            let object = DynamicObject(
                descriptor: descriptor, metadata: ObjectMeta(name: "dyn-job", annotations: ["a": "b"]),
                body: ["spec": ["parallelism": 6, "extra": ["kept": true]]])
            let created = try await jobs.create(object)
            #expect(created["spec"]?["parallelism"] == 6)
            #expect(created["spec"]?[path: ["extra", "kept"]] == true)
            #expect(created.metadata.annotations == ["a": "b"])

            var updated = created
            updated["spec"]?["parallelism"] = 7
            let replaced = try await jobs.replace(updated)
            #expect(replaced.metadata.generation == 2)
            let typed = try replaced.decode(as: TestJob.self)
            #expect(typed.spec.parallelism == 7)
            #expect(try await jobs.delete("dyn-job").isDeleted)
        }
    }

    @Test func leasesAndEventsRoundTripMicroTimes() async throws {
        try await EmulatorFixture.with { fixture in
            let leases = fixture.client.resources(Lease.self, namespace: "default")
            let renew = try #require(MicroTime(rfc3339: "2024-05-01T10:00:05.654321Z"))
            let created = try await leases.create(
                Lease(
                    metadata: ObjectMeta(name: "leader"),
                    spec: LeaseSpec(
                        holderIdentity: "pod-1", leaseDurationSeconds: 15, acquireTime: renew, renewTime: renew,
                        leaseTransitions: 0)))
            #expect(created.spec?.renewTime == renew)
            var renewed = created
            renewed.spec?.renewTime = MicroTime(microsecondsSince1970: renew.microsecondsSince1970 + 2_000_000)
            let updated = try await leases.replace(renewed)
            #expect(updated.spec?.renewTime?.description == "2024-05-01T10:00:07.654321Z")
            let race = await #expect(throws: KubernetesError.self) { try await leases.replace(renewed) }
            #expect(race?.isConflict == true)

            let events = fixture.client.resources(Event.self, namespace: "default")
            let event = try await events.create(
                Event(
                    metadata: ObjectMeta(name: "leader.1"), eventTime: .now(), reportingController: "flink.jobcontroller.io/operator",
                    reportingInstance: "pod-1", action: "Elect", reason: "LeaderElected",
                    regarding: ObjectReference(apiVersion: Lease.apiVersion, kind: "Lease", namespace: "default", name: "leader"),
                    note: "pod-1 became leader", type: "Normal"))
            #expect(event.reason == "LeaderElected")
            #expect(event.eventTime != nil)
        }
    }

    @Test func secretsAndConfigMapsAreReadable() async throws {
        try await EmulatorFixture.with { fixture in
            try fixture.emulator.create(
                .secrets, namespace: "team-a",
                ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "flink-auth"], "data": ["token": "czNjcjN0"]])
            try fixture.emulator.create(
                .configMaps, namespace: "team-a",
                ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "sql"], "data": ["q.sql": "SELECT 1;"]])
            let secret = try await fixture.client.resources(Secret.self, namespace: "team-a").get("flink-auth")
            #expect(secret.string(forKey: "token") == "s3cr3t")
            let map = try await fixture.client.resources(ConfigMap.self, namespace: "team-a").get("sql")
            #expect(map.data?["q.sql"] == "SELECT 1;")
        }
    }

    @Test func tooManyRequestsCarriesRetryAfter() async throws {
        try await EmulatorFixture.with { fixture in
            fixture.emulator.inject(
                FaultRule(matching: RequestMatcher(method: "GET"), status: 429, retryAfterSeconds: 7, count: 1))
            let error = await #expect(throws: KubernetesError.self) { try await fixture.jobs().list() }
            #expect(error?.isTooManyRequests == true)
            #expect(error?.retryAfter == .seconds(7))
            // The fault was one-shot: the retry succeeds.
            let retried = try await fixture.jobs().list()
            #expect(retried.items.isEmpty)
        }
    }

    @Test func credentialFailuresAreTyped() async throws {
        try await EmulatorFixture.with { fixture in
            let unknown = KubernetesClient(
                configuration: EmulatorFixture.clientConfiguration(for: fixture.emulator, token: "not-a-token"),
                httpClient: fixture.client.httpClient, logger: fixture.client.logger)
            let unauthorized = await #expect(throws: KubernetesError.self) {
                try await unknown.resources(TestJob.self, namespace: "default").list()
            }
            #expect(unauthorized?.isUnauthorized == true)

            // Its own transport: a shared one would fall back to that transport's default credentials.
            let anonymous = try KubernetesClient(
                configuration: EmulatorFixture.clientConfiguration(for: fixture.emulator, token: nil),
                logger: fixture.client.logger)
            let forbidden = await #expect(throws: KubernetesError.self) {
                try await anonymous.resources(TestJob.self, namespace: "default").list()
            }
            await anonymous.shutdown()
            #expect(forbidden?.isForbidden == true)
            #expect(fixture.emulator.requestLog.map(\.user).last == "system:anonymous")
        }
    }

    @Test func perObjectCallsNeedANamespace() async throws {
        try await EmulatorFixture.with { fixture in
            let everywhere = fixture.jobs(nil)
            let error = await #expect(throws: KubernetesError.self) { try await everywhere.get("x") }
            guard case .invalidRequest = error else {
                Issue.record("expected invalidRequest, got \(String(describing: error))")
                return
            }
            // create falls back to the object's own namespace.
            let created = try await everywhere.create(.fixture("placed", namespace: "team-b"))
            #expect(created.metadata.namespace == "team-b")
            #expect(fixture.emulator.requestLog.count == 1)
        }
    }

    @Test func requestsAreLoggedWithoutCredentials() async throws {
        try await EmulatorFixture.with { fixture in
            _ = try await fixture.jobs().list()
            let records = fixture.logs.all.filter { $0.message == "Kubernetes API request" }
            let record = try #require(records.first)
            #expect(record.level == .debug)
            #expect(record.metadata["http.method"] == "GET")
            #expect(record.metadata["k8s.path"] == "/apis/flink.jobcontroller.io/v1alpha1/namespaces/default/flinkjobs")
            #expect(record.metadata["http.status"] == "200")
            #expect(record.metadata["duration_ms"] != nil)
            let token = fixture.emulator.adminToken
            #expect(fixture.logs.all.allSatisfy { !$0.message.contains(token) && !$0.metadata.values.contains { $0.contains(token) } })
        }
    }
}
