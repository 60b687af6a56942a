import CTestCertificates
import Foundation

/// A throw-away certificate authority for loopback TLS tests: a fresh EC P-256 CA per instance.
///
/// Everything is generated in memory with the system's libcrypto; nothing is shared between test runs.
public struct CertificateAuthority: Sendable {
    /// The CA certificate, PEM-encoded: what clients trust.
    public let certificatePEM: String
    /// The CA's private key (PKCS#8 PEM), used to sign the certificates it issues.
    public let privateKeyPEM: String

    /// Creates a new self-signed CA.
    ///
    /// - Throws: `TLSFixtureError.generationFailed` with OpenSSL's reason.
    public init(commonName: String = "flink-job-controller test CA") throws {
        let issued = try Self.issue(commonName: commonName, isCA: true, subjectAltNames: nil, issuer: nil)
        certificatePEM = issued.certificatePEM
        privateKeyPEM = issued.privateKeyPEM
    }

    /// Issues a leaf certificate usable for both server and client authentication.
    ///
    /// The defaults fit a server on loopback: `DNS:localhost` and `IP:127.0.0.1`.
    public func issue(
        commonName: String = "localhost",
        dnsNames: [String] = ["localhost"],
        ipAddresses: [String] = ["127.0.0.1"]
    ) throws -> IssuedCertificate {
        let sans = (dnsNames.map { "DNS:\($0)" } + ipAddresses.map { "IP:\($0)" }).joined(separator: ",")
        return try Self.issue(commonName: commonName, isCA: false, subjectAltNames: sans, issuer: self)
    }

    private static func issue(
        commonName: String,
        isCA: Bool,
        subjectAltNames: String?,
        issuer: CertificateAuthority?
    ) throws -> IssuedCertificate {
        var certificate: UnsafeMutablePointer<CChar>?
        var key: UnsafeMutablePointer<CChar>?
        var errorBuffer = [CChar](repeating: 0, count: 512)
        let status = fjc_issue_certificate(
            commonName, isCA ? 1 : 0, subjectAltNames, issuer?.certificatePEM, issuer?.privateKeyPEM, 30,
            &certificate, &key, &errorBuffer, errorBuffer.count
        )
        defer {
            fjc_free(certificate)
            fjc_free(key)
        }
        guard status == 0, let certificate, let key else {
            let reason = errorBuffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw TLSFixtureError.generationFailed(reason)
        }
        return IssuedCertificate(certificatePEM: String(cString: certificate), privateKeyPEM: String(cString: key))
    }
}

/// A certificate and its private key, both PEM-encoded.
public struct IssuedCertificate: Sendable {
    /// The certificate (PEM).
    public let certificatePEM: String
    /// The private key (PKCS#8 PEM).
    public let privateKeyPEM: String

    /// Writes `<name>.crt` and `<name>.key` into `directory` and returns their paths.
    public func write(to directory: URL, name: String) throws -> (certificate: URL, key: URL) {
        let certificateURL = directory.appendingPathComponent("\(name).crt")
        let keyURL = directory.appendingPathComponent("\(name).key")
        try Data(certificatePEM.utf8).write(to: certificateURL)
        try Data(privateKeyPEM.utf8).write(to: keyURL)
        return (certificateURL, keyURL)
    }
}

/// Why a test certificate could not be made.
public enum TLSFixtureError: Error, Sendable, CustomStringConvertible {
    /// OpenSSL refused a step; carries its reason.
    case generationFailed(String)

    public var description: String {
        switch self {
        case .generationFailed(let reason): "test certificate generation failed: \(reason)"
        }
    }
}
