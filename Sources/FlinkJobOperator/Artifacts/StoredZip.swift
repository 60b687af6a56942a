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
            let size = UInt32(entry.content.count)
            central.append(centralRecord(name: name, crc: crc, size: size, offset: UInt32(output.count)))
            output.append(localHeader(name: name, crc: crc, size: size))
            output.append(entry.content)
        }
        let centralOffset = output.count
        output.append(central)
        output.append(end(entries: entries.count, centralSize: central.count, centralOffset: centralOffset))
        return output
    }

    /// Writes an archive of one entry, `name`, holding the file at `source`, to `destination`, streaming: the file
    /// is read twice in 1 MiB chunks (once for its CRC-32, once to copy it), never whole. `onBytes` sees every
    /// byte written, in order (to hash the archive on the way).
    static func write(
        fileAt source: String, as name: String, to destination: String, onBytes: (Data) -> Void
    ) throws {
        let size = try fileSize(source)
        guard size <= Int64(UInt32.max) else { throw StoredZipError.tooLarge(source) }
        var crc: UInt32 = 0xFFFF_FFFF
        try forEachChunk(of: source) { chunk in crc = crc32(chunk, running: crc) }
        crc ^= 0xFFFF_FFFF
        guard FileManager.default.createFile(atPath: destination, contents: nil),
            let output = FileHandle(forWritingAtPath: destination)
        else { throw StoredZipError.unwritable(destination) }
        defer { try? output.close() }
        func emit(_ bytes: Data) throws {
            try output.write(contentsOf: bytes)
            onBytes(bytes)
        }
        let nameBytes = Data(name.utf8)
        let header = localHeader(name: nameBytes, crc: crc, size: UInt32(size))
        try emit(header)
        try forEachChunk(of: source) { chunk in try emit(chunk) }
        let central = centralRecord(name: nameBytes, crc: crc, size: UInt32(size), offset: 0)
        try emit(central)
        try emit(end(entries: 1, centralSize: central.count, centralOffset: header.count + Int(size)))
    }

    private static func localHeader(name: Data, crc: UInt32, size: UInt32) -> Data {
        var local = Data()
        local.append(le32: 0x0403_4b50)
        local.append(le16: 20)  // version needed
        local.append(le16: 0)  // flags
        local.append(le16: 0)  // stored
        local.append(le16: 0)  // time 00:00
        local.append(le16: 0x21)  // date 1980-01-01
        local.append(le32: crc)
        local.append(le32: size)
        local.append(le32: size)
        local.append(le16: UInt16(name.count))
        local.append(le16: 0)
        local.append(name)
        return local
    }

    private static func centralRecord(name: Data, crc: UInt32, size: UInt32, offset: UInt32) -> Data {
        var central = Data()
        central.append(le32: 0x0201_4b50)
        central.append(le16: 20)  // version made by
        central.append(le16: 20)
        central.append(le16: 0)
        central.append(le16: 0)
        central.append(le16: 0)
        central.append(le16: 0x21)
        central.append(le32: crc)
        central.append(le32: size)
        central.append(le32: size)
        central.append(le16: UInt16(name.count))
        central.append(le16: 0)  // extra
        central.append(le16: 0)  // comment
        central.append(le16: 0)  // disk
        central.append(le16: 0)  // internal attributes
        central.append(le32: 0o100644 << 16)  // external attributes: regular file, rw-r--r--
        central.append(le32: offset)
        central.append(name)
        return central
    }

    /// The end-of-central-directory record (22 bytes).
    private static func end(entries: Int, centralSize: Int, centralOffset: Int) -> Data {
        var output = Data()
        output.append(le32: 0x0605_4b50)
        output.append(le16: 0)
        output.append(le16: 0)
        output.append(le16: UInt16(entries))
        output.append(le16: UInt16(entries))
        output.append(le32: UInt32(centralSize))
        output.append(le32: UInt32(centralOffset))
        output.append(le16: 0)
        return output
    }

    private static func fileSize(_ path: String) throws -> Int64 {
        guard let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber else {
            throw StoredZipError.unreadable(path)
        }
        return size.int64Value
    }

    private static func forEachChunk(of path: String, _ body: (Data) throws -> Void) throws {
        guard let input = FileHandle(forReadingAtPath: path) else { throw StoredZipError.unreadable(path) }
        defer { try? input.close() }
        while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty { try body(chunk) }
    }

    static let crcTable: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }

    static func crc32(_ data: Data) -> UInt32 {
        crc32(data, running: 0xFFFF_FFFF) ^ 0xFFFF_FFFF
    }

    /// Continues a CRC-32 (before its final inversion) over `data`.
    static func crc32(_ data: Data, running: UInt32) -> UInt32 {
        var crc = running
        data.withUnsafeBytes { bytes in
            for byte in bytes { crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        }
        return crc
    }
}

/// Why an archive could not be written.
enum StoredZipError: Error, CustomStringConvertible {
    case unreadable(String)
    case unwritable(String)
    case tooLarge(String)

    var description: String {
        switch self {
        case .unreadable(let path): "cannot read \(path)"
        case .unwritable(let path): "cannot write \(path)"
        case .tooLarge(let path): "\(path) is larger than 4 GiB, the limit of a ZIP archive without ZIP64"
        }
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
