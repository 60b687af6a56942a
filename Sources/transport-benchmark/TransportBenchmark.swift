import Foundation
import HTTPTransport

/// Measures small-GET throughput of `CurlHTTPClient` over loopback keep-alive connections.
///
/// Usage: `transport-benchmark [--duration SECONDS] [--concurrency N,N,...] [--serve SECONDS]` (defaults: 3 s;
/// 1,8,32). `--serve` only runs the servers, printing their ports and CA, to measure other clients against them.
/// Runs against in-process Hummingbird servers: plain HTTP/1.1, HTTPS with HTTP/1.1, and HTTPS offering HTTP/2.
/// Each row is one client doing as many requests as it can for the duration with N tasks, after a warm-up.
@main
enum TransportBenchmark {
    static func main() async throws {
        try await run(options: Options(arguments: Array(CommandLine.arguments.dropFirst())))
    }

    /// Runs every scenario and prints one row per protocol and concurrency.
    nonisolated static func run(options: Options) async throws {
        try await BenchmarkServers.run { servers in
            if let serve = options.serve {
                // Only serve, for measuring other clients (curl, wrk) against the same servers.
                print("http=\(servers.httpPort) https=\(servers.httpsPort) h2=\(servers.http2Port)")
                print(servers.certificateAuthorityPEM)
                try await Task.sleep(for: serve)
                return
            }
            let scenarios: [(name: String, url: String, tls: TLSConfiguration)] = [
                ("http/1.1", "http://127.0.0.1:\(servers.httpPort)/small", TLSConfiguration()),
                ("https/1.1", "https://127.0.0.1:\(servers.httpsPort)/small", TLSConfiguration(trustRoots: .pem(servers.certificateAuthorityPEM))),
                ("https/h2", "https://127.0.0.1:\(servers.http2Port)/small", TLSConfiguration(trustRoots: .pem(servers.certificateAuthorityPEM))),
            ]
            print("transport-benchmark: small GET over loopback keep-alive, \(ProcessInfo.processInfo.activeProcessorCount) cores, \(options.duration) per row")
            print(pad("protocol", 10) + pad("tasks", 7) + pad("requests", 10) + pad("failed", 8) + pad("req/s", 10) + "mean latency")
            for scenario in scenarios {
                for concurrency in options.concurrency {
                    let client = try CurlHTTPClient(configuration: CurlHTTPClient.Configuration(tls: scenario.tls))
                    _ = try await measure(client: client, url: scenario.url, concurrency: concurrency, duration: .milliseconds(300))
                    let result = try await measure(client: client, url: scenario.url, concurrency: concurrency, duration: options.duration)
                    await client.shutdown()
                    let seconds = result.elapsed.seconds
                    let rate = Double(result.requests) / seconds
                    let latency = seconds / Double(result.requests) * Double(concurrency) * 1000
                    print(
                        pad(scenario.name, 10) + pad("\(concurrency)", 7) + pad("\(result.requests)", 10)
                            + pad("\(result.failures)", 8) + pad(String(format: "%.0f", rate), 10)
                            + String(format: "%.3f ms", latency)
                    )
                }
            }
            print("")
            print("small GETs on the same client while a 256 MiB download sits unread (paused by back-pressure):")
            print(pad("protocol", 10) + pad("tasks", 7) + pad("requests", 10) + pad("failed", 8) + pad("req/s", 10) + "mean latency")
            for scenario in scenarios {
                let client = try CurlHTTPClient(
                    configuration: CurlHTTPClient.Configuration(tls: scenario.tls, requestTimeout: .seconds(5))
                )
                let download = try await client.stream(HTTPRequest(url: scenario.url.replacingOccurrences(of: "/small", with: "/bytes?count=\(256 << 20)")))
                var iterator = download.body.makeAsyncIterator()
                _ = try await iterator.next()
                // Give libcurl time to fill the buffer and pause the download.
                try await Task.sleep(for: .milliseconds(300))
                let result = try await measure(client: client, url: scenario.url, concurrency: 1, duration: options.duration)
                let seconds = result.elapsed.seconds
                print(
                    pad(scenario.name, 10) + pad("1", 7) + pad("\(result.requests)", 10) + pad("\(result.failures)", 8)
                        + pad(String(format: "%.0f", Double(result.requests) / seconds), 10)
                        + (result.requests > 0 ? String(format: "%.3f ms", seconds / Double(result.requests) * 1000) : "-")
                        + "  (download paused \(download.body.bufferStatistics?.pauseCount ?? 0)x)"
                )
                _ = consume iterator
                await client.shutdown()
            }
        }
    }

    /// Runs `concurrency` tasks that each send requests back to back until the duration is over.
    static func measure(
        client: CurlHTTPClient,
        url: String,
        concurrency: Int,
        duration: Duration
    ) async throws -> (requests: Int, failures: Int, elapsed: Duration) {
        let started = ContinuousClock.now
        let deadline = started + duration
        let (requests, failures) = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var count = 0
                    var failed = 0
                    let request = HTTPRequest(url: url)
                    while ContinuousClock.now < deadline {
                        do {
                            let response = try await client.execute(request)
                            guard response.status == 200 else { throw BenchmarkError.unexpectedStatus(response.status) }
                            count += 1
                        } catch let error as HTTPTransportError {
                            // Counted and shown rather than fatal: a row should report what happened.
                            failed += 1
                            if failed == 1 { print("  first failure: \(error)") }
                        }
                    }
                    return (count, failed)
                }
            }
            return try await group.reduce((0, 0)) { ($0.0 + $1.0, $0.1 + $1.1) }
        }
        return (requests, failures, ContinuousClock.now - started)
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}

/// Command-line options. Parsed by hand because the package's dependencies are fixed for this target; the
/// two flags do not justify adding swift-argument-parser to the whole package.
struct Options {
    var duration: Duration = .seconds(3)
    var concurrency: [Int] = [1, 8, 32]
    /// Serve for this long instead of measuring.
    var serve: Duration?

    init(arguments: [String]) throws {
        var remaining = arguments[...]
        while let flag = remaining.popFirst() {
            guard let value = remaining.popFirst() else { throw BenchmarkError.badArguments("\(flag) needs a value") }
            switch flag {
            case "--duration":
                guard let seconds = Double(value), seconds > 0 else { throw BenchmarkError.badArguments("bad --duration \(value)") }
                duration = .milliseconds(Int(seconds * 1000))
            case "--serve":
                guard let seconds = Int(value), seconds > 0 else { throw BenchmarkError.badArguments("bad --serve \(value)") }
                serve = .seconds(seconds)
            case "--concurrency":
                let values = value.split(separator: ",").compactMap { Int($0) }
                guard !values.isEmpty, values.allSatisfy({ $0 > 0 }) else {
                    throw BenchmarkError.badArguments("bad --concurrency \(value)")
                }
                concurrency = values
            default:
                throw BenchmarkError.badArguments("unknown option \(flag); usage: transport-benchmark [--duration SECONDS] [--concurrency N,N,...] [--serve SECONDS]")
            }
        }
    }
}

extension Duration {
    /// The duration in seconds as a floating-point number.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
