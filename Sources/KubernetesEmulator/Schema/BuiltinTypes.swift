/// Go type descriptions of the built-in kinds the emulator serves, in struct-field order.
enum BuiltinTypes {
    typealias F = GoStruct.Field

    /// The owner reference.
    static let ownerReference = GoType.object(GoStruct(name: "OwnerReference", fields: [
        F(name: "apiVersion", type: .string, omitEmpty: false), F(name: "kind", type: .string, omitEmpty: false),
        F(name: "name", type: .string, omitEmpty: false), F(name: "uid", type: .string, omitEmpty: false),
        F(name: "controller", type: .bool, pointer: true), F(name: "blockOwnerDeletion", type: .bool, pointer: true),
    ]))

    /// The managed fields entry.
    static let managedFieldsEntry = GoType.object(GoStruct(name: "ManagedFieldsEntry", fields: [
        F(name: "manager", type: .string), F(name: "operation", type: .string), F(name: "apiVersion", type: .string),
        F(name: "time", type: .time, pointer: true), F(name: "fieldsType", type: .string),
        F(name: "fieldsV1", type: .raw, pointer: true), F(name: "subresource", type: .string),
    ]))

    /// The object meta struct.
    static let objectMetaStruct = GoStruct(name: "ObjectMeta", fields: [
        F(name: "name", type: .string), F(name: "generateName", type: .string), F(name: "namespace", type: .string),
        F(name: "selfLink", type: .string), F(name: "uid", type: .string), F(name: "resourceVersion", type: .string),
        F(name: "generation", type: .int64), F(name: "creationTimestamp", type: .time, omitEmpty: false),
        F(name: "deletionTimestamp", type: .time, pointer: true),
        F(name: "deletionGracePeriodSeconds", type: .int64, pointer: true),
        F(name: "labels", type: .map(.string)), F(name: "annotations", type: .map(.string)),
        F(name: "ownerReferences", type: .array(ownerReference)), F(name: "finalizers", type: .array(.string)),
        F(name: "managedFields", type: .array(managedFieldsEntry)),
    ])
    /// The object meta.
    static let objectMeta = GoType.object(objectMetaStruct)

    /// The object reference.
    static let objectReference = GoType.object(GoStruct(name: "ObjectReference", fields: [
        F(name: "kind", type: .string), F(name: "namespace", type: .string), F(name: "name", type: .string),
        F(name: "uid", type: .string), F(name: "apiVersion", type: .string), F(name: "resourceVersion", type: .string),
        F(name: "fieldPath", type: .string),
    ]))

    private static func top(_ name: String, package: String = "v1", _ fields: [F]) -> GoType {
        .object(GoStruct(name: name, package: package, fields: [
            F(name: "kind", type: .string), F(name: "apiVersion", type: .string),
            F(name: "metadata", type: objectMeta, omitEmpty: false),
        ] + fields))
    }

    /// The lease.
    static let lease = top("Lease", package: "v1", [
        F(name: "spec", type: .object(GoStruct(name: "LeaseSpec", fields: [
            F(name: "holderIdentity", type: .string, pointer: true),
            F(name: "leaseDurationSeconds", type: .int32, pointer: true),
            F(name: "acquireTime", type: .microTime, pointer: true),
            F(name: "renewTime", type: .microTime, pointer: true),
            F(name: "leaseTransitions", type: .int32, pointer: true),
            F(name: "strategy", type: .string, pointer: true),
            F(name: "preferredHolder", type: .string, pointer: true),
        ])), omitEmpty: false),
    ])

    /// The event source.
    static let eventSource = GoType.object(GoStruct(name: "EventSource", fields: [
        F(name: "component", type: .string), F(name: "host", type: .string),
    ]))

    /// The event series.
    static let eventSeries = GoType.object(GoStruct(name: "EventSeries", fields: [
        F(name: "count", type: .int32), F(name: "lastObservedTime", type: .microTime, omitEmpty: false),
    ]))

    /// core/v1 Event.
    static let coreEvent = top("Event", [
        F(name: "involvedObject", type: objectReference, omitEmpty: false),
        F(name: "reason", type: .string), F(name: "message", type: .string),
        F(name: "source", type: eventSource, omitEmpty: false),
        F(name: "firstTimestamp", type: .time, omitEmpty: false), F(name: "lastTimestamp", type: .time, omitEmpty: false),
        F(name: "count", type: .int32), F(name: "type", type: .string),
        F(name: "eventTime", type: .microTime, omitEmpty: false),
        F(name: "series", type: eventSeries, pointer: true), F(name: "action", type: .string),
        F(name: "related", type: objectReference, pointer: true),
        F(name: "reportingComponent", type: .string, omitEmpty: false),
        F(name: "reportingInstance", type: .string, omitEmpty: false),
    ])

    /// events.k8s.io/v1 Event.
    static let eventsEvent = top("Event", [
        F(name: "eventTime", type: .microTime, omitEmpty: false),
        F(name: "series", type: eventSeries, pointer: true),
        F(name: "reportingController", type: .string), F(name: "reportingInstance", type: .string),
        F(name: "action", type: .string), F(name: "reason", type: .string),
        F(name: "regarding", type: objectReference),
        F(name: "related", type: objectReference, pointer: true),
        F(name: "note", type: .string), F(name: "type", type: .string),
        F(name: "deprecatedSource", type: eventSource),
        F(name: "deprecatedFirstTimestamp", type: .time), F(name: "deprecatedLastTimestamp", type: .time),
        F(name: "deprecatedCount", type: .int32),
    ])

