import Foundation
import HTTPTransport
import Logging
import TLSFixtures
import Testing

extension LoopbackIntegration {
    @Suite("TLS")
    struct TLSTests {
        @Test func httpsSucceedsWhenTheServerCAIsTrustedFromPEMBytes() async throws {
            let pki = try TestPKI.shared.get()
            try await LoopbackServer.with(.tls) { port in
                let configuration = CurlHTTPClient.Configuration(tls: TLSConfiguration(trustRoots: .pem(pki.authority.certificatePEM)))
                try await withClient(configuration) { client in
                    let response = try await client.execute(HTTPRequest(url: "https://127.0.0.1:\(port)/hello"))
                    #expect(response.status == 200)
                    #expect(response.text == "hello")
                }
            }
        }

        @Test func httpsSucceedsWhenTheServerCAIsTrustedFromAFileAndTheHostIsAName() async throws {
            let pki = try TestPKI.shared.get()
            try await withTemporaryDirectory { directory in
                let caFile = directory.appendingPathComponent("ca.crt")
                try Data(pki.authority.certificatePEM.utf8).write(to: caFile)
                try await LoopbackServer.with(.tls) { port in
                    let configuration = CurlHTTPClient.Configuration(tls: TLSConfiguration(trustRoots: .file(path: caFile.path)))
                    try await withClient(configuration) { client in
                        let response = try await client.execute(HTTPRequest(url: "https://localhost:\(port)/hello"))
                        #expect(response.text == "hello")
                    }
                }
            }
        }

        @Test func aServerCertificateFromAnotherCAFailsVerificationWithAClearTLSError() async throws {
            let pki = try TestPKI.shared.get()
            let otherAuthority = try CertificateAuthority(commonName: "some other CA")
            try await LoopbackServer.with(.tls) { port in
                let configuration = CurlHTTPClient.Configuration(tls: TLSConfiguration(trustRoots: .pem(otherAuthority.certificatePEM)))
                try await withClient(configuration) { client in
                    let error = await #expect(throws: HTTPTransportError.self) {
                        try await client.execute(HTTPRequest(url: "https://127.0.0.1:\(port)/hello"))
                    }
                    guard case .tlsFailed(let message) = error else {
                        Issue.record("expected tlsFailed, got \(String(describing: error))")
                        return
                    }
                    #expect(message.hasPrefix("TLS: server certificate not trusted"))
                    #expect(message.contains("curl error 60"))
                }
            }
        }

