import JSONCore

/// One query or path parameter, written for either OpenAPI version.
struct Parameter {
    /// The name (`fieldValidation`).
    var name: String
    /// `query` or `path`.
    var location: String
    /// The real server's description.
    var description: String
    /// The JSON type of the value.
    var type: String
    /// Whether the parameter must be given (path parameters).
    var required = false
    /// `uniqueItems`, which the real server sets on every parameter.
    var uniqueItems = false

    /// The parameter object: the schema inline for v2, under `schema` for v3.
    func json(_ version: OpenAPIVersion) -> JSONValue {
        var out: [String: JSONValue] = ["name": .string(name), "in": .string(location), "description": .string(description)]
        if required { out["required"] = true }
        var schema: [String: JSONValue] = ["type": .string(type)]
        if uniqueItems { schema["uniqueItems"] = true }
        switch version {
        case .v2: out.merge(schema) { a, _ in a }
        case .v3: out["schema"] = .object(schema)
        }
        return .object(out)
    }
}

/// The parameters of the real server's operations, with its descriptions (one constant per parameter; `list`
/// holds the list and watch options).
enum Parameters {
    static let pretty = Parameter(name: "pretty", location: "query", description: "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line HTTP tool (curl and wget).", type: "string", uniqueItems: true)
    static let namespace = Parameter(name: "namespace", location: "path", description: "object name and auth scope, such as for teams and projects", type: "string", required: true, uniqueItems: true)
    static func name(_ kind: String) -> Parameter {
        Parameter(name: "name", location: "path", description: "name of the \(kind)", type: "string", required: true, uniqueItems: true)
    }
    static let dryRun = Parameter(name: "dryRun", location: "query", description: "When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed", type: "string", uniqueItems: true)
    static let fieldManager = Parameter(name: "fieldManager", location: "query", description: "fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint.", type: "string", uniqueItems: true)
    static let patchFieldManager = Parameter(name: "fieldManager", location: "query", description: "fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint. This field is required for apply requests (application/apply-patch) but optional for non-apply patch types (JsonPatch, MergePatch, StrategicMergePatch).", type: "string", uniqueItems: true)
    static let fieldValidation = Parameter(name: "fieldValidation", location: "query", description: "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. This is the default behavior prior to v1.23. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered.", type: "string", uniqueItems: true)
    static let force = Parameter(name: "force", location: "query", description: "Force is going to \"force\" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.", type: "boolean", uniqueItems: true)
    static let gracePeriodSeconds = Parameter(name: "gracePeriodSeconds", location: "query", description: "The duration in seconds before the object should be deleted. Value must be non-negative integer. The value zero indicates delete immediately. If this value is nil, the default grace period for the specified type will be used. Defaults to a per object value if not specified. zero means delete immediately.", type: "integer", uniqueItems: true)
    static let propagationPolicy = Parameter(name: "propagationPolicy", location: "query", description: "Whether and how garbage collection will be performed. Either this field or OrphanDependents may be set, but not both. The default policy is decided by the existing finalizer set in the metadata.finalizers and the resource-specific default policy. Acceptable values are: 'Orphan' - orphan the dependents; 'Background' - allow the garbage collector to delete the dependents in the background; 'Foreground' - a cascading policy that deletes all dependents in the foreground.", type: "string", uniqueItems: true)
    static let orphanDependents = Parameter(name: "orphanDependents", location: "query", description: "Deprecated: please use the PropagationPolicy, this field will be deprecated in 1.7. Should the dependent objects be orphaned. If true/false, the \"orphan\" finalizer will be added to/removed from the object's finalizers list. Either this field or PropagationPolicy may be set, but not both.", type: "boolean", uniqueItems: true)
    static let list: [Parameter] = [
        Parameter(name: "allowWatchBookmarks", location: "query", description: "allowWatchBookmarks requests watch events with type \"BOOKMARK\". Servers that do not implement bookmarks may ignore this flag and bookmarks are sent at the server's discretion. Clients should not assume bookmarks are returned at any specific interval, nor may they assume the server will send any BOOKMARK event during a session. If this is not a watch, this field is ignored.", type: "boolean", uniqueItems: true),
        Parameter(name: "continue", location: "query", description: "The continue option should be set when retrieving more results from the server. Since this value is server defined, clients may only use the continue value from a previous query result with identical query parameters (except for the value of continue) and the server may reject a continue value it does not recognize. If the specified continue value is no longer valid whether due to expiration (generally five to fifteen minutes) or a configuration change on the server, the server will respond with a 410 ResourceExpired error together with a continue token.", type: "string", uniqueItems: true),
        Parameter(name: "fieldSelector", location: "query", description: "A selector to restrict the list of returned objects by their fields. Defaults to everything.", type: "string", uniqueItems: true),
        Parameter(name: "labelSelector", location: "query", description: "A selector to restrict the list of returned objects by their labels. Defaults to everything.", type: "string", uniqueItems: true),
        Parameter(name: "limit", location: "query", description: "limit is a maximum number of responses to return for a list call. If more items exist, the server will set the `continue` field on the list metadata to a value that can be used with the same initial query to retrieve the next set of results.", type: "integer", uniqueItems: true),
        Parameter(name: "resourceVersion", location: "query", description: "resourceVersion sets a constraint on what resource versions a request may be served from. See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.\n\nDefaults to unset", type: "string", uniqueItems: true),
        Parameter(name: "resourceVersionMatch", location: "query", description: "resourceVersionMatch determines how resourceVersion is applied to list calls. It is highly recommended that resourceVersionMatch be set for list calls where resourceVersion is set See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.\n\nDefaults to unset", type: "string", uniqueItems: true),
        Parameter(name: "sendInitialEvents", location: "query", description: "`sendInitialEvents=true` may be set together with `watch=true`. In that case, the watch stream will begin with synthetic events to produce the current state of objects in the collection. Once all such events have been sent, a synthetic \"Bookmark\" event  will be sent. The bookmark will report the ResourceVersion (RV) corresponding to the set of objects, and be marked with `\"k8s.io/initial-events-end\": \"true\"` annotation. Afterwards, the watch stream will proceed as usual, sending watch events corresponding to changes (subsequent to the RV) to objects watched.", type: "boolean", uniqueItems: true),
        Parameter(name: "timeoutSeconds", location: "query", description: "Timeout for the list/watch call. This limits the duration of the call, regardless of any activity or inactivity.", type: "integer", uniqueItems: true),
        Parameter(name: "watch", location: "query", description: "Watch for changes to the described resources and return them as a stream of add, update, and remove notifications. Specify resourceVersion.", type: "boolean", uniqueItems: true),
    ]
}
