import Foundation
import GRDB
import JSONCore
import Kubernetes

/// The local-mode state file: an SQLite database (through GRDB) in WAL mode.
///
/// Tables:
/// - `meta`: the resourceVersion counter (one counter for every object, like an etcd revision) and
///   `compactedThrough`, the newest version no longer in the change history;
/// - `objects`: one row per FlinkJob / FlinkSessionCluster (metadata columns, spec and status as JSON text);
/// - `changes`: the bounded change history (one row per version: ADDED / MODIFIED / DELETED with the object as
///   it was then), from which watches resume;
/// - `events`: the event log (`events.k8s.io/v1`-like rows, aggregated with a series count);
/// - `manifest_files`: each manifest file seen and its current problem, if any (for `status`);
/// - `tombstones`: deleted FlinkJobs that had state (uid and the state part of their status), so a manifest that
///   comes back under the same name continues from its last savepoint (`Tombstone`).
///
/// Durability: every write is one transaction with `synchronous = FULL`, so a status write that returned is on
/// disk before the controller acts on it (the Flink job id is recorded before the submission); a `kill -9` at any
/// point leaves either the old or the new state, never a torn one.
public struct StateDatabase: Sendable {
    /// The database file.
    public let path: String
    let queue: DatabaseQueue

    /// How one transaction changes the objects table and the history.
    enum ObjectWrite: Sendable {
        /// Insert or replace the row and append a history entry of `type` (`ADDED`, `MODIFIED`).
        case upsert(StoredObject, type: String)
        /// Delete the row and append a `DELETED` history entry carrying the last state.
        case delete(StoredObject)
        /// Update bookkeeping columns (the source file) without a new version.
        case bookkeeping(StoredObject)
        /// Remember a deleted FlinkJob (keeping the newest `Tombstone.limit`).
        case bury(Tombstone)
        /// Forget the tombstone of `key` (its object was created again).
        case exhume(StoredKey)
    }

    /// One history entry.
    struct Change: Sendable {
        var resourceVersion: Int64
        var type: String
        var object: JSONValue
    }

