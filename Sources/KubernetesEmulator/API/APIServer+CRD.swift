import Foundation
import JSONCore

extension APIServer {
    /// Registers the resources of every established CRD and drops those of removed ones.
    func reconcileCustomResourceTypes(_ state: inout ServerState) {
        var wanted: [String: ResourceType] = [:]
        for entry in state.store.objects("apiextensions.k8s.io/customresourcedefinitions") where CRDSupport.isEstablished(entry.object) {
            for t in CRDSupport.resourceTypes(entry.object) { wanted[t.key] = t }
        }
        for (key, type) in state.types where type.isCustom && type.goType == nil && state.registeredFromCRD.contains(key) && wanted[key] == nil {
            state.types[key] = nil
            state.registeredFromCRD.remove(key)
        }
        for (key, type) in wanted {
            state.types[key] = type
            state.registeredFromCRD.insert(key)
        }
    }

    /// Marks a new CRD NamesAccepted and Established after the configured delay, then serves its resources.
    func scheduleEstablishing(_ crd: JSONValue) {
        guard let name = crd[path: ["metadata", "name"]]?.stringValue else { return }
        let delay = settings.crdEstablishDelay
        Task { [self] in
            try? await Task.sleep(for: delay)
            establish(name)
        }
    }

    /// Sets the NamesAccepted and Established conditions and serves the CRD.
    func establish(_ name: String) {
        let now = nowText
        state.withLock { state in
            let key = ObjectKey(namespace: "", name: name)
            let storage = "apiextensions.k8s.io/customresourcedefinitions"
            guard var crd = state.store.object(storage, key), !CRDSupport.isEstablished(crd) else { return }
            crd[path: ["status", "conditions"]] = [
                ["type": "NamesAccepted", "status": "True", "lastTransitionTime": .string(now), "reason": "NoConflicts",
                 "message": "no conflicts found"],
                ["type": "Established", "status": "True", "lastTransitionTime": .string(now), "reason": "InitialNamesAccepted",
                 "message": "the initial names have been accepted"],
            ]
            crd[path: ["status", "acceptedNames"]] = crd[path: ["spec", "names"]] ?? .emptyObject
            crd = BuiltinTypes.customResourceDefinition.encode(crd)
            _ = state.store.put(storage, key, crd)
            reconcileCustomResourceTypes(&state)
        }
        signalWatchers()
    }
}
