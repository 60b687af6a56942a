import Crypto

extension SHA256 {
    /// The lowercase hex SHA-256 of `bytes` (swift-crypto), for comparing what a server received.
    static func hex<Bytes: Sequence>(of bytes: Bytes) -> String where Bytes.Element == UInt8 {
        SHA256.hash(data: Array(bytes)).map { String(format: "%02x", $0) }.joined()
    }

    /// The lowercase hex digest so far.
    func finalizeHex() -> String {
        finalize().map { String(format: "%02x", $0) }.joined()
    }

    mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        update(data: Array(bytes))
    }
}
