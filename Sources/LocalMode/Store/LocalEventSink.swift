import ControllerRuntime
import Kubernetes

/// `EventSink` on the state database's event log (what `describe` shows).
public struct LocalEventSink: EventSink {
    /// The database events are written to.
    public let database: StateDatabase

    /// A sink writing to `database`.
    public init(database: StateDatabase) {
        self.database = database
    }

    public func create(_ event: Event) async throws -> Event {
        let key = ObjectKey(namespace: event.metadata.namespace, name: event.metadata.name ?? "")
        guard try database.insertEvent(event) else { throw BackendFailure.alreadyExists(kind: Event.kind, key: key) }
        var stored = event
        stored.metadata.uid = "\(key)"
        return stored
    }

    public func updateSeries(of event: Event, to series: EventSeries) async throws -> Event {
        let key = ObjectKey(namespace: event.metadata.namespace, name: event.metadata.name ?? "")
        guard let stored = try database.updateEventSeries(namespace: key.namespace ?? "", name: key.name, series: series) else {
            throw BackendFailure.notFound(kind: Event.kind, key: key)
        }
        var updated = event
        updated.series = stored.event.series
        return updated
    }
}
