import Foundation
import Logging

/// An `HTTPClient` over libcurl's multi interface: one dedicated thread drives every transfer of the client.
///
/// Connections are kept alive and reused between requests (and multiplexed over HTTP/2 where the server
/// offers it). Requests may be sent from any task concurrently. Cancelling the calling task, or the task
/// reading a streaming body, aborts the transfer promptly with `HTTPTransportError.cancelled`. Redirects
/// are not followed. Proxies named by the usual environment variables (`https_proxy`, `no_proxy`) apply.
///
/// Call `shutdown()` when done; a client that is simply released shuts down in the background, failing its
/// transfers (streams still being read included) with `HTTPTransportError.shutDown`, so keep the client alive
/// for as long as its responses are read.
public final class CurlHTTPClient: HTTPClient {
    /// The settings this client was created with.
    public let configuration: Configuration
    private let engine: CurlMultiEngine
    private let bodyUploadBufferBytes = 256 << 10

    /// Creates a client and starts its thread.
    ///
    /// - Throws: `HTTPTransportError.invalidConfiguration` for unusable settings, `.curl`/`.multi` when
    ///   libcurl cannot be initialised.
    public init(configuration: Configuration = Configuration()) throws {
        let defaults = try TransferDefaults(configuration)
        self.configuration = configuration
        engine = try CurlMultiEngine(
            defaults: defaults,
            maxConnectionsPerHost: configuration.maxConnectionsPerHost,
            logger: configuration.logger
        )
        if configuration.tls.insecureSkipVerify {
            configuration.logger.warning(
                "TLS verification is disabled (insecureSkipVerify): server certificates and host names are not checked"
            )
        }
    }

    deinit {
        engine.beginShutdown()
    }

