internal import COpenSSL
import Foundation

/// SHA-256 over bytes or a file, on the system's libcrypto.
///
/// Streaming: `update` may be called any number of times before `finalize`. Not thread-safe; one per digest.
public struct SHA256: ~Copyable {
    private let context: OpaquePointer

    /// Starts a digest.
    ///
    /// - Throws: `DigestError.openSSL` when libcrypto cannot allocate or initialise the context.
    public init() throws {
        guard let context = EVP_MD_CTX_new() else { throw DigestError.openSSL(Self.lastError()) }
        guard EVP_DigestInit_ex(context, fjc_evp_sha256(), nil) == 1 else {
            EVP_MD_CTX_free(context)
            throw DigestError.openSSL(Self.lastError())
        }
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Feeds bytes.
    public mutating func update(_ bytes: some DataProtocol) throws {
        for region in bytes.regions {
            let ok = region.withUnsafeBytes { buffer in
                EVP_DigestUpdate(context, buffer.baseAddress, buffer.count)
            }
            guard ok == 1 else { throw DigestError.openSSL(Self.lastError()) }
        }
    }

    /// Ends the digest and returns the 32 bytes.
    public consuming func finalize() throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &output, &length) == 1, length == 32 else {
            throw DigestError.openSSL(Self.lastError())
        }
        return output
    }

    /// The digest of `bytes`.
    public static func hash(_ bytes: some DataProtocol) throws -> [UInt8] {
        var digest = try SHA256()
        try digest.update(bytes)
        return try digest.finalize()
    }

    /// The digest of a file's contents, read in 1 MiB chunks (the file is never held in memory whole).
    public static func hash(fileAt path: String) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw DigestError.unreadable(path) }
        defer { try? handle.close() }
        var digest = try SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            try digest.update(chunk)
        }
        return try digest.finalize()
    }

    static func lastError() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        fjc_last_error(&buffer, buffer.count)
        return buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}

/// Why a digest or signature could not be computed.
public enum DigestError: Error, Sendable, Equatable, CustomStringConvertible {
    case openSSL(String)
    case unreadable(String)

    public var description: String {
        switch self {
        case .openSSL(let reason): "libcrypto failed: \(reason)"
        case .unreadable(let path): "cannot read \(path)"
        }
    }
}

extension Sequence<UInt8> {
    /// Lowercase hexadecimal.
    public var hexString: String {
        map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
        }.joined()
    }
}
