import Crypto
import Foundation

/// SHA-256 digests of artifacts, specs and identities, on swift-crypto.
public enum Digests {
    /// The SHA-256 of `bytes`.
    public static func sha256(_ bytes: some DataProtocol) -> [UInt8] {
        Array(SHA256.hash(data: bytes))
    }

    /// The SHA-256 of a file's contents, read in 1 MiB chunks (the file is never held in memory whole).
    public static func sha256(fileAt path: String) throws -> [UInt8] {
        Array(try sha256Digest(fileAt: path))
    }

    /// Like `sha256(fileAt:)`, as swift-crypto's digest value (what signature verification takes).
    static func sha256Digest(fileAt path: String) throws -> SHA256Digest {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw DigestError.unreadable(path) }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
        return hasher.finalize()
    }
}

/// Why a digest could not be computed.
public enum DigestError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(String)

    public var description: String {
        switch self {
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
