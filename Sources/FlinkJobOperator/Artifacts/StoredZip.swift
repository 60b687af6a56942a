import Foundation

/// Writes a ZIP archive with uncompressed ("stored") entries and fixed timestamps, so the same inputs always give
/// the same bytes (and the same digest, which keeps uploads deduplicated).
///
/// Written here because a Python artifact that is a single `.py` file must reach Flink as an archive, and this
/// is the only archive the operator makes; a ZIP library would be a dependency for forty lines.
enum StoredZip {
    /// The archive bytes for `entries` (name → content), in the given order.
    static func archive(_ entries: [(name: String, content: Data)]) -> Data {
        var output = Data()
        var central = Data()
        for entry in entries {
            let name = Data(entry.name.utf8)
            let crc = crc32(entry.content)
            let offset = UInt32(output.count)
            var local = Data()
            local.append(le32: 0x0403_4b50)
            local.append(le16: 20)  // version needed
            local.append(le16: 0)  // flags
            local.append(le16: 0)  // stored
            local.append(le16: 0)  // time 00:00
            local.append(le16: 0x21)  // date 1980-01-01
            local.append(le32: crc)
            local.append(le32: UInt32(entry.content.count))
            local.append(le32: UInt32(entry.content.count))
            local.append(le16: UInt16(name.count))
            local.append(le16: 0)
            output.append(local)
            output.append(name)
            output.append(entry.content)

            central.append(le32: 0x0201_4b50)
            central.append(le16: 20)  // version made by
            central.append(le16: 20)
            central.append(le16: 0)
            central.append(le16: 0)
            central.append(le16: 0)
            central.append(le16: 0x21)
            central.append(le32: crc)
            central.append(le32: UInt32(entry.content.count))
            central.append(le32: UInt32(entry.content.count))
            central.append(le16: UInt16(name.count))
            central.append(le16: 0)  // extra
            central.append(le16: 0)  // comment
            central.append(le16: 0)  // disk
            central.append(le16: 0)  // internal attributes
            central.append(le32: 0o100644 << 16)  // external attributes: regular file, rw-r--r--
            central.append(le32: offset)
            central.append(name)
        }
        let centralOffset = UInt32(output.count)
        output.append(central)
        output.append(le32: 0x0605_4b50)
        output.append(le16: 0)
        output.append(le16: 0)
        output.append(le16: UInt16(entries.count))
        output.append(le16: UInt16(entries.count))
        output.append(le32: UInt32(central.count))
        output.append(le32: centralOffset)
        output.append(le16: 0)
        return output
    }

    static let crcTable: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    static func crc32(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return crc ^ 0xFFFF_FFFF
    }
}

extension Data {
    fileprivate mutating func append(le16 value: UInt16) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }

    fileprivate mutating func append(le32 value: UInt32) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
