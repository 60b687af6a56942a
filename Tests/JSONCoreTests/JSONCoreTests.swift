import Foundation
import JSONCore
import Testing

@Suite struct JSONValueTests {
    @Test func parsingKeepsIntegersAndDoublesApartButComparesThemByValue() throws {
        let value = try JSONValue(parsing: Data(#"{"a": 1, "b": 1.5, "c": 2.0, "big": 9007199254740993}"#.utf8))
        #expect(value["a"] == .integer(1))
        #expect(value["b"] == .double(1.5))
        #expect(value["c"] == .integer(2))
        #expect(value["big"]?.integerValue == 9_007_199_254_740_993)
    }

    @Test func malformedBytesThrowATypedError() {
        #expect(throws: JSONCoreError.self) { try JSONValue(parsing: Data("{\"a\": ".utf8)) }
        #expect(throws: JSONCoreError.self) { try JSONValue(parsing: Data("not json".utf8)) }
    }

    @Test func pathSubscriptCreatesIntermediateObjectsAndRemovesOnNil() {
        var value = JSONValue.emptyObject
        value[path: ["metadata", "labels", "app"]] = "x"
        #expect(value == ["metadata": ["labels": ["app": "x"]]])
        value[path: ["metadata", "labels", "app"]] = nil
        #expect(value == ["metadata": ["labels": [:]]])
    }

    @Test func encodingSortsKeys() throws {
        let value: JSONValue = ["b": 1, "a": [true, nil, "s"]]
        #expect(String(decoding: try value.encodedData(), as: UTF8.self) == #"{"a":[true,null,"s"],"b":1}"#)
    }
}

@Suite struct JSONMergePatchTests {
    // The examples of RFC 7386 appendix A.
    @Test(arguments: [
        (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
        (#"{"a":"b"}"#, #"{"a":null}"#, #"{}"#),
        (#"{"a":"b","b":"c"}"#, #"{"a":null}"#, #"{"b":"c"}"#),
        (#"{"a":["b"]}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
        (#"{"a":"c"}"#, #"{"a":["b"]}"#, #"{"a":["b"]}"#),
        (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
        (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
        (#"["a","b"]"#, #"["c","d"]"#, #"["c","d"]"#),
        (#"{"a":"b"}"#, #"["c"]"#, #"["c"]"#),
        (#"{"a":"foo"}"#, "null", "null"),
        (#"{"e":null}"#, #"{"a":1}"#, #"{"e":null,"a":1}"#),
        (#"[1,2]"#, #"{"a":"b","c":null}"#, #"{"a":"b"}"#),
        (#"{}"#, #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
    ])
    func rfc7386Examples(original: String, patch: String, expected: String) throws {
        let result = try JSONValue(parsing: Data(original.utf8)).applyingMergePatch(JSONValue(parsing: Data(patch.utf8)))
        #expect(result == (try JSONValue(parsing: Data(expected.utf8))))
    }

    @Test func computedPatchTurnsSourceIntoTarget() {
        let source: JSONValue = ["spec": ["args": ["a"], "parallelism": 2, "gone": true], "keep": 1]
        let target: JSONValue = ["spec": ["args": ["a", "b"], "parallelism": 2, "new": "x"], "keep": 1]
        let patch = source.mergePatch(to: target)
        #expect(patch == ["spec": ["args": ["a", "b"], "gone": nil, "new": "x"]])
        #expect(source.applyingMergePatch(patch) == target)
    }
}

@Suite struct JSONPatchTests {
    private func apply(_ patch: String, to document: String) throws -> JSONValue {
        try JSONPatch(document: JSONValue(parsing: Data(patch.utf8))).apply(to: JSONValue(parsing: Data(document.utf8)))
    }

    @Test func addReplaceRemoveMoveCopyFollowRFC6902() throws {
        let result = try apply(
            #"""
            [{"op":"add","path":"/metadata/finalizers/-","value":"f2"},
             {"op":"add","path":"/metadata/finalizers/0","value":"f0"},
             {"op":"replace","path":"/spec/parallelism","value":4},
             {"op":"remove","path":"/spec/gone"},
             {"op":"copy","from":"/spec/parallelism","path":"/status/p"},
             {"op":"move","from":"/spec/tmp","path":"/spec/a~1b"}]
            """#,
            to: #"{"metadata":{"finalizers":["f1"]},"spec":{"parallelism":1,"gone":1,"tmp":"x"},"status":{}}"#
        )
        #expect(
            result
                == ["metadata": ["finalizers": ["f0", "f1", "f2"]], "spec": ["parallelism": 4, "a/b": "x"],
                    "status": ["p": 4]]
        )
    }

    @Test func failedTestRejectsTheWholePatch() {
        #expect(throws: JSONCoreError.patchFailed(operation: 1, reason: "test failed at /metadata/resourceVersion")) {
            try apply(
                #"[{"op":"add","path":"/a","value":1},{"op":"test","path":"/metadata/resourceVersion","value":"7"}]"#,
                to: #"{"metadata":{"resourceVersion":"8"}}"#
            )
        }
    }

    @Test func removingAMissingPathFails() {
        #expect(throws: JSONCoreError.self) { try apply(#"[{"op":"remove","path":"/nope"}]"#, to: "{}") }
        #expect(throws: JSONCoreError.self) { try apply(#"[{"op":"replace","path":"/a/5","value":1}]"#, to: #"{"a":[]}"#) }
    }

    @Test func malformedOperationsAreRejectedWhenParsed() {
        #expect(throws: JSONCoreError.self) { try apply(#"{"op":"add"}"#, to: "{}") }
        #expect(throws: JSONCoreError.self) { try apply(#"[{"op":"frobnicate","path":"/a"}]"#, to: "{}") }
        #expect(throws: JSONCoreError.self) { try apply(#"[{"op":"add","path":"a","value":1}]"#, to: "{}") }
        #expect(throws: JSONCoreError.self) { try apply(#"[{"op":"add","path":"/a~2","value":1}]"#, to: "{}") }
    }

    @Test func patchRoundTripsThroughItsDocument() throws {
        let patch = JSONPatch([
            .test(path: try JSONPointer("/metadata/finalizers"), value: ["a/b"]),
            .add(path: JSONPointer(tokens: ["metadata", "finalizers", "-"]), value: "x~y"),
        ])
        #expect(try JSONPatch(document: patch.document) == patch)
        #expect(patch.document.arrayValue?[1]["path"] == "/metadata/finalizers/-")
    }
}

@Suite struct JSONParserTests {
    @Test(arguments: [
        #"{"a":[1,-2,3.5,1e3,-0.25E-2,true,false,null],"b":"x\"y\\z\/\n\t\u00e9\ud83d\ude00","c":{}}"#,
        #"  [ ]  "#, #""plain""#, "0", "-9223372036854775808", "18446744073709551616",
    ])
    func parsesLikeFoundation(_ text: String) throws {
        let ours = try JSONValue(parsing: Data(text.utf8))
        let foundation = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(ours == foundation)
        #expect(try JSONValue(parsing: ours.encodedData()) == ours)
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "\"\\x\"", "\"\u{01}\"", "tru", "[1] 2", "\"\\ud800\"", "{\"a\":1,}",
        String(repeating: "[", count: 600) + String(repeating: "]", count: 600),
    ])
    func refusesMalformedJSONWithATypedError(_ text: String) {
        #expect(throws: JSONCoreError.self) { try JSONValue(parsing: Data(text.utf8)) }
    }

    @Test func keepsLargeIntegersExact() throws {
        #expect(try JSONValue(parsing: Data("9007199254740993".utf8)) == .integer(9_007_199_254_740_993))
        #expect(try JSONValue(parsing: Data("1.5".utf8)) == .double(1.5))
    }
}
