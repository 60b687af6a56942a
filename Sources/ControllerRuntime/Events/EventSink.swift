import Kubernetes

/// Where the event recorder writes `events.k8s.io/v1` Events: the seam for events (Kubernetes or local).
///
/// Errors follow `ObjectAPI`'s conventions (`KubernetesError` with API reasons; 404 when the event to update is
/// gone, e.g. expired by the server's event TTL).
public protocol EventSink: Sendable {
    /// Creates an event in `event.metadata.namespace` with the given name; returns it as stored.
    func create(_ event: Event) async throws -> Event
    /// Updates the aggregation data (`series`) of a stored event; returns it as stored.
    func updateSeries(of event: Event, to series: EventSeries) async throws -> Event
}

/// `EventSink` over the Kubernetes API (`events.k8s.io/v1`).
public struct KubernetesEventSink: EventSink {
    /// The client requests go through.
    public let client: KubernetesClient

    /// A sink writing through `client`.
    public init(client: KubernetesClient) {
        self.client = client
    }

    public func create(_ event: Event) async throws -> Event {
        try await client.resources(Event.self, namespace: event.metadata.namespace).create(event)
    }

    public func updateSeries(of event: Event, to series: EventSeries) async throws -> Event {
        guard let name = event.metadata.name else { throw ControllerRuntimeError.unnamedObject(kind: Event.kind) }
        // A merge patch touches only `series`, so concurrent writers of other fields are not overwritten.
        return try await client.resources(Event.self, namespace: event.metadata.namespace)
            .patch(name, try .merge(encoding: ["series": series]))
    }
}
