import JSONCore
import Kubernetes

/// Runs a reconcile behind a finalizer, so cleanup happens before the object disappears (kube-rs `finalizer`).
///
/// `run` looks at two facts — does the object carry our finalizer, and is it being deleted — and does one thing:
///
/// | finalizer | deleting | what happens |
/// |-----------|----------|--------------|
/// | no        | no       | add the finalizer (JSON patch, guarded by a `test`), then `apply` the patched object |
/// | yes       | no       | `apply(object)` |
/// | yes       | yes      | `cleanup(object)`; once it reports `.finished`, remove the finalizer (JSON patch `test` + `remove` by index) |
/// | no        | yes      | nothing (`.awaitChange`): our cleanup is done or was never needed |
///
/// ## Expected flow
/// 1. A new object is reconciled: the finalizer is added, and the object the server returned is applied.
/// 2. The object is applied, as often as it changes or requeues.
/// 3. The user deletes it: the server sets `deletionTimestamp` and keeps the object for us.
/// 4. Cleanup runs (again, as long as it fails); once it succeeds the finalizer is removed and the server deletes
///    the object.
///
/// ## Guarantees
/// - `apply` runs only on objects that carry the finalizer, so any object `apply` touched gets `cleanup` before
///   it is gone (as long as nobody removes our finalizer by hand).
/// - The add patch tests the current finalizer list (or, when there is none, the resourceVersion), so it never
///   overwrites a finalizer someone else added meanwhile; a concurrent change makes it fail and the reconcile
///   retries.
/// - Only our own finalizer is removed: the patch tests that the entry at the index is ours before removing it;
///   other controllers' finalizers stay.
/// - Errors thrown by `reconcile` are rethrown unchanged (so `TerminalError` and `errorPolicy` see them); failed
///   patches throw `ControllerRuntimeError.addFinalizer` / `.removeFinalizer`.
///
/// ## Assumptions
/// - `cleanup` tolerates `apply` never having run: deletion may come right after the finalizer was added.
/// - `cleanup` is idempotent: it may run again if removing the finalizer fails.
/// - The finalizer name is unique to this controller (`flink.jobcontroller.io/finalizer`), and no other
///   controller removes it.
/// - The object is read from a cache that may be stale; the `test` guards make stale writes fail instead of
///   clobbering.
public enum Finalizer {
    /// How far a cleanup got.
    public enum CleanupProgress: Sendable {
        /// Everything is released: remove the finalizer, then follow the action.
        case finished(Action)
        /// Cleanup is under way (e.g. waiting for a savepoint): keep the finalizer and look again per the action.
        case pending(Action)
    }

    /// Runs one reconcile of `object` behind the finalizer `name`; cleanup that returns at all is complete.
    public static func run<Object: KubernetesObject>(
        api: any ObjectAPI<Object>, finalizer name: String, object: Object,
        reconcile: (FinalizerEvent<Object>) async throws -> Action
    ) async throws -> Action {
        try await run(
            api: api, finalizer: name, object: object,
            apply: { try await reconcile(.apply($0)) },
            cleanup: { .finished(try await reconcile(.cleanup($0))) })
    }

    /// Runs one reconcile of `object` behind the finalizer `name`, with a cleanup that may take several passes
    /// (the finalizer is removed only once `cleanup` reports `.finished`).
    public static func run<Object: KubernetesObject>(
        api: any ObjectAPI<Object>, finalizer name: String, object: Object,
        apply: (Object) async throws -> Action,
        cleanup: (Object) async throws -> CleanupProgress
    ) async throws -> Action {
        guard let key = object.objectKey else { throw ControllerRuntimeError.unnamedObject(kind: api.kind) }
        let finalizers = object.metadata.finalizers ?? []
        let index = finalizers.firstIndex(of: name)
        switch (index, object.metadata.isDeleting) {
        case (.some, false):
            return try await apply(object)
        case (.some(let index), true):
            let action: Action
            switch try await cleanup(object) {
            case .pending(let next): return next
            case .finished(let next): action = next
            }
            let pointer = JSONPointer(tokens: ["metadata", "finalizers", String(index)])
            let patch = JSONPatch([.test(path: pointer, value: .string(name)), .remove(path: pointer)])
            do {
                _ = try await api.patch(key, .json(patch))
            } catch where BackendFailure.isNotFound(error) {
                // Already gone: someone else finished the deletion; nothing left to release.
            } catch {
                throw ControllerRuntimeError.removeFinalizer(key: key, finalizer: name, underlying: error)
            }
            return action
        case (nil, true):
            return .awaitChange
        case (nil, false):
            let patch: JSONPatch
            let finalizersPointer = JSONPointer(tokens: ["metadata", "finalizers"])
            if finalizers.isEmpty {
                // There is no list to test; test the version instead, so a list created meanwhile is not replaced.
                let version = object.metadata.resourceVersion ?? ""
                patch = JSONPatch([
                    .test(path: JSONPointer(tokens: ["metadata", "resourceVersion"]), value: .string(version)),
                    .add(path: finalizersPointer, value: .array([.string(name)])),
                ])
            } else {
                patch = JSONPatch([
                    .test(path: finalizersPointer, value: .array(finalizers.map { .string($0) })),
                    .add(path: JSONPointer(tokens: ["metadata", "finalizers", "-"]), value: .string(name)),
                ])
            }
            let patched: Object
            do {
                patched = try await api.patch(key, .json(patch))
            } catch {
                throw ControllerRuntimeError.addFinalizer(key: key, finalizer: name, underlying: error)
            }
            // Apply at once to the object the server returned (it carries the finalizer now) instead of waiting
            // for the watch to deliver the change: a new object is acted on one round trip sooner.
            return try await apply(patched)
        }
    }
}
