/// The fields of `/proc/<pid>/stat` the process metrics need (see proc(5)).
struct ProcStat: Sendable, Hashable {
    /// `utime`: user-mode CPU time in clock ticks (field 14).
    var userTicks: Int
    /// `stime`: kernel-mode CPU time in clock ticks (field 15).
    var systemTicks: Int
    /// `starttime`: start time after boot in clock ticks (field 22).
    var startTicks: Int
    /// `vsize`: virtual memory size in bytes (field 23).
    var virtualBytes: Int
    /// `rss`: resident set size in pages (field 24).
    var residentPages: Int

    /// Parses the one-line content of `/proc/<pid>/stat`.
    ///
    /// The command name (field 2) is in parentheses and may itself hold spaces and parentheses, so fields are
    /// counted from the last `)`.
    static func parse(_ text: String, path: String = "/proc/self/stat") throws -> ProcStat {
        guard let close = text.lastIndex(of: ")") else {
            throw OperatorServerError.procfsMalformed(path: path, reason: "no ')' after the command name")
        }
        // Fields from 3 (state) onwards; field n is at index n - 3.
        let fields = text[text.index(after: close)...].split(whereSeparator: { $0 == " " || $0 == "\n" })
        func field(_ number: Int, _ name: String) throws -> Int {
            let index = number - 3
            guard index < fields.count, let value = Int(fields[index]), value >= 0 else {
                throw OperatorServerError.procfsMalformed(path: path, reason: "field \(number) (\(name)) is missing or not a count")
            }
            return value
        }
        return ProcStat(
            userTicks: try field(14, "utime"),
            systemTicks: try field(15, "stime"),
            startTicks: try field(22, "starttime"),
            virtualBytes: try field(23, "vsize"),
            residentPages: try field(24, "rss")
        )
    }
}
