import Foundation
import Testing
import TLSFixtures

@Suite struct CertificateAuthorityTests {
    @Test func issuedCertificateVerifiesAgainstItsAuthorityAndNotAnother() throws {
        let authority = try CertificateAuthority()
        let other = try CertificateAuthority()
        let leaf = try authority.issue()
        #expect(leaf.certificatePEM.hasPrefix("-----BEGIN CERTIFICATE-----"))
        #expect(leaf.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = try leaf.write(to: directory, name: "server")
        try Data(authority.certificatePEM.utf8).write(to: directory.appendingPathComponent("ca.crt"))
        try Data(other.certificatePEM.utf8).write(to: directory.appendingPathComponent("other.crt"))

        #expect(try verify(ca: directory.appendingPathComponent("ca.crt"), leaf: files.certificate) == 0)
        #expect(try verify(ca: directory.appendingPathComponent("other.crt"), leaf: files.certificate) != 0)
    }

    /// Runs `openssl verify`, an independent implementation, to check the chain.
    private func verify(ca: URL, leaf: URL) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "verify", "-CAfile", ca.path, "-verify_hostname", "localhost", leaf.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}
