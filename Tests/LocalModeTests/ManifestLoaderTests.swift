import FlinkJobOperator
import Foundation
import JSONCore
import LocalMode
import Testing

@Suite("Manifests: parsing, problems with file and line, artifact digests")
struct ManifestLoaderTests {
    @Test func invalidYAMLNamesTheFileAndLineAndTheOtherManifestsStillLoad() throws {
        let sandbox = try LocalSandbox()
        try sandbox.writeManifest("good.yaml", Manifests.job("good"))
        let broken = try sandbox.writeManifest("broken.yaml", """
            apiVersion: flink.jobcontroller.io/v1alpha1
            kind: FlinkJob
            metadata:
              name: broken
            spec:
              args: ["--rate", "5"
              parallelism: 2

            """)
        let snapshot = sandbox.loader().load()
        #expect(snapshot.objects.map(\.key.name) == ["good"])
        #expect(snapshot.brokenFiles == [broken])
        let problem = try #require(snapshot.problems.first)
        #expect(problem.file == broken)
        // The unclosed flow sequence opened on line 6 is detected where the next key starts, line 7.
        #expect(problem.line == 7)
        #expect(problem.description.hasPrefix("\(broken):7: invalid YAML"))
    }

    @Test func aFieldOfTheWrongTypeNamesTheLineOfThatField() throws {
        let sandbox = try LocalSandbox()
        let file = try sandbox.writeManifest("typo.yaml", Manifests.job("ok") + "---\n" + Manifests.job("typo", extra: "  parallelism: many\n"))
        let snapshot = sandbox.loader().load()
        let problem = try #require(snapshot.problems.first)
        #expect(snapshot.objects.isEmpty, "a file is all or nothing")
        #expect(problem.file == file)
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let expectedLine = try #require(lines.firstIndex { $0.contains("parallelism: many") }) + 1
        #expect(problem.line == expectedLine)
        #expect(problem.message.contains("FlinkJob/typo"))
        #expect(problem.message.contains("spec.parallelism"))
    }

    @Test func missingKindAndWrongAPIVersionAndBadNamesAreProblems() throws {
        let sandbox = try LocalSandbox()
        try sandbox.writeManifest("a.yaml", "metadata:\n  name: x\n")
        try sandbox.writeManifest("b.yaml", Manifests.job("b").replacingOccurrences(of: "v1alpha1", with: "v9"))
        try sandbox.writeManifest("c.yaml", Manifests.job("Not_A_Name"))
        let problems = sandbox.loader().load().problems.sorted { $0.file < $1.file }
        #expect(problems.count == 3)
        #expect(problems[0].message == "document has no kind")
        #expect(problems[1].message.contains("apiVersion must be flink.jobcontroller.io/v1alpha1"))
        #expect(problems[1].line == 1)
        #expect(problems[2].message.contains("metadata.name"))
        #expect(problems[2].line == 4)
    }

    @Test func namespaceDefaultsTheManifestStatusIsIgnoredAndCRDDefaultsApply() throws {
        let sandbox = try LocalSandbox()
        try sandbox.writeManifest("a.yaml", Manifests.job("a", extra: "status:\n  state: Running\n  deploySequence: 99\n"))
        try sandbox.writeManifest("c.yml", Manifests.cluster().replacingOccurrences(of: "name: default", with: "name: default\n  namespace: ignored"))
        try sandbox.writeManifest(".a.yaml.swp", "garbage: [")
        try sandbox.writeManifest("notes.txt", "not a manifest")
        let snapshot = sandbox.loader().load()
        #expect(snapshot.problems.isEmpty)
        let job = try #require(snapshot.objects.first { $0.key.kind == .flinkJob })
        #expect(job.key.namespace == "default")
        let spec = try job.spec.decode(FlinkJobSpec.self)
        #expect(spec.upgradeMode == .savepoint && spec.deletePolicy == .savepoint && spec.parallelism == 1)
        #expect(job.spec["upgradeMode"] == "Savepoint", "defaults are stored, as an API server would")
        let store = try sandbox.store()
        try store.sync(snapshot)
        #expect(try store.job("a").status == nil)
        let cluster = try #require(snapshot.objects.first { $0.key.kind == .flinkSessionCluster })
        #expect(cluster.key.namespace == nil)
    }

