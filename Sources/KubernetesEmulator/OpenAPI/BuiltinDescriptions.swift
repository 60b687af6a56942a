import JSONCore

/// The API documentation texts of the built-in kinds the emulator serves (their Go doc comments, as a real
/// kube-apiserver publishes them in its OpenAPI documents and `kubectl explain` shows them).
///
/// Only the kinds and fields the emulator serves are covered; a field without an entry is published without a
/// description.
enum BuiltinDescriptions {
    /// `TypeMeta.apiVersion`.
    static let apiVersion = "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources"
    /// `TypeMeta.kind`.
    static let kind = "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds"
    /// A kind's `metadata` field.
    static let metadata = "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"
    /// A list's `metadata` field.
    static let listMetadata = "Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds"
    /// `metav1.Time`.
    static let time = "Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.  Wrappers are provided for many of the factory methods that the time package offers."
    /// `metav1.MicroTime`.
    static let microTime = "MicroTime is version of Time with microsecond level precision."
    /// `metav1.FieldsV1`.
    static let fieldsV1 = "FieldsV1 stores a set of fields in a data structure like a Trie, in JSON format.\n\nEach key is either a '.' representing the field itself, and will always map to an empty set, or a string representing a sub-field or item. The string will follow one of these four formats: 'f:<name>', where <name> is the name of a field in a struct, or key in a map 'v:<value>', where <value> is the exact json formatted value of a list item 'i:<index>', where <index> is position of a item in a list 'k:<keys>', where <keys> is a map of  a list item's key fields to their unique values If a key maps to an empty Fields value, the field that key represents is part of the set.\n\nThe exact format is defined in sigs.k8s.io/structured-merge-diff"
    /// `metav1.Patch` (PATCH request bodies).
    static let patch = "Patch is provided to give a concrete name and type to the Kubernetes PATCH request body."
    /// `metav1.ListMeta`.
    static let listMeta = "ListMeta describes metadata that synthetic resources must have, including lists and various status objects. A resource may have only one of {ObjectMeta, ListMeta}."
    /// `ListMeta.continue`.
    static let listContinue = "continue may be set if the user set a limit on the number of items returned, and indicates that the server has more data available. The value is opaque and may be used to issue another request to the endpoint that served this list to retrieve the next set of available objects. Continuing a consistent list may not be possible if the server configuration has changed or more than a few minutes have passed. The resourceVersion field returned when using this continue value will be identical to the value in the first response, unless you have received this token from an error message."
    /// `ListMeta.remainingItemCount`.
    static let remainingItemCount = "remainingItemCount is the number of subsequent items in the list which are not included in this list response. If the list request contained label or field selectors, then the number of remaining items is unknown and the field will be left unset and omitted during serialization. If the list is complete (either because it is not chunking or because this is the last chunk), then there are no more remaining items and this field will be left unset and omitted during serialization."
    /// `ListMeta.resourceVersion`.
    static let listResourceVersion = "String that identifies the server's internal version of this object that can be used by clients to determine when objects have changed. Value must be treated as opaque by clients and passed unmodified back to the server. Populated by the system. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#concurrency-control-and-consistency"
    /// `ObjectMeta.name` (also the `Name` column of Tables).
    static let objectMetaName = "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of a name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"
    /// `ObjectMeta.creationTimestamp` (also the `Age` column of Tables).
    static let creationTimestamp = "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"

    /// Descriptions of fields every kind has.
    static func commonField(_ name: String) -> String? {
        switch name {
        case "apiVersion": apiVersion
        case "kind": kind
        case "metadata": metadata
        default: nil
        }
    }

    /// The description of `field` in the model `model`, when known.
    static func field(model: String, field: String) -> String? {
        fields[model]?[field]
    }

    /// List fields merged as sets or by key when strategic merge patches are computed from the documents.
    static let listExtensions: [String: [String: JSONValue]] = [
        "finalizers": ["x-kubernetes-list-type": "set", "x-kubernetes-patch-strategy": "merge"],
        "ownerReferences": ["x-kubernetes-patch-merge-key": "uid", "x-kubernetes-patch-strategy": "merge"],
    ]

