import Crypto
import Foundation
import _CryptoExtras

/// Verifies a detached signature of an artifact with a PEM public key, on swift-crypto.
///
/// Every signature is checked against the artifact's SHA-256, computed streaming, so a 512 MiB artifact costs a
/// 1 MiB buffer, not 512 MiB:
/// - RSA (2048 bits or more): PKCS #1 v1.5 or PSS signatures over SHA-256 (`openssl dgst -sha256 -sign`);
/// - ECDSA on P-256, P-384 or P-521: DER signatures over SHA-256 (`openssl dgst -sha256 -sign`);
/// - Ed25519: the signature is over the artifact's **32-byte SHA-256 digest**, not over the artifact itself —
///   Ed25519 cannot be computed over a stream, and reading the artifact whole would need its size in memory
///   (`openssl dgst -sha256 -binary job.jar > job.sha256 && openssl pkeyutl -sign -rawin -inkey key.pem -in
///   job.sha256`).
public enum SignatureVerifier {
    /// Smallest RSA modulus accepted (NIST SP 800-131A: 2048 bits). EC keys are P-256 or larger by construction.
    public static let minimumRSABits = 2048

    /// Throws `ArtifactError.signatureInvalid` unless `signature` verifies over the file at `path`.
    public static func verify(fileAt path: String, signature: Data, publicKeyPEM: String) throws(ArtifactError) {
        let key = try PublicKey(pem: publicKeyPEM)
        let digest: SHA256Digest
        do {
            digest = try Digests.sha256Digest(fileAt: path)
        } catch {
            throw .signatureInvalid("cannot read \(path): \(error)")
        }
        guard key.isValidSignature(signature, over: digest) else {
            throw .signatureInvalid("the signature does not match the artifact")
        }
    }

    /// A public key of one of the accepted kinds.
    enum PublicKey {
        case rsa(_RSA.Signing.PublicKey)
        case p256(P256.Signing.PublicKey)
        case p384(P384.Signing.PublicKey)
        case p521(P521.Signing.PublicKey)
        case ed25519(Curve25519.Signing.PublicKey)

        /// Parses a PEM public key (`PUBLIC KEY`, or `RSA PUBLIC KEY`); refuses weak and unknown kinds.
        init(pem: String) throws(ArtifactError) {
            // The unsafe initializer accepts 1024-bit keys so that the refusal below can say what is wrong.
            if let rsa = try? _RSA.Signing.PublicKey(unsafePEMRepresentation: pem) {
                guard rsa.keySizeInBits >= SignatureVerifier.minimumRSABits else {
                    throw .signatureInvalid(
                        "the RSA public key has \(rsa.keySizeInBits) bits, fewer than the minimum of "
                            + "\(SignatureVerifier.minimumRSABits)")
                }
                self = .rsa(rsa)
            } else if let key = try? P256.Signing.PublicKey(pemRepresentation: pem) {
                self = .p256(key)
            } else if let key = try? P384.Signing.PublicKey(pemRepresentation: pem) {
                self = .p384(key)
            } else if let key = try? P521.Signing.PublicKey(pemRepresentation: pem) {
                self = .p521(key)
            } else if let key = try? Curve25519.Signing.PublicKey(pemRepresentation: pem) {
                self = .ed25519(key)
            } else {
                throw .signatureInvalid(
                    "the public key is not a PEM public key of a supported kind (RSA of at least "
                        + "\(SignatureVerifier.minimumRSABits) bits, ECDSA P-256, P-384 or P-521, Ed25519)")
            }
        }

        func isValidSignature(_ signature: Data, over digest: SHA256Digest) -> Bool {
            switch self {
            case .rsa(let key):
                let value = _RSA.Signing.RSASignature(rawRepresentation: signature)
                return key.isValidSignature(value, for: digest, padding: .insecurePKCS1v1_5)
                    || key.isValidSignature(value, for: digest, padding: .PSS)
            case .p256(let key):
                return (try? P256.Signing.ECDSASignature(derRepresentation: signature))
                    .map { key.isValidSignature($0, for: digest) } ?? false
            case .p384(let key):
                return (try? P384.Signing.ECDSASignature(derRepresentation: signature))
                    .map { key.isValidSignature($0, for: digest) } ?? false
            case .p521(let key):
                return (try? P521.Signing.ECDSASignature(derRepresentation: signature))
                    .map { key.isValidSignature($0, for: digest) } ?? false
            case .ed25519(let key):
                return key.isValidSignature(signature, for: Data(digest))
            }
        }
    }
}
