import Foundation
import JSONCore
import Yams

extension APIServer {
    /// How unknown fields are treated (`fieldValidation`).
    enum FieldValidation: Sendable {
        /// Ignore.
        case ignore, warn, strict
    }

    /// Per-request write options.
    struct WriteOptions: Sendable {
        /// The dry run.
        var dryRun = false
        /// The field validation.
        var fieldValidation = FieldValidation.warn
        /// The manager.
        var manager = "unknown"
        /// The force.
        var force = false
    }

    /// The media type of a Content-Type, lowercased, without parameters.
    static func mediaType(_ contentType: String?) -> String {
        (contentType ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
    }

    /// Parses dryRun, fieldValidation, fieldManager and force.
    func writeOptions(_ request: APIRequest) throws(APIError) -> WriteOptions {
        var o = WriteOptions()
        if let dryRun = request.query["dryRun"], !dryRun.isEmpty {
            guard dryRun == "All" else {
                throw APIError(code: 400, reason: "BadRequest", message: "Invalid dry run value: \(dryRun)")
            }
            o.dryRun = true
        }
        switch request.query["fieldValidation"] {
        case nil, "", "Warn": o.fieldValidation = .warn
        case "Ignore": o.fieldValidation = .ignore
        case "Strict": o.fieldValidation = .strict
        case .some(let other):
            throw APIError.badRequest("fieldValidation: Unsupported value: \(GoJSONWriter.goQuote(other)): supported values: \"Ignore\", \"Strict\", \"Warn\"")
        }
        if let manager = request.query["fieldManager"], !manager.isEmpty {
            o.manager = manager
        } else {
            // Like a kube-apiserver: the User-Agent up to its first "/", else "unknown".
            let prefix = String((request.userAgent ?? "").split(separator: "/", omittingEmptySubsequences: false).first ?? "")
                .filter { !$0.isWhitespace || $0 == " " }
            o.manager = prefix.isEmpty ? "unknown" : String(prefix.prefix(128))
        }
        if let force = request.query["force"] {
            guard let value = Self.parseBool(force) else { throw APIError.badRequest("invalid force value \(GoJSONWriter.goQuote(force))") }
            o.force = value
        }
        return o
    }

    /// The message prefix of a body that cannot be decoded into `type`.
    static func cannotHandle(_ type: ResourceType) -> String {
        "\(type.kind) in version \"\(type.version)\" cannot be handled as a \(type.kind): "
    }

    private static func truncated(_ text: String) -> String {
        text.count > 30 ? String(text.prefix(30)) + " ..." : text
    }

    /// Parses a POST/PUT body (JSON or YAML) and checks its apiVersion and kind.
    func parseBody(_ request: APIRequest, type: ResourceType, expectedKind: String? = nil, expectedAPIVersion: String? = nil) throws(APIError) -> JSONValue {
        let kind = expectedKind ?? type.kind
        let apiVersion = expectedAPIVersion ?? type.apiVersion
        let media = Self.mediaType(request.contentType)
        let raw = String(decoding: request.body, as: UTF8.self)
        let value: JSONValue
        switch media {
        case "", "application/json", "*/*":
            do {
                value = try JSONValue(parsing: request.body)
            } catch {
                throw APIError.badRequest("the object provided is unrecognized (must be of type \(kind)): couldn't get version/kind; json parse error: \(Self.jsonErrorText(request.body)) (\(Self.truncated(raw)))")
            }
        case "application/yaml":
            do {
                value = try YAMLConversion.parse(raw)
            } catch {
                throw APIError.badRequest("the object provided is unrecognized (must be of type \(kind)): couldn't get version/kind; json parse error: \(error) (\(Self.truncated(raw)))")
            }
        case "application/vnd.kubernetes.protobuf" where type.goType.map(KubernetesProtobuf.supports) == true:
            // kubectl's typed clients (`kubectl create namespace|secret|configmap`) send built-in kinds this way.
            do throws(KubernetesProtobuf.DecodeError) {
                value = try KubernetesProtobuf.decode(request.body, as: type.goType ?? .raw)
            } catch {
                throw APIError.badRequest("the object provided is unrecognized (must be of type \(kind)): \(error.message)")
            }
        default:
            throw APIError.unsupportedMediaType(accepted: ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"])
        }
        guard case .object = value else {
            throw APIError.badRequest("the object provided is unrecognized (must be of type \(kind)): couldn't get version/kind; json parse error: json: cannot unmarshal \(value.arrayValue != nil ? "array" : "string") into Go value of type struct { APIVersion string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" } (\(Self.truncated(raw)))")
        }
        try checkTypeMeta(value, raw: raw, kind: kind, apiVersion: apiVersion)
        return value
    }

    /// Checks apiVersion and kind of a body (400 like the real decoder).
    func checkTypeMeta(_ value: JSONValue, raw: String, kind: String, apiVersion: String) throws(APIError) {
        let bodyKind = value["kind"]?.stringValue ?? ""
        let bodyVersion = value["apiVersion"]?.stringValue ?? ""
        if bodyKind.isEmpty {
            throw APIError.badRequest("the object provided is unrecognized (must be of type \(kind)): Object 'Kind' is missing in '\(raw)' (\(Self.truncated(raw)))")
        }
        if bodyVersion.isEmpty {
            throw APIError.badRequest("the object provided is unrecognized (must be of type \(kind)): Object 'apiVersion' is missing in '\(raw)' (\(Self.truncated(raw)))")
        }
        if bodyVersion != apiVersion {
            throw APIError.badRequest("the API version in the data (\(bodyVersion)) does not match the expected API version (\(apiVersion))")
        }
        if bodyKind != kind {
            throw APIError.badRequest("the kind in the data (\(bodyKind)) does not match the expected kind (\(kind))")
        }
    }

    private static func jsonErrorText(_ data: Data) -> String {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return "unexpected end of JSON input"
        } catch {
            return "invalid character looking for beginning of value"
        }
    }

    /// Context of a decode that follows a patch: a decode failure is then a 422 on `patch`.
    struct PatchContext {
        /// The patched text.
        var patchedText: String
    }

    /// Decodes and normalises an object of `type` the way the real decoder, pruning and defaulting do.
    ///
    /// - Returns: the object (custom resources defaulted unless `applyDefaults` is false) and warning texts.
    func normalize(_ object: JSONValue, type: ResourceType, mode: FieldValidation, patch: PatchContext? = nil,
                   applyDefaults: Bool = true) throws(APIError) -> (JSONValue, [String]) {
        var unknown: [String] = []
        var result: JSONValue
        func decodeFailure(_ message: String) -> APIError {
            if let patch {
                let error = FieldError.invalid("patch", .string(patch.patchedText), message)
                return APIError(code: 422, reason: "Invalid", message: " \"\" is invalid: \(error.text)",
                                details: .object(["causes": .array([error.cause])]))
            }
            return APIError.badRequest(Self.cannotHandle(type) + message)
        }
        if let goType = type.goType {
            do {
                let decoded = try goType.decode(object)
                result = decoded.value
                unknown = decoded.unknownFields
            } catch {
                throw decodeFailure(error.message)
            }
        } else {
            result = object
            if let meta = object["metadata"] {
                do {
                    let decoded = try BuiltinTypes.objectMeta.decode(meta)
                    result["metadata"] = decoded.value
                    unknown += decoded.unknownFields.map { "metadata." + $0 }
                } catch {
                    throw decodeFailure(error.message)
                }
            }
            if let schema = type.schema {
                unknown += schema.prune(&result)
                if applyDefaults {
                    schema.applyDefaults(&result)
                    _ = schema.prune(&result)
                }
            }
        }
        unknown.sort()
        switch mode {
        case .ignore:
            return (result, [])
        case .warn:
            return (result, unknown.map { "unknown field \"\($0)\"" })
        case .strict:
            if !unknown.isEmpty {
                let list = unknown.map { "unknown field \"\($0)\"" }.joined(separator: ", ")
                throw APIError.badRequest(Self.cannotHandle(type) + "strict decoding error: " + list)
            }
            return (result, [])
        }
    }
}
