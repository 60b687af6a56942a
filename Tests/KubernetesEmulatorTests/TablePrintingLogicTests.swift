import Foundation
import JSONCore
@testable import KubernetesEmulator
import Testing

/// The pieces of server-side printing, driven without HTTP.
@Suite("Table printing logic")
struct TablePrintingLogicTests {
    @Test(arguments: [
        (0.4, "0s"), (-1.5, "0s"), (-2.0, "<invalid>"), (59, "59s"), (119, "119s"), (120, "2m"), (125, "2m5s"),
        (599, "9m59s"), (600, "10m"), (10_799, "179m"), (10_800, "3h"), (11_000, "3h3m"), (28_800, "8h"),
        (172_799, "47h"), (172_800, "2d"), (180_000, "2d2h"), (691_200, "8d"), (63_072_000, "2y"), (63_158_400, "2y1d"),
        (300_000_000, "9y"),
    ] as [(Double, String)])
    func agesReadLikeKubectls(_ seconds: Double, _ expected: String) {
        #expect(HumanDuration.format(seconds: seconds) == expected)
    }

    @Test func agesOfTimestampsAreMeasuredAtTheServersClock() {
        let now = Date(timeIntervalSince1970: 1_704_067_200 + 90)  // 2024-01-01T00:01:30Z
        #expect(HumanDuration.age(of: "2024-01-01T00:00:00Z", now: now) == "90s")
        #expect(HumanDuration.age(of: "2024-01-01T00:00:00.500000Z", now: now) == "89s")
        #expect(HumanDuration.age(of: nil, now: now) == "<unknown>")
        #expect(HumanDuration.age(of: "yesterday", now: now) == "<invalid>")
    }

    static let object: JSONValue = [
        "spec": ["args": ["--a", "--b"], "clusterRef": ["name": "default"]],
        "status": ["conditions": [["type": "Progressing", "status": "False"], ["type": "Ready", "status": "True"]],
                   "counts": ["b": 2, "a": 1]],
    ]

    @Test(arguments: [
        (".spec.clusterRef.name", ["default"]),
        (".spec.args[1]", ["--b"]),
        (".spec.args[-1]", ["--b"]),
        (".spec.args[*]", ["--a", "--b"]),
        (".status.conditions[?(@.type==\"Ready\")].status", ["True"]),
        (".status.conditions[?(@.type=='Progressing')].status", ["False"]),
        (".status.conditions[?(@.type!=\"Ready\")].type", ["Progressing"]),
        (".status.counts.*", [1, 2]),
        (".status['counts'].a", [1]),
        (".status.missing.deeper", []),
        (".spec.args[7]", []),
    ] as [(String, [JSONValue])])
    func printerColumnPathsSelectLikeClientGosJSONPath(_ path: String, _ expected: [JSONValue]) throws {
        let parsed = try #require(PrinterColumnPath(path))
        #expect(parsed.results(in: Self.object) == expected)
    }

    @Test func pathsOutsideTheSubsetAreRefused() {
        for bad in ["spec", ".spec[", ".status.conditions[?(@.type=~\"x\")]", ".a..b"] {
            #expect(PrinterColumnPath(bad) == nil, "\(bad)")
        }
    }
}
