import Foundation
import JSONCore
import Testing

@testable import Kubernetes

@Suite struct MicroTimeTests {
    @Test func formatsExactlySixFractionalDigits() throws {
        let whole = try #require(MicroTime(rfc3339: "2024-05-01T10:01:00Z"))
        #expect(whole.description == "2024-05-01T10:01:00.000000Z")
        let micros = try #require(MicroTime(rfc3339: "2024-05-01T10:00:05.654321Z"))
        #expect(micros.description == "2024-05-01T10:00:05.654321Z")
        #expect(MicroTime(microsecondsSince1970: 1).description == "1970-01-01T00:00:00.000001Z")
    }

    @Test func readsAnyPrecisionAndOffset() throws {
        #expect(MicroTime(rfc3339: "2024-05-01T10:01:00.5Z")?.description == "2024-05-01T10:01:00.500000Z")
        // Nanoseconds are truncated, not rounded.
        #expect(
            MicroTime(rfc3339: "2024-05-01T10:01:02.123456789Z")?.description == "2024-05-01T10:01:02.123456Z")
        #expect(
            MicroTime(rfc3339: "2024-05-01T12:01:00.250000+02:00")?.description == "2024-05-01T10:01:00.250000Z")
        #expect(MicroTime(rfc3339: "2024-05-01T07:31:00-02:30")?.description == "2024-05-01T10:01:00.000000Z")
        #expect(MicroTime(rfc3339: "2024-05-01t10:01:00z")?.description == "2024-05-01T10:01:00.000000Z")
    }

    @Test(arguments: [
        "", "2024-05-01 10:01:02", "2024-05-01T10:01:02", "2024-13-01T00:00:00Z", "2023-02-29T00:00:00Z",
        "2024-05-01T24:00:00Z", "2024-05-01T10:01:02.Z", "2024-05-01T10:01:02Zjunk", "2024-5-1T10:01:02Z",
        "not a time",
    ])
    func rejectsTextThatIsNotRFC3339(_ text: String) {
        #expect(MicroTime(rfc3339: text) == nil)
        #expect(KubeTime(rfc3339: text) == nil)
    }

    @Test func acceptsLeapDays() {
        #expect(KubeTime(rfc3339: "2024-02-29T00:00:00Z")?.description == "2024-02-29T00:00:00Z")
        #expect(KubeTime(rfc3339: "2000-02-29T23:59:59Z")?.description == "2000-02-29T23:59:59Z")
    }

    @Test func encodesAsJSONStringWithSixDigitsInsideALease() throws {
        let lease = Lease(
            metadata: ObjectMeta(name: "leader"),
            spec: LeaseSpec(
                holderIdentity: "a", leaseDurationSeconds: 15,
                acquireTime: MicroTime(microsecondsSince1970: 1_714_557_600_000_000),
                renewTime: MicroTime(microsecondsSince1970: 1_714_557_605_000_001)))
        let json = try JSONValue(encoding: lease)
        #expect(json[path: ["spec", "acquireTime"]] == "2024-05-01T10:00:00.000000Z")
        #expect(json[path: ["spec", "renewTime"]] == "2024-05-01T10:00:05.000001Z")
    }

    @Test func convertsDatesWithoutLosingMicroseconds() {
        let date = Date(timeIntervalSince1970: 1_714_557_605.654321)
        let time = MicroTime(date)
        #expect(abs(time.date.timeIntervalSince(date)) < 0.000_002)
        #expect(time.kubeTime.description == "2024-05-01T10:00:05Z")
        #expect(MicroTime(microsecondsSince1970: 1_000_000).adding(.milliseconds(1500)).microsecondsSince1970 == 2_500_000)
    }

    @Test func formatsInstantsBefore1970() {
        #expect(MicroTime(microsecondsSince1970: -1).description == "1969-12-31T23:59:59.999999Z")
        #expect(KubeTime(secondsSince1970: -86_400).description == "1969-12-31T00:00:00Z")
    }

    @Test func failsDecodingWithATypedErrorForMalformedText() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(MicroTime.self, from: Data(#""2024-05-01 10:01:02""#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(KubeTime.self, from: Data("12".utf8))
        }
    }
}

@Suite struct KubeTimeTests {
    @Test func writesWholeSecondsWithZ() throws {
        let time = try #require(KubeTime(rfc3339: "2024-05-01T10:00:00.999Z"))
        #expect(time.description == "2024-05-01T10:00:00Z")
        #expect(KubeTime(rfc3339: "2024-05-01T12:00:00+02:00") == time)
        let json = try JSONValue(encoding: ["t": time])
        #expect(json["t"] == "2024-05-01T10:00:00Z")
    }

    @Test func ordersByInstant() throws {
        let earlier = try #require(KubeTime(rfc3339: "2024-05-01T10:00:00Z"))
        let later = try #require(KubeTime(rfc3339: "2024-05-01T10:00:01Z"))
        #expect(earlier < later)
        #expect(KubeTime(Date(timeIntervalSince1970: 1.9)).secondsSince1970 == 1)
    }
}
