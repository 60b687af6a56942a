import Crypto
import Foundation
import JSONCore

extension APIServer {
    /// The media types the OpenAPI endpoints serve (JSON only: the protobuf encodings are not emulated).
    private static func acceptsJSON(_ accept: String?) -> Bool {
        guard let accept, !accept.isEmpty else { return true }
        return accept.split(separator: ",").contains { entry in
            let media = entry.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            return media == "application/json" || media == "*/*" || media == "application/*"
        }
    }

    /// The etag of a document: the hex SHA-256 of its bytes (a real server uses SHA-512; the value is opaque).
    static func documentHash(_ data: Data) -> String {
        SHA256.hash(data: Array(data)).map { String(format: "%02X", $0) }.joined()
    }

    /// Answers `/openapi/v2`, `/openapi/v3` and `/openapi/v3/{api/v1|apis/group/version}`.
    ///
    /// Like a kube-apiserver: the v3 index lists every served group version with a `serverRelativeURL` carrying
    /// the document's hash; a request with the current `hash` gets `Cache-Control: public, immutable`, one with a
    /// stale hash a 301 to the current URL; an `Accept` without JSON gets 406.
    func openAPI(_ path: RequestPath, _ request: APIRequest) throws(APIError) -> APIOutcome {
        guard Self.acceptsJSON(request.accept) else {
            throw APIError(code: 406, reason: "NotAcceptable",
                           message: "only the following media types are accepted: application/json")
        }
        let types = state.withLock { Array($0.types.values) }.filter { !$0.plural.contains("/") }
        let builder = OpenAPIDocumentBuilder(types: types)
        switch path {
        case .openAPIV2:
            let data = GoJSONWriter.sorted.data(builder.v2Document())
            return .response(APIResponse(status: 200, headers: [("ETag", "\"\(Self.documentHash(data))\""), ("Vary", "Accept")],
                                         body: data))
        case .openAPIV3Index:
            var paths: [String: JSONValue] = [:]
            for (group, version) in builder.groupVersions {
                guard let document = builder.v3Document(group: group, version: version) else { continue }
                let hash = Self.documentHash(GoJSONWriter.sorted.data(document))
                let key = OpenAPIDocumentBuilder.pathKey(group: group, version: version)
                paths[key] = ["serverRelativeURL": .string("/openapi/v3/\(key)?hash=\(hash)")]
            }
            return json(200, ["paths": .object(paths)])
        case .openAPIV3(let group, let version):
            guard let document = builder.v3Document(group: group, version: version) else { throw .pageNotFound }
            let data = GoJSONWriter.sorted.data(document)
            let hash = Self.documentHash(data)
            var headers: [(String, String)] = [("ETag", "\"\(hash)\""), ("Vary", "Accept")]
            if let requested = request.query["hash"], !requested.isEmpty {
                let key = OpenAPIDocumentBuilder.pathKey(group: group, version: version)
                guard requested == hash else {
                    return .response(APIResponse(status: 301, contentType: "text/html; charset=utf-8",
                                                 headers: [("Location", "/openapi/v3/\(key)?hash=\(hash)")],
                                                 body: Data("<a href=\"/openapi/v3/\(key)?hash=\(hash)\">Moved Permanently</a>.\n\n".utf8)))
                }
                headers.append(("Cache-Control", "public, immutable"))
            }
            return .response(APIResponse(status: 200, headers: headers, body: data))
        default:
            throw .pageNotFound
        }
    }
}
