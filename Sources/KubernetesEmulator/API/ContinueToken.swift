import Foundation
import JSONCore

/// A list continue token in the real server's format: base64url of `{"v":"meta.k8s.io/v1","rv":N,"start":"key\u0000"}`.
struct ContinueToken: Sendable, Equatable {
    /// The revision.
    var revision: Int64
    /// The key to continue after (exclusive).
    var startAfter: String

    /// The token as sent to clients.
    var encoded: String {
        let json: JSONValue = ["v": "meta.k8s.io/v1", "rv": .integer(revision), "start": .string(startAfter + "\u{0}")]
        let data = GoJSONWriter.sorted.data(json)
        return data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// A token continuing after `startAfter` at `revision`.
    init(revision: Int64, startAfter: String) {
        self.revision = revision
        self.startAfter = startAfter
    }

    /// Decodes a token; throws the 400 message of a real server for malformed ones.
    init(decoding text: String) throws(APIError) {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let json = try? JSONValue(parsing: data),
              json["v"]?.stringValue == "meta.k8s.io/v1", let rv = json["rv"]?.integerValue,
              let start = json["start"]?.stringValue
        else {
            throw APIError.badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
        }
        revision = rv
        startAfter = start.hasSuffix("\u{0}") ? String(start.dropLast()) : start
        if startAfter.hasPrefix("/") { startAfter.removeFirst() }
    }
}
