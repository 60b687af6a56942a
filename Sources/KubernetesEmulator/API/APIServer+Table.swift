import Foundation
import JSONCore

/// What an `Accept` header asks a resource read to return.
enum ResponseForm: Sendable, Equatable {
    /// The object or list itself.
    case object
    /// A `meta.k8s.io` Table of the given version (`v1` or `v1beta1`).
    case table(version: String)

    /// The first acceptable entry of `accept` wins, like the server's content negotiation; entries the emulator
    /// cannot produce (protobuf, PartialObjectMetadata) are skipped.
    init(accept: String?) {
        self = .object
        guard let accept else { return }
        for entry in accept.split(separator: ",") {
            let parts = entry.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let media = parts.first?.lowercased() else { continue }
            var parameters: [String: String] = [:]
            for p in parts.dropFirst() {
                let kv = p.split(separator: "=", maxSplits: 1).map(String.init)
                if kv.count == 2 { parameters[kv[0].lowercased()] = kv[1] }
            }
            guard media == "application/json" || media == "*/*" || media == "application/*" else { continue }
            if let form = parameters["as"] {
                if form == "Table", parameters["g"] == "meta.k8s.io", let v = parameters["v"], v == "v1" || v == "v1beta1" {
                    self = .table(version: v)
                    return
                }
                continue
            }
            return
        }
    }
}

extension APIServer {
    private static let tableWriter = GoJSONWriter(keyOrder: { path in
        switch path.last {
        case nil: ["kind", "apiVersion", "metadata", "columnDefinitions", "rows"]
        case "metadata" where path.count == 1: ["selfLink", "resourceVersion", "continue", "remainingItemCount"]
        case "[]" where path.first == "columnDefinitions": ["name", "type", "format", "description", "priority"]
        case "[]" where path.first == "rows": ["cells", "conditions", "object"]
        case "object": ["kind", "apiVersion", "metadata"]
        default: nil
        }
    })

    /// Checks `includeObject` (`Metadata` when absent).
    static func includeObject(_ request: APIRequest) throws(APIError) -> String {
        let include = request.query["includeObject"] ?? ""
        guard ["", "None", "Metadata", "Object"].contains(include) else {
            throw APIError.badRequest("includeObject: Unsupported value: \(GoJSONWriter.goQuote(include)): supported values: \"Metadata\", \"None\", \"Object\"")
        }
        return include.isEmpty ? "Metadata" : include
    }

    /// A Table of `objects` (stored form) with the list's or object's metadata.
    func table(_ objects: [JSONValue], metadata: [String: JSONValue], type: ResourceType, version: String,
               includeObject include: String, noHeaders: Bool) -> JSONValue {
        let convertor = TableConvertor(type: type, now: settings.clock())
        let rows: [JSONValue] = objects.map { stored in
            var row: [String: JSONValue] = ["cells": .array(convertor.cells(stored))]
            switch include {
            case "None":
                row["object"] = .null
            case "Object":
                var object = view(stored, as: type)
                object["apiVersion"] = .string(type.apiVersion)
                object["kind"] = .string(type.kind)
                row["object"] = object
            default:
                var meta = stored["metadata"] ?? .emptyObject
                meta["managedFields"] = nil
                row["object"] = ["kind": "PartialObjectMetadata", "apiVersion": .string("meta.k8s.io/\(version)"), "metadata": meta]
            }
            return .object(row)
        }
        return [
            "kind": "Table", "apiVersion": .string("meta.k8s.io/\(version)"), "metadata": .object(metadata),
            "columnDefinitions": noHeaders ? .null : .array(convertor.columnDefinitions), "rows": .array(rows),
        ]
    }

    /// A Table response of `objects` (stored form).
    func tableResponse(_ objects: [JSONValue], metadata: [String: JSONValue], type: ResourceType, version: String,
                       request: APIRequest) throws(APIError) -> APIOutcome {
        let include = try Self.includeObject(request)
        let noHeaders = Self.parseBool(request.query["noHeaders"]) == true
        let body = table(objects, metadata: metadata, type: type, version: version, includeObject: include, noHeaders: noHeaders)
        return .response(APIResponse(status: 200, contentType: "application/json;as=Table;v=\(version);g=meta.k8s.io",
                                     body: Self.tableWriter.data(body)))
    }
}
