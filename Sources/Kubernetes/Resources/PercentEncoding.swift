/// Percent-encoding of path segments and query components (RFC 3986), done on UTF-8 bytes.
///
/// Only unreserved characters stay literal, so `/`, `?`, `#`, `&`, `=`, `+`, spaces and non-ASCII text can never
/// change the meaning of a URL.
public enum PercentEncoding {
    /// Encodes one path segment.
    public static func segment(_ text: String) -> String { encode(text) }

    /// Encodes a query key or value.
    public static func queryComponent(_ text: String) -> String { encode(text) }

    /// `key=value&…` with every key and value encoded, in the given order.
    public static func query(_ items: [(String, String)]) -> String {
        items.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }

    private static func encode(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case 0x41...0x5A, 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E, 0x5F, 0x7E:
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                result.unicodeScalars.append("%")
                result.unicodeScalars.append(hex[Int(byte >> 4)])
                result.unicodeScalars.append(hex[Int(byte & 0x0F)])
            }
        }
        return result
    }
}
