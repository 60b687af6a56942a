import FlinkREST

/// Jar storage (`web.upload.dir`): ids `<uuid>_<name>` from the seeded generator, nothing read from disk.
extension ModelState {
    /// `POST /jars/upload`: stores `fileName` (or the path's last component) under a new id; only the `.jar`
    /// suffix is checked, as in Flink.
    mutating func uploadJar(at path: String, fileName: String?) throws(FlinkRESTError) -> UploadedJar {
        let name = fileName ?? String(path.split(separator: "/").last ?? Substring(path))
        let call = ModelCall.uploadJar(path: path, fileName: name)
        guard name.hasSuffix(".jar") else {
            record(call, .failed(FlinkAnswers.notAJar))
            throw FlinkAnswers.notAJar
        }
        let id = "\(random.uuidString())_\(name)"
        let stored = StoredJar(
            id: id, name: name, path: "\(configuration.uploadDirectory)/\(id)", uploadedAt: now,
            entryClass: manifestEntryClass(forJarNamed: name))
        jars.append(stored)
        let uploaded = UploadedJar(id: id, path: stored.path)
        record(call, .uploaded(uploaded))
        return uploaded
    }

    /// `GET /jars`, newest first.
    var jarList: [JarFileInfo] {
        jars.reversed().map { jar in
            JarFileInfo(
                id: jar.id, name: jar.name, uploaded: jar.uploadedAt,
                entry: jar.entryClass.map { [JarFileInfo.EntryPoint(name: $0)] } ?? [])
        }
    }

    /// `DELETE /jars/:jarid`; `notFound` for a missing jar (jobs running from it are not affected).
    mutating func deleteJar(_ jarID: String) throws(FlinkRESTError) {
        let call = ModelCall.deleteJar(jarID: jarID)
        guard let index = jars.firstIndex(where: { $0.id == jarID }) else {
            let error = FlinkAnswers.jarToDeleteMissing(jarID, directory: configuration.uploadDirectory)
            record(call, .failed(error))
            throw error
        }
        jars.remove(at: index)
        record(call, .accepted)
    }
}
