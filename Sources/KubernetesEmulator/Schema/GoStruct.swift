import Foundation
import JSONCore

/// A Go struct: its name and its JSON fields in declaration order.
struct GoStruct: Sendable {
    /// One JSON field.
    struct Field: Sendable {
        /// The name.
        var name: String
        /// The type.
        var type: GoType
        /// `omitempty`: zero values are left out when encoding.
        var omitEmpty: Bool = true
        /// A pointer field: `omitempty` leaves out only `nil`, zero values are kept.
        var pointer: Bool = false
    }

    /// The name.
    var name: String
    /// The package.
    var package: String = "v1"
    /// The fields.
    var fields: [Field]
    /// Whether unknown members are kept (maps with free-form content).
    var preservesUnknown: Bool = false

    /// The qualified name.
    var qualifiedName: String { "\(package).\(name)" }

    func field(_ name: String) -> Field? { fields.first { $0.name == name } }
}