    /// The namespace.
    static let namespace = top("Namespace", [
        F(name: "spec", type: .object(GoStruct(name: "NamespaceSpec", fields: [
            F(name: "finalizers", type: .array(.string)),
        ])), omitEmpty: false),
        F(name: "status", type: .object(GoStruct(name: "NamespaceStatus", fields: [
            F(name: "phase", type: .string), F(name: "conditions", type: .array(.raw)),
        ])), omitEmpty: false),
    ])

    /// The secret.
    static let secret = top("Secret", [
        F(name: "immutable", type: .bool, pointer: true), F(name: "data", type: .map(.bytes)),
        F(name: "stringData", type: .map(.string)), F(name: "type", type: .string),
    ])

    /// The config map.
    static let configMap = top("ConfigMap", [
        F(name: "immutable", type: .bool, pointer: true), F(name: "data", type: .map(.string)),
        F(name: "binaryData", type: .map(.bytes)),
    ])

    /// The scale.
    static let scale = top("Scale", [
        F(name: "spec", type: .object(GoStruct(name: "ScaleSpec", fields: [F(name: "replicas", type: .int32)])), omitEmpty: false),
        F(name: "status", type: .object(GoStruct(name: "ScaleStatus", fields: [
            F(name: "replicas", type: .int32, omitEmpty: false), F(name: "selector", type: .string),
        ])), omitEmpty: false),
    ])

    /// The crd names.
    static let crdNames = GoType.object(GoStruct(name: "CustomResourceDefinitionNames", fields: [
        F(name: "plural", type: .string, omitEmpty: false), F(name: "singular", type: .string),
        F(name: "shortNames", type: .array(.string)), F(name: "kind", type: .string, omitEmpty: false),
        F(name: "listKind", type: .string), F(name: "categories", type: .array(.string)),
    ]))

    /// The custom resource definition.
    static let customResourceDefinition = top("CustomResourceDefinition", [
        F(name: "spec", type: .object(GoStruct(name: "CustomResourceDefinitionSpec", fields: [
            F(name: "group", type: .string, omitEmpty: false),
            F(name: "names", type: crdNames, omitEmpty: false),
            F(name: "scope", type: .string, omitEmpty: false),
            F(name: "versions", type: .array(.object(GoStruct(name: "CustomResourceDefinitionVersion", fields: [
                F(name: "name", type: .string, omitEmpty: false), F(name: "served", type: .bool, omitEmpty: false),
                F(name: "storage", type: .bool, omitEmpty: false), F(name: "deprecated", type: .bool),
                F(name: "deprecationWarning", type: .string, pointer: true),
                F(name: "schema", type: .object(GoStruct(name: "CustomResourceValidation", fields: [
                    F(name: "openAPIV3Schema", type: .raw, pointer: true),
                ])), pointer: true),
                F(name: "subresources", type: .object(GoStruct(name: "CustomResourceSubresources", fields: [
                    F(name: "status", type: .raw, pointer: true), F(name: "scale", type: .raw, pointer: true),
                ])), pointer: true),
                F(name: "additionalPrinterColumns", type: .array(.raw)),
                F(name: "selectableFields", type: .array(.raw)),
            ]))), omitEmpty: false),
            F(name: "conversion", type: .raw, pointer: true),
            F(name: "preserveUnknownFields", type: .bool),
        ])), omitEmpty: false),
        F(name: "status", type: .object(GoStruct(name: "CustomResourceDefinitionStatus", fields: [
            F(name: "conditions", type: .array(.raw), omitEmpty: false),
            F(name: "acceptedNames", type: crdNames, omitEmpty: false),
            F(name: "storedVersions", type: .array(.string), omitEmpty: false),
        ])), omitEmpty: false),
    ])

    /// The delete options.
    static let deleteOptions = GoType.object(GoStruct(name: "DeleteOptions", fields: [
        F(name: "kind", type: .string), F(name: "apiVersion", type: .string),
        F(name: "gracePeriodSeconds", type: .int64, pointer: true),
        F(name: "preconditions", type: .object(GoStruct(name: "Preconditions", fields: [
            F(name: "uid", type: .string, pointer: true), F(name: "resourceVersion", type: .string, pointer: true),
        ])), pointer: true),
        F(name: "orphanDependents", type: .bool, pointer: true),
        F(name: "propagationPolicy", type: .string, pointer: true),
        F(name: "dryRun", type: .array(.string)),
        F(name: "ignoreStoreReadErrorWithClusterBreakingPotential", type: .bool, pointer: true),
    ]))

    /// The status.
    static let status = GoType.object(GoStruct(name: "Status", fields: [
        F(name: "kind", type: .string), F(name: "apiVersion", type: .string),
        F(name: "metadata", type: .raw, omitEmpty: false), F(name: "status", type: .string),
        F(name: "message", type: .string), F(name: "reason", type: .string), F(name: "details", type: .raw),
        F(name: "code", type: .int32),
    ]))
}

extension BuiltinTypes {
    /// Writes `Status` objects in the real server's field order.
    static let statusWriter = GoJSONWriter(keyOrder: { path in
        switch path {
        case []: ["kind", "apiVersion", "metadata", "status", "message", "reason", "details", "code"]
        case ["details"]: ["name", "group", "kind", "uid", "causes", "retryAfterSeconds"]
        case ["details", "causes", "[]"]: ["reason", "message", "field"]
        default: nil
        }
    })
}
