import FlinkJobOperator
import FlinkTestSupport
import Foundation
import HTTPTransport
import Logging
import Testing

/// Server-side request forgery, tried for real: a tenant's artifact or signature URI aims the operator's downloader
/// at inside addresses. Real HTTP servers listen on loopback addresses, the real libcurl client fetches.
@Suite(.serialized) struct ArtifactEgressAttackTests {
    /// The artifact server on 127.0.0.2 and an "internal" service on 127.0.0.1 standing for the API server or
    /// anything else the operator can reach.
    struct Servers {
        let artifacts: ArtifactServer
        let inside: ArtifactServer
        let cache: URL

        static func start() async throws -> Servers {
            let artifacts = try await ArtifactServer.start(host: "127.0.0.2", files: ["/releases/job.jar": Data("the job".utf8)])
            let inside = try await ArtifactServer.start(host: "127.0.0.1", files: ["/secret": Data("internal".utf8)])
            let cache = FileManager.default.temporaryDirectory.appendingPathComponent("egress-\(UUID().uuidString)")
            return Servers(artifacts: artifacts, inside: inside, cache: cache)
        }

        func stop() {
            artifacts.stop()
            inside.stop()
            try? FileManager.default.removeItem(at: cache)
        }
    }

    private func fetch(
        _ uri: String, servers: Servers, egress: EgressPolicy = EgressPolicy(), prefixes: [String]? = nil,
        digest: String? = nil
    ) async throws -> LocalArtifact {
        let http = try CurlHTTPClient(configuration: .init(requestTimeout: .seconds(10)))
        defer { Task { await http.shutdown() } }
        let fetcher = ArtifactFetcher(
            settings: ArtifactSettings(cacheDirectory: servers.cache.path, egress: egress), http: http,
            logger: Logger(label: "test"))
        return try await fetcher.fetch(uri, expectedDigest: digest, allowedPrefixes: prefixes)
    }

    private func refusal(_ error: any Error) -> String? {
        guard case .egressRefused? = error as? ArtifactError else { return nil }
        return "\(error)"
    }

    private let loopbackArtifacts = EgressPolicy(allowedRanges: [IPRange("127.0.0.2/32")!])

    @Test func theCloudMetadataAddressIsRefusedWithoutAConnection() async throws {
        let servers = try await Servers.start()
        defer { servers.stop() }
        for uri in ["http://169.254.169.254/latest/meta-data/iam/security-credentials/", "http://[fd00:ec2::254]/latest/"] {
            await #expect(performing: { _ = try await fetch(uri, servers: servers) }, throws: { error in
                let text = refusal(error) ?? ""
                return text.contains("not fetched") && text.contains("nothing was uploaded")
            })
        }
    }

    @Test func loopbackIsRefusedByDefaultAndServesNothing() async throws {
        let servers = try await Servers.start()
        defer { servers.stop() }
        await #expect(performing: { _ = try await fetch("\(servers.inside.url)/secret", servers: servers) }, throws: { error in
            refusal(error)?.contains("loopback address") == true
        })
        #expect(servers.inside.requested.isEmpty, "no request reached the inside service")
    }

    @Test func anAllowedRangeFetchesAndTheAPIServerStaysRefusedWhateverIsAllowed() async throws {
        let servers = try await Servers.start()
        defer { servers.stop() }
        let artifact = try await fetch("\(servers.artifacts.url)/releases/job.jar", servers: servers, egress: loopbackArtifacts)
        #expect(try Data(contentsOf: URL(fileURLWithPath: artifact.path)) == Data("the job".utf8))
        let apiServer = EgressPolicy(
            allowedHosts: ["127.0.0.1"], allowedRanges: [IPRange("127.0.0.0/8")!], protectedAddresses: [IPAddress("127.0.0.1")!])
        await #expect(performing: {
            _ = try await fetch("\(servers.inside.url)/secret", servers: servers, egress: apiServer)
        }, throws: { error in
            refusal(error)?.contains("Kubernetes API server") == true
        })
        #expect(servers.inside.requested.isEmpty)
    }

    @Test func aRedirectIntoADeniedRangeIsRefusedAtTheHopThatLeadsThere() async throws {
        let servers = try await Servers.start()
        defer { servers.stop() }
        for target in ["\(servers.inside.url)/secret", "http://169.254.169.254/latest/meta-data/"] {
            let uri = "\(servers.artifacts.url)/redirect?to=\(target.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
            await #expect(performing: { _ = try await fetch(uri, servers: servers, egress: loopbackArtifacts) }, throws: { error in
                refusal(error)?.contains("a redirect hop is refused") == true
            })
        }
        #expect(servers.artifacts.requested.count == 2, "the allowed server answered the first hop")
        #expect(servers.inside.requested.isEmpty, "the redirect's target was never reached")
    }

    @Test func aRedirectOutOfTheClustersPrefixesIsRefused() async throws {
        let servers = try await Servers.start()
        defer { servers.stop() }
        let outside = "\(servers.artifacts.url)/elsewhere/job.jar"
        let uri = "\(servers.artifacts.url)/redirect?to=\(outside.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
        await #expect(performing: {
            _ = try await fetch(uri, servers: servers, egress: loopbackArtifacts, prefixes: ["\(servers.artifacts.url)/redirect"])
        }, throws: { error in
            refusal(error)?.contains("not under any allowed URI prefix") == true
        })
        #expect(servers.artifacts.requested.count == 1)
    }

    @Test func aDigestMismatchDoesNotTellWhatWasFound() async throws {
        let servers = try await Servers.start()
        defer { servers.stop() }
        let wrong = "sha256:" + String(repeating: "0", count: 64)
        await #expect(performing: {
            _ = try await fetch("\(servers.artifacts.url)/releases/job.jar", servers: servers, egress: loopbackArtifacts, digest: wrong)
        }, throws: { error in
            guard case .digestMismatch(_, let actual)? = error as? ArtifactError else { return false }
            let text = "\(error)"
            return text.contains(wrong) && !text.contains(actual) && !text.contains(String(actual.dropFirst(7)))
        })
    }
}
