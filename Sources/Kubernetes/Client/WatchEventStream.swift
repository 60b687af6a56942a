import Foundation
import HTTPTransport

/// The events of one watch response, decoded line by line, in the order the server sent them.
///
/// Single pass: iterate it once. The sequence ends (`nil`) when the server ends the stream (e.g. after
/// `timeoutSeconds`); resume with a new watch from the last event's resourceVersion. It throws
/// `KubernetesError`:
/// - `.gone(status)` for an ERROR event with code 410 (Expired/Gone): list again, then watch from the list;
/// - `.api` for any other ERROR event;
/// - `.decoding` for a line that is not JSON or whose object does not decode (with the raw line, truncated);
/// - `.transport` when the connection fails mid-stream.
/// After throwing, the sequence ends. Dropping the iterator (or cancelling the task) closes the connection.
public struct WatchEventStream<Object: KubernetesObject>: AsyncSequence, Sendable {
    public typealias Element = WatchEvent<Object>
    public typealias Failure = any Error

    /// The longest line accepted (far above etcd's object size limit); a longer one is a malformed stream.
    public static var maximumLineBytes: Int { HTTPBodyLines.defaultMaxLineBytes }

    private let body: HTTPBodyStream
    private let kind: String
    private let pathAndQuery: String

    /// Wraps the body of a `200` watch response.
    init(body: HTTPBodyStream, kind: String, pathAndQuery: String) {
        self.body = body
        self.kind = kind
        self.pathAndQuery = pathAndQuery
    }

    /// Opens the watch request and checks the response status.
    static func open(client: KubernetesClient, request: APIRequest, kind: String) async throws -> WatchEventStream {
        let started = ContinuousClock.now
        let response: HTTPStreamingResponse
        do {
            response = try await client.httpClient.stream(client.httpRequest(for: request, streaming: true))
        } catch {
            client.logRequest(request, status: nil, started: started, error: error)
            throw KubernetesError.transport(error)
        }
        client.logRequest(request, status: response.status, started: started, error: nil)
        guard response.status == 200 else {
            // Error answers are short Status documents; read a bounded prefix for the message.
            var collected = Data()
            var iterator = response.body.makeAsyncIterator()
            while collected.count < 64 * 1024, let chunk = try? await iterator.next() {
                collected.append(chunk)
            }
            let error = KubernetesClient.apiError(
                statusCode: response.status, headers: response.headers, body: collected,
                method: request.method.rawValue, path: request.pathAndQuery)
            if response.status == 410 { throw KubernetesError.gone(error.status) }
            throw KubernetesError.api(error)
        }
        return WatchEventStream(body: response.body, kind: kind, pathAndQuery: request.pathAndQuery)
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(
            lines: body.lines(maxLineBytes: Self.maximumLineBytes).makeAsyncIterator(), kind: kind,
            pathAndQuery: pathAndQuery)
    }

    /// Reads lines from the body and decodes each into an event.
    public struct AsyncIterator: AsyncIteratorProtocol {
        private var lines: HTTPBodyLines.AsyncIterator
        private var done = false
        private let kind: String
        private let pathAndQuery: String

        /// Reads events from the body's lines.
        init(lines: HTTPBodyLines.AsyncIterator, kind: String, pathAndQuery: String) {
            self.lines = lines
            self.kind = kind
            self.pathAndQuery = pathAndQuery
        }

        /// The next event; `nil` when the server ended the stream.
        public mutating func next() async throws -> WatchEvent<Object>? {
            guard !done else { return nil }
            do {
                let line: Data?
                do {
                    line = try await lines.next()
                } catch HTTPTransportError.lineTooLong(let limit) {
                    throw KubernetesError.decoding(
                        what: "watch event of \(kind) (a line longer than \(limit) bytes)", snippet: "",
                        underlying: HTTPTransportError.lineTooLong(limit: limit))
                } catch {
                    throw KubernetesError.transport(error)
                }
                guard let line else {
                    done = true
                    return nil
                }
                return try decode(line)
            } catch {
                done = true
                throw error
            }
        }

        /// Decodes one line into an event; ERROR events become thrown errors.
        private func decode(_ line: Data) throws -> WatchEvent<Object> {
            let event: WatchEvent<Object>
            do {
                event = try JSONDecoder().decode(WatchEvent<Object>.self, from: line)
            } catch {
                throw KubernetesError.decoding(
                    what: "watch event of \(kind)", snippet: Snippet.of(String(decoding: line, as: UTF8.self)),
                    underlying: error)
            }
            if case .error(let status) = event {
                let reason = status.knownReason
                if status.code == 410 || reason == .expired || reason == .gone {
                    throw KubernetesError.gone(status)
                }
                throw KubernetesError.api(
                    KubernetesAPIError(
                        status: status, statusCode: status.code ?? 500, method: "GET", path: pathAndQuery))
            }
            return event
        }
    }
}
