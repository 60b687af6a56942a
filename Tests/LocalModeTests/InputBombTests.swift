import Foundation
import LocalMode
import Testing

/// Hostile manifest files are refused with a clear problem, fast and within bounded memory; the other manifests
/// still load.
@Suite("Manifests: input bombs")
struct InputBombTests {
    /// Nine levels of nine aliases: 342 bytes that expand to 9⁹ (387 million) strings.
    static let billionLaughs: String = {
        var text = "apiVersion: flink.jobcontroller.io/v1alpha1\nkind: FlinkJob\nmetadata: {name: lol}\nspec:\n"
        text += "  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        var previous = "a"
        for level in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            text += "  \(level): &\(level) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]\n"
            previous = level
        }
        return text
    }()

    @Test func aBillionLaughsManifestIsRefusedAtOnce() throws {
        let sandbox = try LocalSandbox()
        try sandbox.writeManifest("good.yaml", Manifests.job("good"))
        let bomb = try sandbox.writeManifest("bomb.yaml", Self.billionLaughs)
        let started = ContinuousClock.now
        let snapshot = sandbox.loader().load()
        let elapsed = ContinuousClock.now - started
        #expect(snapshot.objects.map(\.key.name) == ["good"])
        #expect(snapshot.brokenFiles == [bomb])
        let problem = try #require(snapshot.problems.first)
        #expect(problem.message.contains("billion laughs"), "\(problem)")
        // Walking the expanded tree would take minutes and gigabytes; the budget stops after about 1,300 nodes.
        #expect(elapsed < .seconds(5), "refused in \(elapsed)")
    }

    @Test func honestAnchorsAndAliasesStillLoad() throws {
        let sandbox = try LocalSandbox()
        try sandbox.writeManifest("anchors.yaml", Manifests.job("anchored", labels: ["team": "a"])
            .replacingOccurrences(of: "    team: \"a\"\n", with: "    team: &team \"a\"\n    owner: *team\n"))
        let snapshot = sandbox.loader().load()
        #expect(snapshot.problems.isEmpty, "\(snapshot.problems)")
        #expect(snapshot.objects.first?.labels["owner"] == "a")
    }

    @Test func aFileAboveTheSizeLimitIsRefusedWithoutBeingRead() throws {
        let sandbox = try LocalSandbox()
        let huge = try sandbox.writeManifest(
            "huge.yaml", Manifests.job("huge") + "# " + String(repeating: "x", count: 10 << 20) + "\n")
        let snapshot = sandbox.loader().load()
        #expect(snapshot.brokenFiles == [huge])
        #expect(snapshot.problems.first?.message.contains("larger than the limit of \(ManifestYAML.maxFileBytes) bytes") == true)
    }

    @Test func bytesThatAreNotUTF8AreRefusedWithTheirOffsetAndLine() throws {
        let sandbox = try LocalSandbox()
        let path = try sandbox.writeManifest("latin1.yaml", "kind: FlinkJob\nmetadata:\n  name: x\n")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes.append(contentsOf: Array("  label: caf".utf8) + [0xE9, 0x0A])
        try bytes.write(to: URL(fileURLWithPath: path))
        let snapshot = sandbox.loader().load()
        let problem = try #require(snapshot.problems.first)
        #expect(problem.line == 4)
        #expect(problem.message == "the file is not UTF-8 (invalid byte at offset \(bytes.count - 2))")
    }

    @Test func nestingBeyondLibyamlsLimitIsAnErrorNotACrash() throws {
        let sandbox = try LocalSandbox()
        let deep = try sandbox.writeManifest(
            "deep.yaml", "kind: FlinkJob\nspec: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n")
        let snapshot = sandbox.loader().load()
        #expect(snapshot.brokenFiles == [deep])
        #expect(snapshot.problems.first?.message.hasPrefix("invalid YAML") == true)
    }
}
