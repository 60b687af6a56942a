import Foundation
import JSONCore

/// Turns objects into a `meta.k8s.io/v1` Table, the server-side printing that `kubectl get` asks for with
/// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`.
///
/// Custom resources print their CRD version's `additionalPrinterColumns` after `Name` (apiextensions' table
/// convertor: `string` cells are the JSONPath's text, `integer`/`number`/`boolean` typed values, `date` an age,
/// absent values `null`). Events, leases, namespaces, secrets and config maps print the columns of Kubernetes'
/// built-in printers (always the wide set: kubectl drops `priority` columns itself without `-o wide`); other kinds
/// the default `Name`, `Created At`.
struct TableConvertor {
    /// How rows are made.
    enum Printer: Sendable {
        /// A custom resource's printer columns.
        case columns([PrinterColumn])
        /// A built-in printer.
        case events, leases, namespaces, secrets, configMaps
        /// `Name` and `Created At`.
        case `default`
    }

    /// The printer.
    let printer: Printer
    /// The time ages are measured at.
    let now: Date

    /// The convertor of `type`.
    init(type: ResourceType, now: Date) {
        self.now = now
        switch type.strategy {
        case .custom: printer = .columns(type.printerColumns ?? [PrinterColumn.age])
        case .coreEvent, .eventsEvent: printer = .events
        case .lease: printer = .leases
        case .namespace: printer = .namespaces
        case .secret: printer = .secrets
        case .configMap: printer = .configMaps
        case .customResourceDefinition: printer = .default
        }
    }

    private static func column(_ name: String, type: String = "string", format: String = "", priority: Int = 0,
                               _ description: String) -> JSONValue {
        ["name": .string(name), "type": .string(type), "format": .string(format), "description": .string(description),
         "priority": .integer(Int64(priority))]
    }

    private static let nameColumn = column("Name", format: "name", BuiltinDescriptions.objectMetaName)
    private static let ageColumn = column("Age", BuiltinDescriptions.creationTimestamp)

    /// The column definitions.
    var columnDefinitions: [JSONValue] {
        switch printer {
        case .columns(let columns):
            return [Self.nameColumn] + columns.map {
                Self.column($0.name, type: $0.type, format: $0.format, priority: $0.priority, $0.description)
            }
        case .events:
            let d = BuiltinDescriptions.fields["io.k8s.api.core.v1.Event"] ?? [:]
            return [
                Self.column("Last Seen", d["lastTimestamp"] ?? ""), Self.column("Type", d["type"] ?? ""),
                Self.column("Reason", d["reason"] ?? ""), Self.column("Object", d["involvedObject"] ?? ""),
                Self.column("Subobject", priority: 1, "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: \"spec.containers{name}\" (where \"name\" refers to the name of the container that triggered the event) or if no container name is specified \"spec.containers[2]\" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object."),
                Self.column("Source", priority: 1, d["source"] ?? ""), Self.column("Message", d["message"] ?? ""),
                Self.column("First Seen", priority: 1, d["firstTimestamp"] ?? ""),
                Self.column("Count", priority: 1, d["count"] ?? ""),
                Self.column("Name", format: "name", priority: 1, BuiltinDescriptions.objectMetaName),
            ]
        case .leases:
            return [Self.nameColumn,
                    Self.column("Holder", BuiltinDescriptions.fields["io.k8s.api.coordination.v1.LeaseSpec"]?["holderIdentity"] ?? ""),
                    Self.ageColumn]
        case .namespaces:
            return [Self.nameColumn, Self.column("Status", "The status of the namespace"), Self.ageColumn]
        case .secrets:
            let d = BuiltinDescriptions.fields["io.k8s.api.core.v1.Secret"] ?? [:]
            return [Self.nameColumn, Self.column("Type", d["type"] ?? ""), Self.column("Data", d["data"] ?? ""), Self.ageColumn]
        case .configMaps:
            let d = BuiltinDescriptions.fields["io.k8s.api.core.v1.ConfigMap"] ?? [:]
            return [Self.nameColumn, Self.column("Data", d["data"] ?? ""), Self.ageColumn]
        case .default:
            return [Self.nameColumn, Self.column("Created At", type: "date", BuiltinDescriptions.creationTimestamp)]
        }
    }