    /// Opens (creating and migrating when `readOnly` is false) the database at `path`.
    ///
    /// - Throws: `LocalModeError.stateDatabase` naming the file.
    public static func open(path: String, readOnly: Bool = false) throws(LocalModeError) -> StateDatabase {
        var configuration = Configuration()
        configuration.readonly = readOnly
        configuration.busyMode = .timeout(10)
        if !readOnly {
            configuration.journalMode = .wal
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
        }
        do {
            if readOnly, !FileManager.default.fileExists(atPath: path) {
                throw LocalModeError.stateDatabase(path: path, underlying: "no such file (has the local operator run?)")
            }
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            if !readOnly { try migrator.migrate(queue) }
            return StateDatabase(path: path, queue: queue)
        } catch let error as LocalModeError {
            throw error
        } catch {
            throw .stateDatabase(path: path, underlying: "\(error)")
        }
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL);
                INSERT INTO meta (key, value) VALUES ('resourceVersion', 0), ('compactedThrough', 0);
                CREATE TABLE objects (
                    kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
                    uid TEXT NOT NULL, generation INTEGER NOT NULL, resourceVersion INTEGER NOT NULL,
                    creationTimestamp INTEGER NOT NULL, deletionTimestamp INTEGER,
                    labels TEXT NOT NULL, annotations TEXT NOT NULL, finalizers TEXT NOT NULL,
                    spec TEXT NOT NULL, status TEXT, source TEXT,
                    PRIMARY KEY (kind, namespace, name));
                CREATE TABLE changes (
                    resourceVersion INTEGER PRIMARY KEY NOT NULL, kind TEXT NOT NULL, type TEXT NOT NULL,
                    namespace TEXT NOT NULL, name TEXT NOT NULL, object TEXT NOT NULL);
                CREATE INDEX changes_by_kind ON changes (kind, resourceVersion);
                CREATE TABLE events (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    namespace TEXT NOT NULL, name TEXT NOT NULL,
                    eventTime INTEGER NOT NULL, lastObservedTime INTEGER NOT NULL, seriesCount INTEGER NOT NULL,
                    type TEXT NOT NULL, reason TEXT NOT NULL, action TEXT NOT NULL, note TEXT NOT NULL,
                    regardingKind TEXT NOT NULL, regardingNamespace TEXT NOT NULL, regardingName TEXT NOT NULL,
                    regardingUID TEXT, reportingController TEXT, reportingInstance TEXT,
                    UNIQUE (namespace, name));
                CREATE INDEX events_by_regarding ON events (regardingKind, regardingName, regardingNamespace);
                CREATE TABLE manifest_files (path TEXT PRIMARY KEY NOT NULL, problem TEXT, checkedAt INTEGER NOT NULL);
                """)
        }
        migrator.registerMigration("v2-tombstones") { db in
            try db.execute(sql: """
                CREATE TABLE tombstones (
                    kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
                    uid TEXT NOT NULL, status TEXT NOT NULL, deletedAt INTEGER NOT NULL,
                    PRIMARY KEY (kind, namespace, name));
                """)
        }
        return migrator
    }

    // MARK: Objects

    /// The counter and the history's lower bound.
    func counters() throws -> (resourceVersion: Int64, compactedThrough: Int64) {
        try queue.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT key, value FROM meta")
            var values: [String: Int64] = [:]
            for row in rows { values[row["key"]] = row["value"] }
            return (values["resourceVersion"] ?? 0, values["compactedThrough"] ?? 0)
        }
    }

    /// Every stored object.
    func loadObjects() throws -> [StoredObject] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM objects ORDER BY kind, namespace, name").compactMap(Self.object(from:))
        }
    }

    /// Every remembered deleted FlinkJob.
    func loadTombstones() throws -> [Tombstone] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM tombstones").compactMap { row -> Tombstone? in
                guard let kind = LocalKind(named: row["kind"]) else { return nil }
                let namespace: String = row["namespace"]
                return Tombstone(
                    key: StoredKey(kind: kind, namespace: namespace.isEmpty ? nil : namespace, name: row["name"]),
                    uid: row["uid"], status: try JSONValue(storedText: row["status"]),
                    deletedAt: KubeTime(secondsSince1970: row["deletedAt"]))
            }
        }
    }

    /// Writes `writes` and the counters in one transaction; trims the history to versions after `compactedThrough`.
    func commit(_ writes: [ObjectWrite], resourceVersion: Int64, compactedThrough: Int64) throws {
        try queue.write { db in
            for write in writes {
                switch write {
                case .upsert(let object, let type):
                    try Self.upsert(object, in: db)
                    try Self.appendChange(object, type: type, in: db)
                case .delete(let object):
                    try db.execute(
                        sql: "DELETE FROM objects WHERE kind = ? AND namespace = ? AND name = ?",
                        arguments: [object.key.kind.name, object.key.namespaceColumn, object.key.name])
                    try Self.appendChange(object, type: "DELETED", in: db)
                case .bookkeeping(let object):
                    try db.execute(
                        sql: "UPDATE objects SET source = ? WHERE kind = ? AND namespace = ? AND name = ?",
                        arguments: [object.source, object.key.kind.name, object.key.namespaceColumn, object.key.name])
                case .bury(let tombstone):
                    try db.execute(
                        sql: "INSERT OR REPLACE INTO tombstones (kind, namespace, name, uid, status, deletedAt) VALUES (?, ?, ?, ?, ?, ?)",
                        arguments: [
                            tombstone.key.kind.name, tombstone.key.namespaceColumn, tombstone.key.name, tombstone.uid,
                            try tombstone.status.storedText, tombstone.deletedAt.secondsSince1970,
                        ])
                    try db.execute(
                        sql: "DELETE FROM tombstones WHERE rowid NOT IN (SELECT rowid FROM tombstones ORDER BY deletedAt DESC LIMIT ?)",
                        arguments: [Tombstone.limit])
                case .exhume(let key):
                    try db.execute(
                        sql: "DELETE FROM tombstones WHERE kind = ? AND namespace = ? AND name = ?",
                        arguments: [key.kind.name, key.namespaceColumn, key.name])
                }
            }
            try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'resourceVersion'", arguments: [resourceVersion])
            try db.execute(sql: "UPDATE meta SET value = ? WHERE key = 'compactedThrough'", arguments: [compactedThrough])
            try db.execute(sql: "DELETE FROM changes WHERE resourceVersion <= ?", arguments: [compactedThrough])
        }
    }

    /// History entries of `kind` after `resourceVersion`, oldest first.
    func history(kind: LocalKind, after resourceVersion: Int64) throws -> [Change] {
        try queue.read { db in
            try Row.fetchAll(
                db, sql: "SELECT resourceVersion, type, object FROM changes WHERE kind = ? AND resourceVersion > ? ORDER BY resourceVersion",
                arguments: [kind.name, resourceVersion]
            ).map { row in
                Change(resourceVersion: row["resourceVersion"], type: row["type"], object: try JSONValue(storedText: row["object"]))
            }
        }
    }

    private static func upsert(_ object: StoredObject, in db: Database) throws {
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO objects (kind, namespace, name, uid, generation, resourceVersion, creationTimestamp,
                    deletionTimestamp, labels, annotations, finalizers, spec, status, source)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                object.key.kind.name, object.key.namespaceColumn, object.key.name, object.uid, object.generation,
                object.resourceVersion, object.creationTimestamp.secondsSince1970,
                object.deletionTimestamp?.secondsSince1970,
                try JSONValue.object(object.labels.mapValues { .string($0) }).storedText,
                try JSONValue.object(object.annotations.mapValues { .string($0) }).storedText,
                try JSONValue.array(object.finalizers.map { .string($0) }).storedText,
                try object.spec.storedText, try object.status?.storedText, object.source,
            ])
    }

    private static func appendChange(_ object: StoredObject, type: String, in db: Database) throws {
        try db.execute(
            sql: "INSERT INTO changes (resourceVersion, kind, type, namespace, name, object) VALUES (?, ?, ?, ?, ?, ?)",
            arguments: [
                object.resourceVersion, object.key.kind.name, type, object.key.namespaceColumn, object.key.name,
                try object.json.storedText,
            ])
    }

    /// The object of a row; `nil` for a row of a kind this version does not know.
    static func object(from row: Row) throws -> StoredObject? {
        guard let kind = LocalKind(named: row["kind"]) else { return nil }
        let namespace: String = row["namespace"]
        let deletion: Int64? = row["deletionTimestamp"]
        let status: String? = row["status"]
        return StoredObject(
            key: StoredKey(kind: kind, namespace: namespace.isEmpty ? nil : namespace, name: row["name"]),
            uid: row["uid"], generation: row["generation"], resourceVersion: row["resourceVersion"],
            creationTimestamp: KubeTime(secondsSince1970: row["creationTimestamp"]),
            deletionTimestamp: deletion.map { KubeTime(secondsSince1970: $0) },
            labels: try JSONValue(storedText: row["labels"]).stringMap,
            annotations: try JSONValue(storedText: row["annotations"]).stringMap,
            finalizers: (try JSONValue(storedText: row["finalizers"]).arrayValue ?? []).compactMap(\.stringValue),
            spec: try JSONValue(storedText: row["spec"]), status: try status.map { try JSONValue(storedText: $0) },
            source: row["source"])
    }

    // MARK: Events

    /// Inserts `event`; `false` when an event of that namespace and name exists.
    func insertEvent(_ event: Event) throws -> Bool {
        try queue.write { db in
            let namespace = event.metadata.namespace ?? ""
            let name = event.metadata.name ?? ""
            if try Row.fetchOne(db, sql: "SELECT 1 FROM events WHERE namespace = ? AND name = ?", arguments: [namespace, name]) != nil {
                return false
            }
            let time = event.eventTime ?? MicroTime.now()
            try db.execute(
                sql: """
                    INSERT INTO events (namespace, name, eventTime, lastObservedTime, seriesCount, type, reason, action, note,
                        regardingKind, regardingNamespace, regardingName, regardingUID, reportingController, reportingInstance)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    namespace, name, time.microsecondsSince1970,
                    (event.series?.lastObservedTime ?? time).microsecondsSince1970, event.series?.count ?? 1,
                    event.type ?? "Normal", event.reason ?? "", event.action ?? "", event.note ?? "",
                    event.regarding?.kind ?? "", event.regarding?.namespace ?? "", event.regarding?.name ?? "",
                    event.regarding?.uid, event.reportingController, event.reportingInstance,
                ])
            try Self.trimEvents(in: db)
            return true
        }
    }

    /// Sets the series of a stored event; `nil` when there is no such event.
    func updateEventSeries(namespace: String, name: String, series: EventSeries) throws -> StoredEvent? {
        try queue.write { db in
            try db.execute(
                sql: "UPDATE events SET seriesCount = ?, lastObservedTime = ? WHERE namespace = ? AND name = ?",
                arguments: [series.count, series.lastObservedTime.microsecondsSince1970, namespace, name])
            return try Row.fetchOne(
                db, sql: "SELECT * FROM events WHERE namespace = ? AND name = ?", arguments: [namespace, name]
            ).map(StoredEvent.init(row:))
        }
    }

    /// Records an event written by local mode itself (manifest problems), counting a repeat of the latest event
    /// with the same regarding object, reason and note instead of adding a row.
    func recordEvent(_ event: StoredEvent) throws {
        try queue.write { db in
            let latest = try Row.fetchOne(
                db,
                sql: """
                    SELECT id, reason, note FROM events WHERE regardingKind = ? AND regardingNamespace = ? AND regardingName = ?
                    ORDER BY id DESC LIMIT 1
                    """,
                arguments: [event.regardingKind, event.regardingNamespace ?? "", event.regardingName])
            if let latest, latest["reason"] == event.reason, latest["note"] == event.note {
                try db.execute(
                    sql: "UPDATE events SET seriesCount = seriesCount + 1, lastObservedTime = ? WHERE id = ?",
                    arguments: [event.lastObservedTime.microsecondsSince1970, latest["id"] as Int64])
                return
            }
            try db.execute(
                sql: """
                    INSERT INTO events (namespace, name, eventTime, lastObservedTime, seriesCount, type, reason, action, note,
                        regardingKind, regardingNamespace, regardingName, regardingUID, reportingController, reportingInstance)
                    VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    event.namespace, event.name, event.eventTime.microsecondsSince1970,
                    event.lastObservedTime.microsecondsSince1970, event.type, event.reason, event.action, event.note,
                    event.regardingKind, event.regardingNamespace ?? "", event.regardingName, event.regardingUID,
                    event.reportingController, event.reportingInstance,
                ])
            try Self.trimEvents(in: db)
        }
    }

    /// Events about the object (or manifest file) `kind namespace/name`, oldest first; every event when `kind` is nil.
    public func events(kind: String? = nil, namespace: String? = nil, name: String? = nil) throws(LocalModeError) -> [StoredEvent] {
        do {
            return try queue.read { db in
                var sql = "SELECT * FROM events"
                var arguments: StatementArguments = []
                if let kind, let name {
                    sql += " WHERE regardingKind = ? AND regardingName = ? AND regardingNamespace = ?"
                    arguments = [kind, name, namespace ?? ""]
                }
                return try Row.fetchAll(db, sql: sql + " ORDER BY lastObservedTime, id", arguments: arguments)
                    .map(StoredEvent.init(row:))
            }
        } catch {
            throw .stateDatabase(path: path, underlying: "\(error)")
        }
    }

    /// At most this many events are kept; the oldest go first.
    static let eventLimit = 5000

    private static func trimEvents(in db: Database) throws {
        try db.execute(
            sql: "DELETE FROM events WHERE id <= (SELECT MAX(id) FROM events) - ?", arguments: [eventLimit])
    }

    // MARK: Manifest files

    /// Replaces the manifest file table: every file seen, with its problem (`nil`: loaded fine).
    func setManifestFiles(_ files: [String: String?], at time: KubeTime) throws {
        try queue.write { db in
            try db.execute(sql: "DELETE FROM manifest_files")
            for (path, problem) in files.sorted(by: { $0.key < $1.key }) {
                try db.execute(
                    sql: "INSERT INTO manifest_files (path, problem, checkedAt) VALUES (?, ?, ?)",
                    arguments: [path, problem, time.secondsSince1970])
            }
        }
    }

    /// Every manifest file seen at the last load, with its problem (`nil` when it loaded).
    public func manifestFiles() throws(LocalModeError) -> [(path: String, problem: String?)] {
        do {
            return try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT path, problem FROM manifest_files ORDER BY path").map { ($0["path"], $0["problem"]) }
            }
        } catch {
            throw .stateDatabase(path: path, underlying: "\(error)")
        }
    }

    /// Every stored object, for readers (`status`, `describe`).
    public func objects() throws(LocalModeError) -> [StoredObject] {
        do {
            return try loadObjects()
        } catch {
            throw .stateDatabase(path: path, underlying: "\(error)")
        }
    }

    /// Closes the connection.
    public func close() {
        try? queue.close()
    }
}
