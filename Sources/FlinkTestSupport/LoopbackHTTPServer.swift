import Hummingbird
import Logging

/// Starts a Hummingbird router on a loopback address and an ephemeral port, for the test servers of this module
/// and the benchmarks: returns the port once the server listens, and the task that runs it (cancel it to stop).
public enum LoopbackHTTPServer {
    public static func start(
        _ router: Router<BasicRequestContext>, host: String = "127.0.0.1", label: String
    ) async throws -> (port: Int, task: Task<Void, any Error>) {
        var logger = Logger(label: label)
        logger.logLevel = .critical
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger)
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        guard let port = await stream.first(where: { _ in true }), port > 0 else {
            task.cancel()
            throw FlinkTestSupportError.serverDidNotStart(label)
        }
        return (port, task)
    }
}
