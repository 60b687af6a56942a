enum CELToken: Sendable, Equatable {
    /// Identifier.
    case identifier(String)
    /// Int.
    case int(Int64)
    /// Uint.
    case uint(UInt64)
    /// Double.
    case double(Double)
    /// String.
    case string(String)
    /// Symbol.
    case symbol(String)
}
