/// Kubernetes' name and label syntax checks, returning the exact messages `k8s.io/apimachinery` produces.
enum NameValidation {
    /// The dns1123subdomain message.
    static let dns1123SubdomainMessage = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    /// The dns1123label message.
    static let dns1123LabelMessage = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    /// The qualified name message.
    static let qualifiedNameMessage = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
    /// The label value message.
    static let labelValueMessage = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"

    private static func isLowerAlnum(_ c: Character) -> Bool { c.isASCII && (c.isLowercase || c.isNumber) }
    private static func isAlnum(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }

    /// Whether `s` is one RFC 1123 label (no length check).
    static func isLabelSyntax(_ s: Substring) -> Bool {
        guard let first = s.first, let last = s.last, isLowerAlnum(first), isLowerAlnum(last) else { return false }
        return s.allSatisfy { isLowerAlnum($0) || $0 == "-" }
    }

    /// Errors for an RFC 1123 subdomain (object names).
    static func dns1123Subdomain(_ s: String) -> [String] {
        var errors: [String] = []
        if s.count > 253 { errors.append("must be no more than 253 characters") }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        if s.isEmpty || !parts.allSatisfy(isLabelSyntax) { errors.append(dns1123SubdomainMessage) }
        return errors
    }

    /// Errors for an RFC 1123 label (namespace names).
    static func dns1123Label(_ s: String) -> [String] {
        var errors: [String] = []
        if s.count > 63 { errors.append("must be no more than 63 characters") }
        if !isLabelSyntax(s[...]) { errors.append(dns1123LabelMessage) }
        return errors
    }

    private static func isQualifiedNamePart(_ s: Substring) -> Bool {
        guard let first = s.first, let last = s.last, isAlnum(first), isAlnum(last) else { return false }
        return s.allSatisfy { isAlnum($0) || $0 == "-" || $0 == "_" || $0 == "." }
    }

    /// Errors for a qualified name (`[prefix/]name`), as used by label keys and event reporting controllers.
    static func qualifiedName(_ value: String) -> [String] {
        var errors: [String] = []
        let parts = value.split(separator: "/", omittingEmptySubsequences: false)
        let name: Substring
        switch parts.count {
        case 1:
            name = parts[0]
        case 2:
            let prefix = parts[0]
            name = parts[1]
            if prefix.isEmpty {
                errors.append("prefix part must be non-empty")
            } else {
                errors += dns1123Subdomain(String(prefix)).map { "prefix part " + $0 }
            }
        default:
            return ["a qualified name " + qualifiedNameMessage + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
        }
        if name.isEmpty {
            errors.append("name part must be non-empty")
        } else if name.count > 63 {
            errors.append("name part must be no more than 63 characters")
        }
        if !isQualifiedNamePart(name) { errors.append("name part " + qualifiedNameMessage) }
        return errors
    }

    /// Errors for a label value.
    static func labelValue(_ value: String) -> [String] {
        var errors: [String] = []
        if value.count > 63 { errors.append("must be no more than 63 characters") }
        if !value.isEmpty && !isQualifiedNamePart(value[...]) { errors.append(labelValueMessage) }
        return errors
    }
}
