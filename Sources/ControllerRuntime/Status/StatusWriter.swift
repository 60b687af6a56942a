import JSONCore
import Kubernetes
import Logging

/// Writes an object's status through the status subresource, only when it changed (controller-runtime
/// `StatusWriter`, with the Flink operator's "write only when changed").
///
/// - **No-op when unchanged.** The computed status is compared with the status the reconcile started from as
///   encoded JSON; equal means no request at all.
/// - **Optimistic.** The write is a PUT of `/status` with the object's resourceVersion. On 409 Conflict the
///   writer reads the object again and re-applies the same *change* — the RFC 7386 merge patch from the
///   starting status to the computed one — to the fresh status, then writes again, at most `maxAttempts` times
///   in all. Fields other writers changed meanwhile and this reconcile did not touch are kept.
/// - **Returns the stored object**, so a caller knows the write landed (and has the new resourceVersion)
///   before acting on it — e.g. the FlinkJob controller records the Flink job ID before submitting the job.
/// - **Intent writes do not re-apply.** With `reapplyOnConflict: false` a conflict throws `statusConflict` at
///   once: a status that records what the reconcile is *about to do* was planned from the object it read, and a
///   conflict means that object was stale (the cache lagged behind a write, or someone edited the spec); acting on
///   that plan could repeat or undo work. The caller plans again from the fresh object instead.
public struct StatusWriter<Object: KubernetesObject & HasStatus>: Sendable {
    private let api: any ObjectAPI<Object>
    private let maxAttempts: Int
    private let logger: Logger

    /// A writer through `api`, trying at most `maxAttempts` writes per call.
    public init(api: any ObjectAPI<Object>, maxAttempts: Int = 5, logger: Logger) {
        self.api = api
        self.maxAttempts = max(1, maxAttempts)
        self.logger = logger
    }

    /// Writes `status` if it differs from `original.status`.
    ///
    /// - Parameters:
    ///   - original: the object as the reconcile read it (its resourceVersion is the write's precondition).
    ///   - status: the status the reconcile computed.
    /// - Throws: `ControllerRuntimeError.statusConflict` when every attempt conflicted, `.statusWrite` for other
    ///   failures (the backend's error inside), `.statusEncoding` when a status does not encode or decode.
    ///   - reapplyOnConflict: whether a conflict re-applies the change to the fresh object (`true`) or throws
    ///     `statusConflict` at once (`false`, for writes that record an intent before acting).
    public func write(_ original: Object, status: Object.ResourceStatus?, reapplyOnConflict: Bool = true) async throws
        -> StatusWriteResult<Object>
    {
        guard let key = original.objectKey else { throw ControllerRuntimeError.unnamedObject(kind: api.kind) }
        let before = try encode(original.status, key: key)
        let after = try encode(status, key: key)
        guard before != after else { return .unchanged(original) }
        let change = before.mergePatch(to: after)

        var target = original
        target.status = status
        for attempt in 1...maxAttempts {
            do {
                return .written(try await api.replaceStatus(target))
            } catch where BackendFailure.isConflict(error) {
                guard reapplyOnConflict else {
                    logger.debug("Status write conflicted; the object read was stale", metadata: ["object": "\(key)"])
                    throw ControllerRuntimeError.statusConflict(key: key, attempts: attempt)
                }
                logger.debug(
                    "Status write conflicted; re-reading and re-applying the change",
                    metadata: ["object": "\(key)", "attempt": "\(attempt)"])
                guard attempt < maxAttempts else { break }
                let fresh: Object
                do {
                    fresh = try await api.get(key)
                } catch {
                    throw ControllerRuntimeError.statusWrite(key: key, underlying: error)
                }
                let freshStatus = try encode(fresh.status, key: key)
                let merged = freshStatus.applyingMergePatch(change)
                if merged == freshStatus { return .unchanged(fresh) }
                target = fresh
                do {
                    target.status = try merged.decode(Object.ResourceStatus.self)
                } catch {
                    throw ControllerRuntimeError.statusEncoding(key: key, underlying: error)
                }
            } catch {
                throw ControllerRuntimeError.statusWrite(key: key, underlying: error)
            }
        }
        throw ControllerRuntimeError.statusConflict(key: key, attempts: maxAttempts)
    }

    /// The status as JSON; an absent status is an empty object (so "no status" and `{}` compare equal).
    private func encode(_ status: Object.ResourceStatus?, key: ObjectKey) throws -> JSONValue {
        guard let status else { return .emptyObject }
        do {
            return try JSONValue(encoding: status)
        } catch {
            throw ControllerRuntimeError.statusEncoding(key: key, underlying: error)
        }
    }
}