    @Test func aLocalArtifactWithoutDigestIsServedWithTheFilesDigestAndAStatedDigestIsKept() throws {
        let sandbox = try LocalSandbox()
        let jar = sandbox.artifacts.appendingPathComponent("job.jar")
        try Data("version 1".utf8).write(to: jar)
        let stated = "sha256:" + String(repeating: "a", count: 64)
        try sandbox.writeManifest("a.yaml", Manifests.job("a", jar: "file://\(jar.path)"))
        try sandbox.writeManifest("b.yaml", Manifests.job("b", jar: "file://\(jar.path)").replacingOccurrences(of: "  args:", with: "    digest: \(stated)\n  args:"))
        try sandbox.writeManifest("c.yaml", Manifests.job("c", jar: "file:///etc/hostname"))
        let store = try sandbox.store()
        let first = sandbox.loader().load()
        try store.sync(first)
        let digest1 = try store.job("a").spec["artifact"]?["digest"]?.stringValue
        #expect(digest1 == "sha256:" + Digests.sha256(Data("version 1".utf8)).hexString)
        #expect(try store.job("b").spec["artifact"]?["digest"]?.stringValue == stated)
        #expect(try store.job("c").spec["artifact"]?["digest"] == nil, "outside the artifact directories: not read")
        #expect(first.artifactFiles == [sandbox.artifacts.path: ["job.jar"]])

        try Data("version 2".utf8).write(to: jar)
        try store.sync(sandbox.loader().load())
        let a = try store.job("a")
        #expect(a.spec["artifact"]?["digest"]?.stringValue != digest1)
        #expect(a.generation == 2, "a new jar is a spec change")
        #expect(try store.job("b").generation == 1)
    }

    @Test func theFirstDefinitionOfAnObjectWinsAndTheDuplicateIsReported() throws {
        let sandbox = try LocalSandbox()
        try sandbox.writeManifest("1.yaml", Manifests.job("a", args: ["first"]))
        let second = try sandbox.writeManifest("2.yaml", Manifests.job("a", args: ["second"]) + "---\n" + Manifests.job("b"))
        let snapshot = sandbox.loader().load()
        #expect(snapshot.objects.map(\.key.name) == ["a", "b"])
        #expect(try snapshot.objects[0].spec.decode(FlinkJobSpec.self).args == ["first"])
        #expect(snapshot.problems.map(\.file) == [second])
        #expect(snapshot.problems.first?.message.contains("already defined") == true)
    }

    @Test func aBrokenFileKeepsItsObjectsAndARenamedFileKeepsItsObjectsIdentity() throws {
        let sandbox = try LocalSandbox()
        try sandbox.writeManifest("a.yaml", Manifests.job("a"))
        try sandbox.writeManifest("b.yaml", Manifests.job("b"))
        let store = try sandbox.store()
        try store.sync(sandbox.loader().load())
        let a = try store.job("a")

        try sandbox.writeManifest("a.yaml", "kind: FlinkJob\nspec: [")
        let outcome = try store.sync(sandbox.loader().load())
        #expect(outcome.isEmpty)
        #expect(try store.job("a") == a, "the last valid version stays while the file is broken")

        try sandbox.writeManifest("a.yaml", Manifests.job("a"))
        try FileManager.default.moveItem(at: sandbox.manifests.appendingPathComponent("a.yaml"), to: sandbox.manifests.appendingPathComponent("renamed.yaml"))
        #expect(try store.sync(sandbox.loader().load()).isEmpty)
        let renamed = try store.job("a")
        #expect(renamed.uid == a.uid && renamed.resourceVersion == a.resourceVersion)
        #expect(renamed.source?.hasSuffix("renamed.yaml") == true)

        try sandbox.removeManifest("b.yaml")
        let deferred = try store.sync(sandbox.loader().load(), deleteMissing: false)
        #expect(deferred.missing.map(\.name) == ["b"])
        #expect(try store.job("b").deletionTimestamp == nil)
        #expect(try store.sync(sandbox.loader().load()).deleted.map(\.name) == ["b"])
        #expect(throws: (any Error).self) { try store.job("b") }
    }

    @Test func configMapsAndSecretsNextToTheJobsServeReferences() async throws {
        let sandbox = try LocalSandbox()
        try sandbox.writeManifest("refs.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: scripts, namespace: team-a}
            data: {job.sql: "INSERT INTO sink SELECT * FROM src"}
            ---
            apiVersion: v1
            kind: Secret
            metadata: {name: keys}
            data: {key.pem: aGVsbG8=}
            stringData: {plain: text}
            """)
        let lookup = LocalReferenceLookup()
        lookup.update(from: sandbox.loader().load())
        #expect(await lookup.configMapValue(namespace: "team-a", name: "scripts", key: "job.sql") == "INSERT INTO sink SELECT * FROM src")
        #expect(await lookup.secretValue(namespace: "default", name: "keys", key: "key.pem") == Data("hello".utf8))
        #expect(await lookup.secretValue(namespace: "default", name: "keys", key: "plain") == Data("text".utf8))
        #expect(await lookup.secretValue(namespace: "default", name: "missing", key: "x") == nil)
    }
}
