import JSONCore

/// One `additionalPrinterColumns` entry of a CustomResourceDefinition version.
struct PrinterColumn: Sendable {
    /// The column header (`Flink State`).
    var name: String
    /// `string`, `integer`, `number`, `boolean` or `date`.
    var type: String
    /// The OpenAPI format (`name`, `int32`, …), usually empty.
    var format: String
    /// The description (defaults to the JSONPath, as a real server does).
    var description: String
    /// 0 for the default view, higher for `-o wide` only.
    var priority: Int
    /// The path of the value in the object.
    var path: PrinterColumnPath

    /// Reads a column definition; `nil` when its JSONPath is outside the supported subset.
    init?(json: JSONValue) {
        guard let name = json["name"]?.stringValue, let type = json["type"]?.stringValue,
              let jsonPath = json["jsonPath"]?.stringValue, let path = PrinterColumnPath("{\(jsonPath)}")
        else { return nil }
        self.name = name
        self.type = type
        format = json["format"]?.stringValue ?? ""
        let text = json["description"]?.stringValue ?? ""
        description = text.isEmpty ? "Custom resource definition column (in JSONPath format): \(jsonPath)" : text
        priority = Int(json["priority"]?.integerValue ?? 0)
        self.path = path
    }

    /// The column a CRD version without `additionalPrinterColumns` gets (apiextensions' default).
    static let age: PrinterColumn = PrinterColumn(json: [
        "name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp",
        "description": .string(BuiltinDescriptions.creationTimestamp),
    ])!
}
