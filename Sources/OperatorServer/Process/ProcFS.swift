#if canImport(Glibc)
import Glibc
#endif

#if os(Linux)
/// Small readers of Linux `/proc` files and system constants, with POSIX calls (procfs files report size 0,
/// so they are read until end of file rather than by their stat size).
enum ProcFS {
    /// The whole content of a (small) procfs file as text.
    static func read(_ path: String) throws -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw OperatorServerError.procfsRead(path: path, errno: errno) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw OperatorServerError.procfsRead(path: path, errno: errno)
            }
            bytes.append(contentsOf: chunk[..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Clock ticks per second (`sysconf(_SC_CLK_TCK)`, 100 on common kernels).
    static let clockTicksPerSecond: Int = {
        let ticks = sysconf(Int32(_SC_CLK_TCK))
        return ticks > 0 ? ticks : 100
    }()

    /// The memory page size in bytes.
    static let pageSize: Int = {
        let size = sysconf(Int32(_SC_PAGESIZE))
        return size > 0 ? size : 4096
    }()

    /// The system boot time in seconds since the epoch (`btime` of `/proc/stat`).
    static func bootTimeSeconds() throws -> Int {
        let path = "/proc/stat"
        for line in try read(path).split(separator: "\n") where line.hasPrefix("btime ") {
            if let value = Int(line.dropFirst(6).trimmingSpaces), value > 0 { return value }
        }
        throw OperatorServerError.procfsMalformed(path: path, reason: "no btime line")
    }

    /// A `kB` line of `/proc/self/status` (for example `VmHWM`) as a number of kilobytes.
    static func statusKilobytes(_ key: String) throws -> Int {
        let path = "/proc/self/status"
        for line in try read(path).split(separator: "\n") where line.hasPrefix(key + ":") {
            // "VmHWM:\t   58808 kB": a tab, then padding spaces, the number and the unit.
            let words = line.dropFirst(key.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" })
            if let first = words.first, let value = Int(first) { return value }
        }
        throw OperatorServerError.procfsMalformed(path: path, reason: "no \(key) line")
    }

    /// The number of open file descriptors, not counting the one that lists `/proc/self/fd`.
    static func openFileDescriptorCount() throws -> Int {
        let path = "/proc/self/fd"
        guard let directory = opendir(path) else { throw OperatorServerError.procfsRead(path: path, errno: errno) }
        defer { closedir(directory) }
        let own = dirfd(directory)
        var count = 0
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard let fd = Int32(name), fd != own else { continue }
            count += 1
        }
        return count
    }

    /// The soft `RLIMIT_NOFILE`, or nil when unlimited or unreadable.
    static func maxFileDescriptors() -> Int? {
        var limit = rlimit()
        // RLIM_INFINITY is ~0, which Swift cannot import as a constant of the unsigned rlim_t.
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else {
            return nil
        }
        return Int(exactly: limit.rlim_cur)
    }
}

extension Substring {
    /// The text without spaces and tabs around it.
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}
#endif
