import Kubernetes

/// Builds and classifies the errors the seam protocols (`ObjectAPI`, `EventSink`, `LeaseLock`) speak.
///
/// Backends report failures as `KubernetesError`s carrying the API's `Status` reasons, so the runtime decides the
/// same way whatever stores the objects. A backend without an HTTP server (the local mode) builds them here.
public enum BackendFailure {
    /// 404 NotFound for `key` of `kind`.
    public static func notFound(kind: String, key: ObjectKey) -> KubernetesError {
        error(code: 404, reason: "NotFound", message: "\(kind) \"\(key.name)\" not found")
    }

    /// 409 Conflict: the write's resourceVersion is not the stored one.
    public static func conflict(kind: String, key: ObjectKey) -> KubernetesError {
        error(
            code: 409, reason: "Conflict",
            message: "Operation cannot be fulfilled on \(kind) \"\(key.name)\": the object has been modified; "
                + "please apply your changes to the latest version and try again")
    }

    /// 409 AlreadyExists: a create of an existing name.
    public static func alreadyExists(kind: String, key: ObjectKey) -> KubernetesError {
        error(code: 409, reason: "AlreadyExists", message: "\(kind) \"\(key.name)\" already exists")
    }

    /// 422 Invalid, e.g. a JSON patch whose `test` failed.
    public static func invalid(_ message: String) -> KubernetesError {
        error(code: 422, reason: "Invalid", message: message)
    }

    /// 410 Gone: the watch or list start version is older than the retained history.
    public static func gone(_ message: String = "too old resource version") -> KubernetesError {
        .gone(Status(message: message, reason: "Expired", code: 410))
    }

    /// Whether `error` says "relist": 410 Gone/Expired.
    public static func isGone(_ error: any Error) -> Bool {
        (error as? KubernetesError)?.isGone ?? false
    }

    /// Whether `error` is a 409 Conflict (stale resourceVersion).
    public static func isConflict(_ error: any Error) -> Bool {
        (error as? KubernetesError)?.isConflict ?? false
    }

    /// Whether `error` is a 404 NotFound.
    public static func isNotFound(_ error: any Error) -> Bool {
        (error as? KubernetesError)?.isNotFound ?? false
    }

    /// Whether `error` is a 409 AlreadyExists.
    public static func isAlreadyExists(_ error: any Error) -> Bool {
        (error as? KubernetesError)?.isAlreadyExists ?? false
    }

    private static func error(code: Int, reason: String, message: String) -> KubernetesError {
        .api(
            KubernetesAPIError(
                status: Status(message: message, reason: reason, code: code), statusCode: code, method: "", path: ""))
    }
}
