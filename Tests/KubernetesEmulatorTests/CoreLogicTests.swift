import Foundation
import JSONCore
@testable import KubernetesEmulator
import Testing

@Suite("Core logic without HTTP")
struct CoreLogicTests {
    @Test(arguments: [
        ("app=x", ["app": "x"], true), ("app=x", ["app": "y"], false), ("app!=x", [:], true),
        ("tier in (gold,bronze),app", ["tier": "gold", "app": "a"], true), ("tier notin (gold)", ["tier": "gold"], false),
        ("!legacy", ["legacy": "1"], false), ("tier==", ["tier": ""], true), ("tier==", ["tier": "x"], false),
    ] as [(String, [String: String], Bool)])
    func labelSelectorsMatchLikeKubernetes(_ selector: String, _ labels: [String: String], _ expected: Bool) throws {
        #expect(try LabelSelector(parsing: selector).matches(labels) == expected)
    }

    @Test func malformedSelectorsReportTheRealParserMessage() {
        #expect(throws: SelectorError.self) { try LabelSelector(parsing: "tier in (gold") }
        do {
            _ = try LabelSelector(parsing: "tier in (gold")
        } catch {
            #expect(error.text == "unable to parse requirement: found '', expected: ',' or ')'")
        }
    }

    @Test(arguments: [
        ("2024-05-01T10:01:00Z", "parsing time \"2024-05-01T10:01:00Z\" as \"2006-01-02T15:04:05.000000Z07:00\": cannot parse \"Z\" as \".000000\""),
        ("2024-05-01T10:01:00.5Z", "parsing time \"2024-05-01T10:01:00.5Z\" as \"2006-01-02T15:04:05.000000Z07:00\": cannot parse \".5Z\" as \".000000\""),
        ("2024-05-01T10:01:02.123456789Z", "parsing time \"2024-05-01T10:01:02.123456789Z\" as \"2006-01-02T15:04:05.000000Z07:00\": cannot parse \"789Z\" as \"Z07:00\""),
        ("2024-05-01 10:01:02", "parsing time \"2024-05-01 10:01:02\" as \"2006-01-02T15:04:05.000000Z07:00\": cannot parse \" 10:01:02\" as \"T\""),
        ("2024-13-01T10:01:02.000000Z", "parsing time \"2024-13-01T10:01:02.000000Z\": month out of range"),
    ])
    func microTimeParsingFailsWithGoMessages(_ input: String, _ message: String) {
        guard case .failure(let failure) = GoTime.parse(input, layout: .rfc3339Micro) else {
            Issue.record("\(input) parsed")
            return
        }
        #expect(failure.message == message)
    }

    @Test func microTimesWithOffsetsAreNormalisedToUTC() throws {
        let instant = try GoTime.parse("2024-05-01T12:01:00.250000+02:00", layout: .rfc3339Micro).get()
        #expect(GoTime.formatMicro(instant) == "2024-05-01T10:01:00.250000Z")
        #expect(GoTime.formatSeconds(try GoTime.parse("2024-02-29T23:59:59.9-01:00", layout: .rfc3339).get()) == "2024-03-01T00:59:59Z")
    }

    @Test func structuralSchemasPruneDefaultAndValidate() throws {
        let schema = try StructuralSchema(json: [
            "type": "object",
            "properties": [
                "spec": ["type": "object", "properties": [
                    "replicas": ["type": "integer", "minimum": 1, "default": 1],
                    "mode": ["type": "string", "enum": ["A", "B"]],
                    "labels": ["type": "object", "additionalProperties": ["type": "string"]],
                ]],
                "status": ["type": "object", "x-kubernetes-preserve-unknown-fields": true],
            ],
        ])
        var object: JSONValue = ["apiVersion": "x/v1", "kind": "X", "metadata": ["name": "n"],
                                 "spec": ["extra": 1, "labels": ["a": "b"]], "status": ["anything": ["goes": true]]]
        #expect(schema.prune(&object) == ["spec.extra"])
        schema.applyDefaults(&object)
        #expect(object[path: ["spec", "replicas"]] == 1)
        #expect(object[path: ["status", "anything", "goes"]] == true)
        #expect(schema.validate(object).isEmpty)
        object[path: ["spec", "mode"]] = "C"
        object[path: ["spec", "replicas"]] = "two"
        let errors = schema.validate(object)
        #expect(errors.map(\.kind) == [.typeInvalid, .notSupported])
        #expect(errors.map(\.field) == ["spec.replicas", "spec.mode"])
    }

    @Test func fieldSetsRoundTripFieldsV1AndPrintPathsLikeStructuredMergeDiff() {
        var set = FieldSet()
        set.insert(["f:metadata", "f:labels", "f:owner"])
        set.insert(["f:spec", "f:conditions", "k:{\"type\":\"Ready\"}"])
        set.insert(["f:spec", "f:conditions", "k:{\"type\":\"Ready\"}", "f:status"])
        #expect(FieldSet(json: set.json) == set)
        #expect(FieldSet.describe(["f:spec", "f:conditions", "k:{\"type\":\"Ready\"}"]) == ".spec.conditions[type=\"Ready\"]")
        #expect(set.json[path: ["f:spec", "f:conditions", "k:{\"type\":\"Ready\"}", "."]] == .emptyObject)
    }

    @Test func continueTokensRoundTripAndRejectGarbage() throws {
        let token = ContinueToken(revision: 42, startAfter: "team-a/job-b")
        #expect(try ContinueToken(decoding: token.encoded) == token)
        #expect(throws: APIError.self) { try ContinueToken(decoding: "not-a-token") }
    }

    @Test func goJSONWriterEscapesLikeGo() {
        #expect(GoJSONWriter.sorted.string(["b": "<&>", "a": [1, 2.5, true, nil]]) == #"{"a":[1,2.5,true,null],"b":"\u003c\u0026\u003e"}"#)
        #expect(GoJSONWriter.goQuote("a\"b\n") == #""a\"b\n""#)
    }
}
