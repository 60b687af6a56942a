enum CELToken: Sendable, Equatable {
    case identifier(String)
    case int(Int64)
    case uint(UInt64)
    case double(Double)
    case string(String)
    case symbol(String)
}