    /// The cells of one stored object (core/v1 form for events).
    func cells(_ object: JSONValue) -> [JSONValue] {
        let name = JSONValue.string(object[path: ["metadata", "name"]]?.stringValue ?? "")
        let created = object[path: ["metadata", "creationTimestamp"]]?.stringValue
        let age = JSONValue.string(HumanDuration.age(of: created, now: now))
        switch printer {
        case .columns(let columns):
            return [name] + columns.map { cell($0, object) }
        case .events:
            return eventCells(object)
        case .leases:
            return [name, .string(object[path: ["spec", "holderIdentity"]]?.stringValue ?? ""), age]
        case .namespaces:
            return [name, .string(object[path: ["status", "phase"]]?.stringValue ?? ""), age]
        case .secrets:
            return [name, .string(object["type"]?.stringValue ?? ""),
                    .integer(Int64(object["data"]?.objectValue?.count ?? 0)), age]
        case .configMaps:
            let count = (object["data"]?.objectValue?.count ?? 0) + (object["binaryData"]?.objectValue?.count ?? 0)
            return [name, .integer(Int64(count)), age]
        case .default:
            let text = created.flatMap(HumanDuration.instant).map(GoTime.formatSeconds) ?? "0001-01-01T00:00:00Z"
            return [name, .string(text)]
        }
    }

    /// A printer column's cell, as apiextensions' `cellForJSONValue` makes it.
    private func cell(_ column: PrinterColumn, _ object: JSONValue) -> JSONValue {
        guard let value = column.path.results(in: object).first, !value.isNull else { return .null }
        switch column.type {
        case "string":
            return .string(Self.text(value))
        case "integer":
            switch value {
            case .integer: return value
            case .double(let d): return .integer(Int64(d))
            default: return .null
            }
        case "number":
            switch value {
            case .integer(let i): return .double(Double(i))
            case .double: return value
            default: return .null
            }
        case "boolean":
            if case .bool = value { return value }
            return .null
        case "date":
            guard case .string(let text) = value else { return .null }
            guard HumanDuration.instant(text) != nil else { return "<invalid>" }
            return .string(HumanDuration.age(of: text, now: now))
        default:
            return .null
        }
    }

    /// How client-go's jsonpath prints a value as text (strings bare, numbers and booleans as Go formats them).
    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): s
        case .integer(let i): String(i)
        case .double(let d): GoJSONWriter.formatDouble(d)
        case .bool(let b): b ? "true" : "false"
        case .null: "<nil>"
        case .array, .object: GoJSONWriter.sorted.string(value)
        }
    }

    /// Kubernetes' `printEvent` cells (wide form).
    private func eventCells(_ event: JSONValue) -> [JSONValue] {
        func age(_ key: [String]) -> String? {
            guard let text = event[path: key]?.stringValue, !text.isEmpty else { return nil }
            return HumanDuration.age(of: text, now: now)
        }
        let first = age(["firstTimestamp"]) ?? HumanDuration.age(of: event["eventTime"]?.stringValue, now: now)
        var last = age(["lastTimestamp"]) ?? first
        var count = event["count"]?.integerValue ?? 0
        if let series = event["series"]?.objectValue, !series.isEmpty {
            last = HumanDuration.age(of: series["lastObservedTime"]?.stringValue, now: now)
            count = series["count"]?.integerValue ?? 0
        } else if count == 0 {
            count = 1
        }
        let kind = (event[path: ["involvedObject", "kind"]]?.stringValue ?? "").lowercased()
        let objectName = event[path: ["involvedObject", "name"]]?.stringValue ?? ""
        let target = objectName.isEmpty ? kind : "\(kind)/\(objectName)"
        func firstNonEmpty(_ a: String?, _ b: String?) -> String { (a ?? "").isEmpty ? (b ?? "") : (a ?? "") }
        let component = firstNonEmpty(event[path: ["source", "component"]]?.stringValue, event["reportingComponent"]?.stringValue)
        let instance = firstNonEmpty(event[path: ["source", "host"]]?.stringValue, event["reportingInstance"]?.stringValue)
        let source = instance.isEmpty ? component : "\(component), \(instance)"
        return [
            .string(last), .string(event["type"]?.stringValue ?? ""), .string(event["reason"]?.stringValue ?? ""),
            .string(target), .string(event[path: ["involvedObject", "fieldPath"]]?.stringValue ?? ""), .string(source),
            .string((event["message"]?.stringValue ?? "").trimmingCharacters(in: .whitespacesAndNewlines)), .string(first),
            .integer(count), .string(event[path: ["metadata", "name"]]?.stringValue ?? ""),
        ]
    }
}