        @Test func theSystemTrustStoreDoesNotTrustATestCA() async throws {
            let pki = try TestPKI.shared.get()
            try await LoopbackServer.with(.tls) { port in
                try await withClient { client in
                    let error = await #expect(throws: HTTPTransportError.self) {
                        try await client.execute(HTTPRequest(url: "https://127.0.0.1:\(port)/hello"))
                    }
                    if case .tlsFailed = error {} else { Issue.record("expected tlsFailed, got \(String(describing: error))") }
                }
            }
        }

        @Test func insecureSkipVerifyAcceptsAnUntrustedServerAndWarnsOnce() async throws {
            let pki = try TestPKI.shared.get()
            let storage = CapturingLogHandler.Storage()
            let logger = Logger(label: "test") { _ in CapturingLogHandler(storage: storage) }
            try await LoopbackServer.with(.tls) { port in
                let configuration = CurlHTTPClient.Configuration(
                    tls: TLSConfiguration(insecureSkipVerify: true),
                    logger: logger
                )
                try await withClient(configuration) { client in
                    for _ in 0..<3 {
                        let response = try await client.execute(HTTPRequest(url: "https://127.0.0.1:\(port)/hello"))
                        #expect(response.text == "hello")
                    }
                }
            }
            let warnings = storage.all.filter { $0.level == .warning }
            #expect(warnings.count == 1)
            #expect(warnings.first?.text.contains("insecureSkipVerify") == true)
        }

        @Test func mutualTLSWorksWithAClientCertificateFromPEMBytes() async throws {
            let pki = try TestPKI.shared.get()
            try await LoopbackServer.with(.mutualTLS) { port in
                let configuration = CurlHTTPClient.Configuration(
                    tls: TLSConfiguration(
                        trustRoots: .pem(pki.authority.certificatePEM),
                        clientCertificate: .pem(pki.client.certificatePEM),
                        clientKey: .pem(pki.client.privateKeyPEM)
                    )
                )
                try await withClient(configuration) { client in
                    let response = try await client.execute(HTTPRequest(url: "https://127.0.0.1:\(port)/hello"))
                    #expect(response.text == "hello")
                }
            }
        }

        @Test func mutualTLSWorksWithAClientCertificateFromFiles() async throws {
            let pki = try TestPKI.shared.get()
            try await withTemporaryDirectory { directory in
                let files = try pki.client.write(to: directory, name: "client")
                try await LoopbackServer.with(.mutualTLS) { port in
                    let configuration = CurlHTTPClient.Configuration(
                        tls: TLSConfiguration(
                            trustRoots: .pem(pki.authority.certificatePEM),
                            clientCertificate: .file(path: files.certificate.path),
                            clientKey: .file(path: files.key.path)
                        )
                    )
                    try await withClient(configuration) { client in
                        let response = try await client.execute(HTTPRequest(url: "https://127.0.0.1:\(port)/hello"))
                        #expect(response.text == "hello")
                    }
                }
            }
        }

        @Test func aServerRequiringAClientCertificateRejectsAClientWithoutOne() async throws {
            let pki = try TestPKI.shared.get()
            try await LoopbackServer.with(.mutualTLS) { port in
                let configuration = CurlHTTPClient.Configuration(tls: TLSConfiguration(trustRoots: .pem(pki.authority.certificatePEM)))
                try await withClient(configuration) { client in
                    let error = await #expect(throws: HTTPTransportError.self) {
                        try await client.execute(HTTPRequest(url: "https://127.0.0.1:\(port)/hello"))
                    }
                    if case .tlsFailed(let message) = error {
                        #expect(message.hasPrefix("TLS:"))
                    } else {
                        Issue.record("expected tlsFailed, got \(String(describing: error))")
                    }
                }
            }
        }

        @Test func aClientCertificateFromAnotherCAIsRejected() async throws {
            let pki = try TestPKI.shared.get()
            let stranger = try CertificateAuthority(commonName: "stranger CA").issue(commonName: "stranger")
            try await LoopbackServer.with(.mutualTLS) { port in
                let configuration = CurlHTTPClient.Configuration(
                    tls: TLSConfiguration(
                        trustRoots: .pem(pki.authority.certificatePEM),
                        clientCertificate: .pem(stranger.certificatePEM),
                        clientKey: .pem(stranger.privateKeyPEM)
                    )
                )
                try await withClient(configuration) { client in
                    await #expect(throws: HTTPTransportError.self) {
                        try await client.execute(HTTPRequest(url: "https://127.0.0.1:\(port)/hello"))
                    }
                }
            }
        }

        @Test func aClientCertificateWithoutItsKeyIsAConfigurationError() throws {
            let configuration = CurlHTTPClient.Configuration(tls: TLSConfiguration(clientCertificate: .pem("cert")))
            #expect(throws: HTTPTransportError.invalidConfiguration("a client certificate needs a client key")) {
                try CurlHTTPClient(configuration: configuration)
            }
        }

        @Test func aMissingCAFileIsReportedAsATLSError() async throws {
            // libcurl loads the CA file after the TCP connect and then drops the connection at once; a listener that
            // never accepts stands in for the server (Hummingbird 2.28 traps on connections closed that early).
            let listener = try ClosedPort(listening: true)
            let configuration = CurlHTTPClient.Configuration(tls: TLSConfiguration(trustRoots: .file(path: "/nonexistent/ca.crt")))
            try await withClient(configuration) { client in
                let error = await #expect(throws: HTTPTransportError.self) {
                    try await client.execute(HTTPRequest(url: "https://127.0.0.1:\(listener.port)/hello"))
                }
                if case .tlsFailed(let message) = error {
                    #expect(message.hasPrefix("TLS: cannot load the trusted CA certificates"))
                } else {
                    Issue.record("expected tlsFailed, got \(String(describing: error))")
                }
            }
        }
    }
}