    /// Sends a request and collects the whole response body.
    ///
    /// The exchange is limited by `request.timeout ?? configuration.requestTimeout` and the body by
    /// `configuration.maxResponseBodyBytes`. Any status code is a response, not an error.
    ///
    /// A `GET` or `HEAD` without a body that fails because its connection broke under it (an HTTP/2 `GOAWAY`,
    /// a reset while sending or receiving) is sent once more, on another connection: such requests are safe
    /// to repeat, and libcurl 7.88 does not retry them itself when the connection was multiplexed.
    ///
    /// - Throws: `HTTPTransportError` naming the failing step.
    public func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
        do {
            return try await executeOnce(request)
        } catch let error as HTTPTransportError where error.isConnectionLoss && request.isSafeToRepeat {
            configuration.logger.debug(
                "Repeating a request after its connection broke",
                metadata: ["http.method": "\(request.method)", "http.url": "\(RequestValidation.redacted(request.url))"]
            )
            return try await executeOnce(request)
        }
    }

    private func executeOnce(_ request: HTTPRequest) async throws -> HTTPResponse {
        let id = engine.makeID()
        let promise = ResponsePromise<HTTPResponse>()
        let transfer = try await prepare(
            request,
            id: id,
            sink: .collect(promise, limit: configuration.maxResponseBodyBytes),
            totalTimeout: request.timeout ?? configuration.requestTimeout
        )
        guard engine.submit(.start(transfer)) else {
            transfer.releaseBody()
            throw HTTPTransportError.shutDown
        }
        return try await withTaskCancellationHandler {
            try await promise.wait()
        } onCancel: {
            if promise.complete(.failure(.cancelled)) { engine.abortTransfer(id, with: .cancelled) }
        }
    }

    /// Sends a request and returns once the final response head arrived; the body streams afterwards.
    ///
    /// Only `request.timeout` limits the whole exchange (no client default), and `configuration.idleTimeout`
    /// the silence between bytes. The body buffers at most `configuration.streamBufferBytes` before the
    /// transfer pauses for the reader.
    ///
    /// - Throws: `HTTPTransportError` naming the failing step.
    public func stream(_ request: HTTPRequest) async throws -> HTTPStreamingResponse {
        let id = engine.makeID()
        let head = ResponsePromise<ResponseHead>()
        let body = BodyBuffer(id: id, limit: configuration.streamBufferBytes, control: engine)
        let transfer = try await prepare(request, id: id, sink: .stream(head, body), totalTimeout: request.timeout)
        guard engine.submit(.start(transfer)) else {
            transfer.releaseBody()
            throw HTTPTransportError.shutDown
        }
        let responseHead = try await withTaskCancellationHandler {
            try await head.wait()
        } onCancel: {
            if head.complete(.failure(.cancelled)) { body.cancel(.cancelled) }
        }
        return HTTPStreamingResponse(
            status: responseHead.status,
            headers: responseHead.headers,
            body: HTTPBodyStream(buffer: body)
        )
    }

    /// Stops the client: running transfers fail with `HTTPTransportError.shutDown`, later requests are refused,
    /// and the call returns once the client's thread has released every libcurl handle. Idempotent.
    public func shutdown() async {
        await engine.shutdown()
    }

    /// Transfers currently in libcurl's hands; `0` once every request has completed or been aborted.
    package var runningTransferCount: Int {
        engine.runningTransfers
    }

    // MARK: Preparation (caller's task)

    private func prepare(
        _ request: HTTPRequest,
        id: TransferID,
        sink: TransferRequest.Sink,
        totalTimeout: Duration?
    ) async throws(HTTPTransportError) -> TransferRequest {
        let url = try RequestValidation.validatedURL(request.url)
        let auth = request.auth ?? configuration.defaultAuth
        var authorization: (name: String, value: String)?
        var authentication = TransferRequest.Authentication.none
        switch auth {
        case nil: break
        case .bearer(let provider):
            // Asked on every request so rotated (projected service-account) tokens are picked up.
            let token: String
            do {
                token = try await provider.bearerToken()
            } catch {
                throw .credentialsUnavailable("the bearer token provider failed: \(error)")
            }
            authorization = ("Authorization", "Bearer \(token)")
        case .basic(let username, let password): authentication = .basic(username: username, password: password)
        case .header(let name, let value): authorization = (name, value)
        case .negotiate: authentication = .negotiate
        }
        if let timeout = request.timeout, timeout <= .zero {
            throw .invalidRequest("the request timeout must be positive")
        }
        let headerLines = try RequestValidation.headerLines(
            request.headers,
            authorization: authorization,
            replacesAuthorization: auth != nil,
            body: request.body
        )
        // Last, because a stream body starts its producer task: a rejected request never reads the source.
        let body = try prepareBody(request.body, id: id, method: request.method)
        return TransferRequest(
            id: id,
            method: request.method,
            url: url,
            redactedURL: RequestValidation.redacted(url),
            headerLines: headerLines,
            authentication: authentication,
            body: body,
            totalTimeout: totalTimeout,
            idleTimeout: configuration.idleTimeout,
            sink: sink,
            connectionGuard: request.connectionGuard,
            startedAt: .now
        )
    }

    private func prepareBody(
        _ body: HTTPRequestBody,
        id: TransferID,
        method: HTTPMethod
    ) throws(HTTPTransportError) -> TransferRequest.Body {
        if method == .head, !body.isEmpty { throw .invalidRequest("a HEAD request cannot carry a body") }
        switch body {
        case .empty:
            return .none
        case .bytes(let data):
            return .bytes(data)
        case .file(let path):
            let descriptor = try OwnedFileDescriptor(readingFrom: path)
            return .file(descriptor, size: try descriptor.regularFileSize(path: path))
        case .stream(let source, let length):
            if let length, length < 0 { throw .invalidRequest("a stream body's length cannot be negative") }
            let buffer = UploadBuffer(id: id, limit: bodyUploadBufferBytes, control: engine)
            return .stream(buffer, length: length, producer: buffer.startProducer(source))
        case .multipart(let parts):
            for part in parts {
                if case .file(let path) = part.content {
                    // Fail now with a clear error rather than with libcurl's read error mid-transfer.
                    let descriptor = try OwnedFileDescriptor(readingFrom: path)
                    _ = try descriptor.regularFileSize(path: path)
                }
                try RequestValidation.checkFieldText(part.name, what: "multipart part name")
                if let filename = part.filename { try RequestValidation.checkFieldText(filename, what: "multipart file name") }
                if let type = part.contentType { try RequestValidation.checkFieldText(type, what: "multipart content type") }
            }
            return .multipart(parts)
        }
    }
}

extension HTTPTransportError {
    /// The connection failed mid-exchange: `CURLE_HTTP2`, `CURLE_HTTP2_STREAM` (e.g. after a `GOAWAY`),
    /// `CURLE_SEND_ERROR`, `CURLE_RECV_ERROR` (reset, broken pipe).
    var isConnectionLoss: Bool {
        if case .curl(let code, _) = self { return [16, 92, 55, 56].contains(code) }
        return false
    }
}

extension HTTPRequest {
    /// A bodiless `GET` or `HEAD`: repeating it cannot change anything on the server.
    var isSafeToRepeat: Bool {
        (method == .get || method == .head) && body.isEmpty
    }
}