    /// Required fields per model.
    static let required: [String: [String]] = [
        BuiltinSchemas.meta("OwnerReference"): ["apiVersion", "kind", "name", "uid"],
        "io.k8s.api.core.v1.Event": ["metadata", "involvedObject"],
        "io.k8s.api.events.v1.Event": ["eventTime"],
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition": ["spec"],
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionSpec": ["group", "names", "scope", "versions"],
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionNames": ["plural", "kind"],
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionVersion": ["name", "served", "storage"],
    ]

    /// Model descriptions.
    static let model: [String: String] = [
        BuiltinSchemas.meta("ObjectMeta"): "ObjectMeta is metadata that all persisted resources must have, which includes all objects users must create.",
        BuiltinSchemas.meta("OwnerReference"): "OwnerReference contains enough information to let you identify an owning object. An owning object must be in the same namespace as the dependent, or be cluster-scoped, so there is no namespace field.",
        BuiltinSchemas.meta("ManagedFieldsEntry"): "ManagedFieldsEntry is a workflow-id, a FieldSet and the group version of the resource that the fieldset applies to.",
        BuiltinSchemas.meta("Status"): "Status is a return value for calls that don't return other objects.",
        BuiltinSchemas.meta("DeleteOptions"): "DeleteOptions may be provided when deleting an API object.",
        BuiltinSchemas.meta("Preconditions"): "Preconditions must be fulfilled before an operation (update, delete, etc.) is carried out.",
        "io.k8s.api.core.v1.Namespace": "Namespace provides a scope for Names. Use of multiple namespaces is optional.",
        "io.k8s.api.core.v1.NamespaceSpec": "NamespaceSpec describes the attributes on a Namespace.",
        "io.k8s.api.core.v1.NamespaceStatus": "NamespaceStatus is information about the current status of a Namespace.",
        "io.k8s.api.core.v1.Secret": "Secret holds secret data of a certain type. The total bytes of the values in the Data field must be less than MaxSecretSize bytes.",
        "io.k8s.api.core.v1.ConfigMap": "ConfigMap holds configuration data for pods to consume.",
        "io.k8s.api.core.v1.Event": "Event is a report of an event somewhere in the cluster.  Events have a limited retention time and triggers and messages may evolve with time.  Event consumers should not rely on the timing of an event with a given Reason reflecting a consistent underlying trigger, or the continued existence of events with that Reason.  Events should be treated as informative, best-effort, supplemental data.",
        "io.k8s.api.core.v1.EventSeries": "EventSeries contain information on series of events, i.e. thing that was/is happening continuously for some time.",
        "io.k8s.api.core.v1.EventSource": "EventSource contains information for an event.",
        "io.k8s.api.core.v1.ObjectReference": "ObjectReference contains enough information to let you inspect or modify the referred object.",
        "io.k8s.api.events.v1.Event": "Event is a report of an event somewhere in the cluster. It generally denotes some state change in the system. Events have a limited retention time and triggers and messages may evolve with time.  Event consumers should not rely on the timing of an event with a given Reason reflecting a consistent underlying trigger, or the continued existence of events with that Reason.  Events should be treated as informative, best-effort, supplemental data.",
        "io.k8s.api.events.v1.EventSeries": "EventSeries contain information on series of events, i.e. thing that was/is happening continuously for some time. How often to update the EventSeries is up to the event reporters. The default event reporter in \"k8s.io/client-go/tools/events/event_broadcaster.go\" shows how this struct is updated on heartbeats and can guide customized reporter implementations.",
        "io.k8s.api.coordination.v1.Lease": "Lease defines a lease concept.",
        "io.k8s.api.coordination.v1.LeaseSpec": "LeaseSpec is a specification of a Lease.",
        "io.k8s.api.autoscaling.v1.Scale": "Scale represents a scaling request for a resource.",
        "io.k8s.api.autoscaling.v1.ScaleSpec": "ScaleSpec describes the attributes of a scale subresource.",
        "io.k8s.api.autoscaling.v1.ScaleStatus": "ScaleStatus represents the current status of a scale subresource.",
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition": "CustomResourceDefinition represents a resource that should be exposed on the API server.  Its name MUST be in the format <.spec.name>.<.spec.group>.",
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionSpec": "CustomResourceDefinitionSpec describes how a user wants their resource to appear",
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionStatus": "CustomResourceDefinitionStatus indicates the state of the CustomResourceDefinition",
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionNames": "CustomResourceDefinitionNames indicates the names to serve this CustomResourceDefinition",
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionVersion": "CustomResourceDefinitionVersion describes a version for CRD.",
    ]

