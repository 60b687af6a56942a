internal import COpenSSL
import Foundation

/// Verifies a detached signature of an artifact with a PEM public key on the system's libcrypto.
///
/// RSA (PKCS#1 v1.5 and PSS as the key dictates) and ECDSA signatures are over SHA-256 and checked streaming;
/// Ed25519 signs the message itself, so the file is read whole (bounded by the artifact size limit).
public enum SignatureVerifier {
    /// Throws `ArtifactError.signatureInvalid` unless `signature` verifies over the file at `path`.
    public static func verify(fileAt path: String, signature: Data, publicKeyPEM: String) throws(ArtifactError) {
        let key = try loadKey(publicKeyPEM)
        defer { EVP_PKEY_free(key) }
        if let weakness = weakness(of: key) { throw .signatureInvalid(weakness) }
        guard let context = EVP_MD_CTX_new() else { throw .signatureInvalid(SHA256.lastError()) }
        defer { EVP_MD_CTX_free(context) }
        let isEd25519 = EVP_PKEY_get_base_id(key) == NID_ED25519
        guard EVP_DigestVerifyInit(context, nil, isEd25519 ? nil : fjc_evp_sha256(), nil, key) == 1 else {
            throw .signatureInvalid("unsupported public key: \(SHA256.lastError())")
        }
        let result: Int32
        if isEd25519 {
            guard let message = FileManager.default.contents(atPath: path) else {
                throw .signatureInvalid("cannot read \(path)")
            }
            result = signature.withUnsafeBytes { sig in
                message.withUnsafeBytes { msg in
                    EVP_DigestVerify(
                        context, sig.bindMemory(to: UInt8.self).baseAddress, sig.count,
                        msg.bindMemory(to: UInt8.self).baseAddress, msg.count)
                }
            }
        } else {
            guard let handle = FileHandle(forReadingAtPath: path) else { throw .signatureInvalid("cannot read \(path)") }
            defer { try? handle.close() }
            do {
                while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
                    let ok = chunk.withUnsafeBytes { EVP_DigestVerifyUpdate(context, $0.baseAddress, $0.count) }
                    guard ok == 1 else { throw ArtifactError.signatureInvalid(SHA256.lastError()) }
                }
            } catch let error as ArtifactError {
                throw error
            } catch {
                throw .signatureInvalid("cannot read \(path): \(error)")
            }
            result = signature.withUnsafeBytes {
                EVP_DigestVerifyFinal(context, $0.bindMemory(to: UInt8.self).baseAddress, $0.count)
            }
        }
        guard result == 1 else {
            let detail = SHA256.lastError()
            throw .signatureInvalid(detail.isEmpty ? "the signature does not match the artifact" : detail)
        }
    }

    /// Smallest RSA modulus accepted (NIST SP 800-131A: 2048 bits); EC keys need a curve of at least 256 bits.
    public static let minimumRSABits: Int32 = 2048

    /// Why `key` is too weak to trust, or `nil`.
    static func weakness(of key: OpaquePointer) -> String? {
        let bits = EVP_PKEY_get_bits(key)
        switch EVP_PKEY_get_base_id(key) {
        case EVP_PKEY_RSA, EVP_PKEY_RSA_PSS:
            return bits < minimumRSABits
                ? "the RSA public key has \(bits) bits, fewer than the minimum of \(minimumRSABits)" : nil
        case EVP_PKEY_EC:
            return bits < 256 ? "the EC public key's curve has \(bits) bits, fewer than the minimum of 256" : nil
        case NID_ED25519, NID_ED448:
            return nil
        default:
            return "the public key's algorithm is not RSA, ECDSA or Ed25519"
        }
    }

    static func loadKey(_ pem: String) throws(ArtifactError) -> OpaquePointer {
        let bytes = Array(pem.utf8)
        let key: OpaquePointer? = bytes.withUnsafeBufferPointer { buffer in
            guard let bio = fjc_bio_from_bytes(buffer.baseAddress, Int32(buffer.count)) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_PUBKEY(bio, nil, nil, nil)
        }
        guard let key else { throw .signatureInvalid("the public key is not a PEM public key: \(SHA256.lastError())") }
        return key
    }
}
