import Foundation
import JSONCore

/// A failed API request: the HTTP status and the `Status` object a kube-apiserver would answer with.
struct APIError: Error, Sendable {
    /// The HTTP status code.
    var code: Int
    /// The body (a `meta/v1` Status) or, for plain-text answers, `nil`.
    var status: JSONValue?
    /// Plain-text body (e.g. `404 page not found`) when `status` is `nil`.
    var plainText: String?
    /// Extra response headers (e.g. `Retry-After`).
    var headers: [(String, String)] = []

    /// A failure Status.
    init(code: Int, reason: String, message: String, details: JSONValue? = nil, metadata: JSONValue = .emptyObject) {
        self.code = code
        var object: [String: JSONValue] = [
            "kind": "Status", "apiVersion": "v1", "metadata": metadata, "status": "Failure",
            "message": .string(message), "reason": .string(reason), "code": .integer(Int64(code)),
        ]
        if let details { object["details"] = details }
        status = .object(object)
    }

    private init(plainNotFound: ()) {
        code = 404
        plainText = "404 page not found\n"
    }

    /// The plain-text 404 a real server answers for paths that name no API.
    static let pageNotFound = APIError(plainNotFound: ())

    /// Builds `details` with the usual members; empty members are omitted.
    static func details(name: String? = nil, group: String? = nil, kind: String? = nil, uid: String? = nil,
                        causes: [JSONValue]? = nil, retryAfterSeconds: Int? = nil) -> JSONValue {
        var d: [String: JSONValue] = [:]
        if let name, !name.isEmpty { d["name"] = .string(name) }
        if let group, !group.isEmpty { d["group"] = .string(group) }
        if let kind, !kind.isEmpty { d["kind"] = .string(kind) }
        if let uid, !uid.isEmpty { d["uid"] = .string(uid) }
        if let causes { d["causes"] = .array(causes) }
        if let retryAfterSeconds { d["retryAfterSeconds"] = .integer(Int64(retryAfterSeconds)) }
        return .object(d)
    }

    /// `resource.group` as Kubernetes prints a qualified resource (`leases.coordination.k8s.io`, `events`).
    static func qualified(_ resource: String, _ group: String) -> String {
        group.isEmpty ? resource : "\(resource).\(group)"
    }

    /// 404 NotFound for a named object.
    static func notFound(resource: String, group: String, name: String) -> APIError {
        APIError(code: 404, reason: "NotFound", message: "\(qualified(resource, group)) \"\(name)\" not found",
                 details: details(name: name, group: group, kind: resource))
    }

    /// 409 AlreadyExists.
    static func alreadyExists(resource: String, group: String, name: String) -> APIError {
        APIError(code: 409, reason: "AlreadyExists", message: "\(qualified(resource, group)) \"\(name)\" already exists",
                 details: details(name: name, group: group, kind: resource))
    }

    /// 409 Conflict on an object.
    static func conflict(resource: String, group: String, name: String, reason: String) -> APIError {
        APIError(code: 409, reason: "Conflict",
                 message: "Operation cannot be fulfilled on \(qualified(resource, group)) \"\(name)\": \(reason)",
                 details: details(name: name, group: group, kind: resource))
    }

    /// The reason text of an optimistic-concurrency conflict.
    static let modifiedReason = "the object has been modified; please apply your changes to the latest version and try again"

    /// 422 Invalid for a kind (`FlinkJob`, group `flink.jobcontroller.io`).
    static func invalid(kind: String, group: String, name: String, errors: [FieldError]) -> APIError {
        let qualifiedKind = group.isEmpty ? kind : "\(kind).\(group)"
        return APIError(code: 422, reason: "Invalid",
                        message: "\(qualifiedKind) \"\(name)\" is invalid: \(FieldError.aggregate(errors))",
                        details: details(name: name, group: group, kind: kind, causes: errors.map(\.cause)))
    }

    /// 400 BadRequest.
    static func badRequest(_ message: String) -> APIError {
        APIError(code: 400, reason: "BadRequest", message: message)
    }

    /// 403 Forbidden.
    static func forbidden(message: String, details: JSONValue) -> APIError {
        APIError(code: 403, reason: "Forbidden", message: message, details: details)
    }

    /// 401 Unauthorized.
    static let unauthorized = APIError(code: 401, reason: "Unauthorized", message: "Unauthorized")

    /// 410 Expired.
    static func expired(_ message: String, metadata: JSONValue = .emptyObject) -> APIError {
        APIError(code: 410, reason: "Expired", message: message, metadata: metadata)
    }

    /// 415 UnsupportedMediaType listing the accepted types.
    static func unsupportedMediaType(accepted: [String]) -> APIError {
        APIError(code: 415, reason: "UnsupportedMediaType",
                 message: "the body of the request was in an unknown format - accepted media types include: "
                    + accepted.joined(separator: ", "))
    }

    /// 405 MethodNotAllowed.
    static func methodNotAllowed(_ verb: String, resource: String, group: String) -> APIError {
        APIError(code: 405, reason: "MethodNotAllowed",
                 message: "the server does not allow this method on the requested resource",
                 details: details(group: group, kind: resource))
    }

    /// 500 InternalError.
    static func internalError(_ message: String) -> APIError {
        APIError(code: 500, reason: "InternalError", message: "Internal error occurred: \(message)",
                 details: details(causes: [["message": .string(message)]]))
    }

    /// 500 with no reason: etcd refused the write because the object exceeds its request limit (a real
    /// kube-apiserver passes etcd's error through as an unknown error).
    static let etcdRequestTooLarge = APIError(code: 500, reason: "", message: "etcdserver: request is too large")

    /// 413 RequestEntityTooLarge.
    static func requestEntityTooLarge(limit: Int) -> APIError {
        APIError(code: 413, reason: "RequestEntityTooLarge",
                 message: "Request entity too large: limit is \(limit)")
    }
}