    /// Field descriptions per model.
    static let fields: [String: [String: String]] = [
        BuiltinSchemas.meta("ObjectMeta"): [
            "name": objectMetaName,
            "generateName": "GenerateName is an optional prefix, used by the server, to generate a unique name ONLY IF the Name field has not been provided. If this field is used, the name returned to the client will be different than the name passed. This value will also be combined with a unique suffix. The provided value has the same validation rules as the Name field, and may be truncated by the length of the suffix required to make the value unique on the server.\n\nIf this field is specified and the generated name exists, the server will return a 409.\n\nApplied only if Name is not specified. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#idempotency",
            "namespace": "Namespace defines the space within which each name must be unique. An empty namespace is equivalent to the \"default\" namespace, but \"default\" is the canonical representation. Not all objects are required to be scoped to a namespace - the value of this field for those objects will be empty.\n\nMust be a DNS_LABEL. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces",
            "selfLink": "Deprecated: selfLink is a legacy read-only field that is no longer populated by the system.",
            "uid": "UID is the unique in time and space value for this object. It is typically generated by the server on successful creation of a resource and is not allowed to change on PUT operations.\n\nPopulated by the system. Read-only. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#uids",
            "resourceVersion": "An opaque value that represents the internal version of this object that can be used by clients to determine when objects have changed. May be used for optimistic concurrency, change detection, and the watch operation on a resource or set of resources. Clients must treat these values as opaque and passed unmodified back to the server. They may only be valid for a particular resource or set of resources.\n\nPopulated by the system. Read-only. Value must be treated as opaque by clients and . More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#concurrency-control-and-consistency",
            "generation": "A sequence number representing a specific generation of the desired state. Populated by the system. Read-only.",
            "creationTimestamp": creationTimestamp,
            "deletionTimestamp": "DeletionTimestamp is RFC 3339 date and time at which this resource will be deleted. This field is set by the server when a graceful deletion is requested by the user, and is not directly settable by a client. The resource is expected to be deleted (no longer visible from resource lists, and not reachable by name) after the time in this field, once the finalizers list is empty. As long as the finalizers list contains items, deletion is blocked. Once the deletionTimestamp is set, this value may not be unset or be set further into the future, although it may be shortened or the resource may be deleted prior to this time.\n\nPopulated by the system when a graceful deletion is requested. Read-only. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
            "deletionGracePeriodSeconds": "Number of seconds allowed for this object to gracefully terminate before it will be removed from the system. Only set when deletionTimestamp is also set. May only be shortened. Read-only.",
            "labels": "Map of string keys and values that can be used to organize and categorize (scope and select) objects. May match selectors of replication controllers and services. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels",
            "annotations": "Annotations is an unstructured key value map stored with a resource that may be set by external tools to store and retrieve arbitrary metadata. They are not queryable and should be preserved when modifying objects. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations",
            "ownerReferences": "List of objects depended by this object. If ALL objects in the list have been deleted, this object will be garbage collected. If this object is managed by a controller, then an entry in this list will point to this controller, with the controller field set to true. There cannot be more than one managing controller.",
            "finalizers": "Must be empty before the object is deleted from the registry. Each entry is an identifier for the responsible component that will remove the entry from the list. If the deletionTimestamp of the object is non-nil, entries in this list can only be removed. Finalizers may be processed and removed in any order.  Order is NOT enforced because it introduces significant risk of stuck finalizers. finalizers is a shared field, any actor with permission can reorder it. If the finalizer list is processed in order, then this can lead to a situation in which the component responsible for the first finalizer in the list is waiting for a signal (field value, external system, or other) produced by a component responsible for a finalizer later in the list, resulting in a deadlock. Without enforced ordering finalizers are free to order amongst themselves and are not vulnerable to ordering changes in the list.",
            "managedFields": "ManagedFields maps workflow-id and version to the set of fields that are managed by that workflow. This is mostly for internal housekeeping, and users typically shouldn't need to set or understand this field. A workflow can be the user's name, a controller's name, or the name of a specific apply path like \"ci-cd\". The set of fields is always in the version that the workflow used when modifying the object.",
        ],
        "io.k8s.api.core.v1.Secret": [
            "immutable": "Immutable, if set to true, ensures that data stored in the Secret cannot be updated (only object metadata can be modified). If not set to true, the field can be modified at any time. Defaulted to nil.",
            "data": "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4",
            "stringData": "stringData allows specifying non-binary secret data in string form. It is provided as a write-only input field for convenience. All keys and values are merged into the data field on write, overwriting any existing values. The stringData field is never output when reading from the API.",
            "type": "Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types",
        ],
        "io.k8s.api.core.v1.ConfigMap": [
            "immutable": "Immutable, if set to true, ensures that data stored in the ConfigMap cannot be updated (only object metadata can be modified). If not set to true, the field can be modified at any time. Defaulted to nil.",
            "data": "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.",
            "binaryData": "BinaryData contains the binary data. Each key must consist of alphanumeric characters, '-', '_' or '.'. BinaryData can contain byte sequences that are not in the UTF-8 range. The keys stored in BinaryData must not overlap with the ones in the Data field, this is enforced during validation process. Using this field will require 1.10+ apiserver and kubelet.",
        ],
        "io.k8s.api.core.v1.Namespace": [
            "spec": "Spec defines the behavior of the Namespace. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status",
            "status": "Status describes the current status of a Namespace. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status",
        ],
        "io.k8s.api.core.v1.NamespaceSpec": [
            "finalizers": "Finalizers is an opaque list of values that must be empty to permanently remove object from storage. More info: https://kubernetes.io/docs/tasks/administer-cluster/namespaces/",
        ],
        "io.k8s.api.core.v1.NamespaceStatus": [
            "phase": "Phase is the current lifecycle phase of the namespace. More info: https://kubernetes.io/docs/tasks/administer-cluster/namespaces/\n\nPossible enum values:\n - `\"Active\"` means the namespace is available for use in the system\n - `\"Terminating\"` means the namespace is undergoing graceful termination",
            "conditions": "Represents the latest available observations of a namespace's current state.",
        ],
        "io.k8s.api.core.v1.Event": [
            "involvedObject": "The object that this event is about.",
            "reason": "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
            "message": "A human-readable description of the status of this operation.",
            "source": "The component reporting this event. Should be a short machine understandable string.",
            "firstTimestamp": "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)",
            "lastTimestamp": "The time at which the most recent occurrence of this event was recorded.",
            "count": "The number of times this event has occurred.",
            "type": "Type of this event (Normal, Warning), new types could be added in the future",
            "eventTime": "Time when this Event was first observed.",
            "series": "Data about the Event series this event represents or nil if it's a singleton Event.",
            "action": "What action was taken/failed regarding to the Regarding object.",
            "related": "Optional secondary object for more complex actions.",
            "reportingComponent": "Name of the controller that emitted this Event, e.g. `kubernetes.io/kubelet`.",
            "reportingInstance": "ID of the controller instance, e.g. `kubelet-xyzf`.",
        ],
        "io.k8s.api.events.v1.Event": [
            "eventTime": "eventTime is the time when this Event was first observed. It is required.",
            "series": "series is data about the Event series this event represents or nil if it's a singleton Event.",
            "reportingController": "reportingController is the name of the controller that emitted this Event, e.g. `kubernetes.io/kubelet`. This field cannot be empty for new Events.",
            "reportingInstance": "reportingInstance is the ID of the controller instance, e.g. `kubelet-xyzf`. This field cannot be empty for new Events and it can have at most 128 characters.",
            "action": "action is what action was taken/failed regarding to the regarding object. It is machine-readable. This field cannot be empty for new Events and it can have at most 128 characters.",
            "reason": "reason is why the action was taken. It is human-readable. This field cannot be empty for new Events and it can have at most 128 characters.",
            "regarding": "regarding contains the object this Event is about. In most cases it's an Object reporting controller implements, e.g. ReplicaSetController implements ReplicaSets and this event is emitted because it acts on some changes in a ReplicaSet object.",
            "related": "related is the optional secondary object for more complex actions. E.g. when regarding object triggers a creation or deletion of related object.",
            "note": "note is a human-readable description of the status of this operation. Maximal length of the note is 1kB, but libraries should be prepared to handle values up to 64kB.",
            "type": "type is the type of this event (Normal, Warning), new types could be added in the future. It is machine-readable. This field cannot be empty for new Events.",
            "deprecatedSource": "deprecatedSource is the deprecated field assuring backward compatibility with core.v1 Event type.",
            "deprecatedFirstTimestamp": "deprecatedFirstTimestamp is the deprecated field assuring backward compatibility with core.v1 Event type.",
            "deprecatedLastTimestamp": "deprecatedLastTimestamp is the deprecated field assuring backward compatibility with core.v1 Event type.",
            "deprecatedCount": "deprecatedCount is the deprecated field assuring backward compatibility with core.v1 Event type.",
        ],
        "io.k8s.api.coordination.v1.Lease": [
            "spec": "spec contains the specification of the Lease. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status",
        ],
        "io.k8s.api.coordination.v1.LeaseSpec": [
            "holderIdentity": "holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field.",
            "leaseDurationSeconds": "leaseDurationSeconds is a duration that candidates for a lease need to wait to force acquire it. This is measured against the time of last observed renewTime.",
            "acquireTime": "acquireTime is a time when the current lease was acquired.",
            "renewTime": "renewTime is a time when the current holder of a lease has last updated the lease.",
            "leaseTransitions": "leaseTransitions is the number of transitions of a lease between holders.",
            "strategy": "Strategy indicates the strategy for picking the leader for coordinated leader election. If the field is not specified, there is no active coordination for this lease. (Alpha) Using this field requires the CoordinatedLeaderElection feature gate to be enabled.",
            "preferredHolder": "PreferredHolder signals to a lease holder that the lease has a more optimal holder and should be given up. This field can only be set if Strategy is also set.",
        ],
        "io.k8s.api.autoscaling.v1.Scale": [
            "spec": "spec defines the behavior of the scale. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status.",
            "status": "status is the current status of the scale. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status. Read-only.",
        ],
        "io.k8s.api.autoscaling.v1.ScaleSpec": ["replicas": "replicas is the desired number of instances for the scaled object."],
        "io.k8s.api.autoscaling.v1.ScaleStatus": [
            "replicas": "replicas is the actual number of observed instances of the scaled object.",
            "selector": "selector is the label query over pods that should match the replicas count. This is same as the label selector but in the string format to avoid introspection by clients. The string will be in the same format as the query-param syntax. More info about label selectors: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/",
        ],
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition": [
            "spec": "spec describes how the user wants the resources to appear",
            "status": "status indicates the actual state of the CustomResourceDefinition",
        ],
        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionSpec": [
            "group": "group is the API group of the defined custom resource. The custom resources are served under `/apis/<group>/...`. Must match the name of the CustomResourceDefinition (in the form `<names.plural>.<group>`).",
            "names": "names specify the resource and kind names for the custom resource.",
            "scope": "scope indicates whether the defined custom resource is cluster- or namespace-scoped. Allowed values are `Cluster` and `Namespaced`.",
            "versions": "versions is the list of all API versions of the defined custom resource. Version names are used to compute the order in which served versions are listed in API discovery.",
            "conversion": "conversion defines conversion settings for the CRD.",
            "preserveUnknownFields": "preserveUnknownFields indicates that object fields which are not specified in the OpenAPI schema should be preserved when persisting to storage. apiVersion, kind, metadata and known fields inside metadata are always preserved. This field is deprecated in favor of setting `x-preserve-unknown-fields` to true in `spec.versions[*].schema.openAPIV3Schema`.",
        ],
    ]
}
