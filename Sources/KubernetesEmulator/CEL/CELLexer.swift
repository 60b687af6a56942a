enum CELLexer {
    static func tokens(_ text: String) throws(CELError) -> [CELToken] {
        var out: [CELToken] = []
        let chars = Array(text)
        var i = 0
        let symbols = ["==", "!=", "<=", ">=", "&&", "||", "<", ">", "!", "+", "-", "*", "/", "%", "(", ")", "[", "]", "{", "}",
                       ".", ",", "?", ":"]
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            if c.isLetter || c == "_" {
                var j = i
                while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" { j += 1 }
                let word = String(chars[i..<j])
                // Raw strings: r'...' / R"..."
                if (word == "r" || word == "R"), j < chars.count, chars[j] == "'" || chars[j] == "\"" {
                    let quote = chars[j]
                    var k = j + 1
                    var s = ""
                    while k < chars.count, chars[k] != quote { s.append(chars[k]); k += 1 }
                    guard k < chars.count else { throw .syntax("unterminated string") }
                    out.append(.string(s))
                    i = k + 1
                    continue
                }
                out.append(.identifier(word))
                i = j
                continue
            }
            if c.isNumber {
                var j = i
                var isDouble = false
                while j < chars.count, chars[j].isNumber || (chars[j] == "." && j + 1 < chars.count && chars[j + 1].isNumber) {
                    if chars[j] == "." { isDouble = true }
                    j += 1
                }
                let text = String(chars[i..<j])
                if j < chars.count, chars[j] == "u" || chars[j] == "U" {
                    guard let v = UInt64(text) else { throw .syntax("bad number \(text)") }
                    out.append(.uint(v))
                    j += 1
                } else if isDouble {
                    out.append(.double(Double(text) ?? 0))
                } else {
                    guard let v = Int64(text) else { throw .syntax("bad number \(text)") }
                    out.append(.int(v))
                }
                i = j
                continue
            }
            if c == "'" || c == "\"" {
                var j = i + 1
                var s = ""
                while j < chars.count, chars[j] != c {
                    if chars[j] == "\\", j + 1 < chars.count {
                        j += 1
                        switch chars[j] {
                        case "n": s.append("\n")
                        case "t": s.append("\t")
                        case "r": s.append("\r")
                        default: s.append(chars[j])
                        }
                    } else {
                        s.append(chars[j])
                    }
                    j += 1
                }
                guard j < chars.count else { throw .syntax("unterminated string") }
                out.append(.string(s))
                i = j + 1
                continue
            }
            guard let symbol = symbols.first(where: { s in
                let sc = Array(s)
                return i + sc.count <= chars.count && Array(chars[i..<(i + sc.count)]) == sc
            }) else { throw .syntax("unexpected character \(c)") }
            out.append(.symbol(symbol))
            i += symbol.count
        }
        return out
    }
}
