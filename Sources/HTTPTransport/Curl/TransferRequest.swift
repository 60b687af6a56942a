import Foundation

/// Identifies one transfer across threads (commands refer to transfers by id, never by handle).
struct TransferID: Hashable, Sendable, CustomStringConvertible {
    var rawValue: UInt64
    var description: String { "#\(rawValue)" }
}

/// Everything the multi thread needs to run one request, prepared and validated on the caller's task.
///
/// Sendable: only values and Sendable reference types (promises, buffers, the owned file descriptor).
struct TransferRequest: Sendable {
    /// Where the response goes.
    enum Sink: Sendable {
        /// Collect the whole body (for `execute`), failing beyond `limit` bytes.
        case collect(ResponsePromise<HTTPResponse>, limit: Int)
        /// Deliver the head, then stream the body through the buffer (for `stream`).
        case stream(ResponsePromise<ResponseHead>, BodyBuffer)
    }

    /// A request body in the form the read callback consumes.
    enum Body: Sendable {
        case none
        case bytes(Data)
        case file(OwnedFileDescriptor, size: Int64)
        case stream(UploadBuffer, length: Int64?, producer: Task<Void, Never>)
        case multipart([MultipartPart])
    }

    /// libcurl-level authentication (bearer and header auth are plain header lines).
    enum Authentication: Sendable {
        case none
        case basic(username: String, password: String)
        case negotiate
    }

    let id: TransferID
    let method: HTTPMethod
    let url: String
    /// The URL as safe to log: no user info, no query.
    let redactedURL: String
    /// Header lines as libcurl takes them (`Name: value`), validated.
    let headerLines: [String]
    let authentication: Authentication
    let body: Body
    let totalTimeout: Duration?
    let idleTimeout: Duration?
    let sink: Sink
    let connectionGuard: ConnectionGuard?
    let startedAt: ContinuousClock.Instant

    /// Fails whoever waits for this transfer's outcome (used when it never reaches libcurl).
    func fail(_ error: HTTPTransportError) {
        switch sink {
        case .collect(let promise, _):
            promise.complete(.failure(error))
        case .stream(let head, let body):
            head.complete(.failure(error))
            body.finish(error: error)
        }
        releaseBody()
    }

    /// Stops a stream body's producer; other bodies release their resources when the request is dropped.
    func releaseBody() {
        if case .stream(let buffer, _, let producer) = body {
            buffer.close()
            producer.cancel()
        }
    }
}

/// A file descriptor closed when the last reference goes away.
///
/// Sendable: the descriptor number is immutable; reads and seeks happen on the multi thread only.
final class OwnedFileDescriptor: Sendable {
    /// The open descriptor.
    let rawValue: Int32

    /// Opens `path` for reading.
    ///
    /// - Throws: `HTTPTransportError.bodySourceFailed` naming the path and the system's reason.
    init(readingFrom path: String) throws(HTTPTransportError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .bodySourceFailed("cannot open \(path): \(String(cString: strerror(errno)))")
        }
        rawValue = descriptor
    }

    /// The file's size in bytes; fails unless it is a regular file.
    func regularFileSize(path: String) throws(HTTPTransportError) -> Int64 {
        var info = stat()
        guard fstat(rawValue, &info) == 0 else {
            throw .bodySourceFailed("cannot stat \(path): \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw .bodySourceFailed("\(path) is not a regular file")
        }
        return Int64(info.st_size)
    }

    deinit {
        close(rawValue)
    }
}
