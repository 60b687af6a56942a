/// A jar stored by `POST /jars/upload`.
public struct UploadedJar: Codable, Hashable, Sendable {
    /// The jar id for `/jars/:jarid/run` and `DELETE /jars/:jarid`: the stored file's name (`<uuid>_<name>.jar`).
    public var id: String
    /// The stored file's path on the JobManager (`<web.upload.dir>/flink-web-upload/<id>`); for PyFlink it is
    /// what `-pyfs` takes.
    public var path: String

    /// Creates the value.
    public init(id: String, path: String) {
        self.id = id
        self.path = path
    }
}

/// The body of a successful `POST /jars/upload`.
struct JarUploadResponse: Codable {
    var filename: String
    var status: String?
}
