import ArgumentParser
import FlinkJobOperator
import Foundation
import Kubernetes
import LocalMode

/// `flink-job-controller status [--state FILE]`: the local-mode objects as tables, like `kubectl get fj,fsc`.
///
/// Reads the state database without taking its lock (a running operator keeps writing; SQLite's WAL mode lets
/// readers see the last committed state).
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the FlinkJobs and FlinkSessionClusters of a local-mode state file.")

    @Option(help: ArgumentHelp("Local-mode state database (default: flink-job-controller.sqlite).", valueName: "file"))
    var state: String = OperatorConfiguration().stateFile

    func run() throws {
        let database = try StateDatabase.open(path: state, readOnly: true)
        let objects = try database.objects()
        let now = Date()
        print(LocalStatusText.jobsTable(objects.filter { $0.key.kind == .flinkJob }, now: now))
        print("")
        print(LocalStatusText.clustersTable(objects.filter { $0.key.kind == .flinkSessionCluster }, now: now))
        let problems = try database.manifestFiles().compactMap(\.problem)
        if !problems.isEmpty {
            print("\nManifest problems (the last valid version of their objects stays in force):")
            for problem in problems { print("  \(problem)") }
        }
        print("\nOperator: " + (StateLock.holder(statePath: state).map { "running (\($0))" } ?? "not running"))
    }
}

/// `flink-job-controller describe NAME [--namespace NS] [--state FILE]`: one local-mode object in detail, like
/// `kubectl describe`: spec summary, conditions, savepoints, batch runs and events.
struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Describe a FlinkJob (or FlinkSessionCluster) of a local-mode state file.")

    @Argument(help: "The FlinkJob's (or FlinkSessionCluster's) name.") var name: String
    @Option(help: ArgumentHelp("The FlinkJob's namespace (default: any; asked when ambiguous).", valueName: "ns"))
    var namespace: String?
    @Option(help: ArgumentHelp("Local-mode state database (default: flink-job-controller.sqlite).", valueName: "file"))
    var state: String = OperatorConfiguration().stateFile

    func run() throws {
        let database = try StateDatabase.open(path: state, readOnly: true)
        let objects = try database.objects().filter { $0.key.name == name }
        let jobs = objects.filter { $0.key.kind == .flinkJob && (namespace == nil || $0.key.namespace == namespace) }
        let object: StoredObject
        if jobs.count > 1 {
            let namespaces = jobs.compactMap(\.key.namespace).joined(separator: ", ")
            throw ValidationError("FlinkJob \(name) exists in several namespaces (\(namespaces)): pass --namespace")
        } else if let job = jobs.first {
            object = job
        } else if namespace == nil, let cluster = objects.first(where: { $0.key.kind == .flinkSessionCluster }) {
            object = cluster
        } else {
            throw ValidationError("no FlinkJob\(namespace.map { " in namespace \($0)" } ?? " or FlinkSessionCluster") named \(name) in \(state)")
        }
        let events = try database.events(kind: object.key.kind.name, namespace: object.key.namespace, name: object.key.name)
        print(try LocalStatusText.describe(object, events: events, now: Date()))
    }
}

/// The text `status` and `describe` print.
enum LocalStatusText {
    static func jobsTable(_ objects: [StoredObject], now: Date) -> String {
        var rows = [["NAMESPACE", "NAME", "STATE", "FLINK STATE", "JOB ID", "PARALLELISM", "READY", "AGE"]]
        for object in objects {
            let status = try? object.decode(as: FlinkJob.self).status
            rows.append([
                object.key.namespace ?? "", object.key.name, status?.state?.rawValue ?? "", status?.job?.flinkState ?? "",
                status?.job?.id ?? "", status?.parallelism.map(String.init) ?? "",
                status?.conditions?.first { $0.type == "Ready" }?.status.rawValue ?? "",
                age(object.creationTimestamp, now: now),
            ])
        }
        return objects.isEmpty ? "No FlinkJobs." : table(rows)
    }

    static func clustersTable(_ objects: [StoredObject], now: Date) -> String {
        var rows = [["NAME", "URL", "READY", "VERSION", "TASKMANAGERS", "SLOTS AVAILABLE", "BREAKER", "AGE"]]
        for object in objects {
            let cluster = try? object.decode(as: FlinkSessionCluster.self)
            let status = cluster?.status
            rows.append([
                object.key.name, cluster?.spec.restURL ?? "",
                status?.conditions?.first { $0.type == "Ready" }?.status.rawValue ?? "", status?.flinkVersion ?? "",
                status?.taskManagers.map(String.init) ?? "", status?.slotsAvailable.map(String.init) ?? "",
                status?.circuitBreaker?.state.rawValue ?? "", age(object.creationTimestamp, now: now),
            ])
        }
        return objects.isEmpty ? "No FlinkSessionClusters." : table(rows)
    }

    static func describe(_ object: StoredObject, events: [StoredEvent], now: Date) throws -> String {
        var lines: [String] = []
        func field(_ name: String, _ value: String?, indent: Int = 0) {
            guard let value, !value.isEmpty else { return }
            let label = String(repeating: " ", count: indent) + name + ":"
            lines.append(label.padding(toLength: max(label.count + 1, 24), withPad: " ", startingAt: 0) + value)
        }
        field("Name", object.key.name)
        field("Namespace", object.key.namespace)
        field("Kind", object.key.kind.name)
        field("UID", object.uid)
        field("Generation", String(object.generation))
        field("Resource Version", String(object.resourceVersion))
        field("Created", "\(object.creationTimestamp) (\(age(object.creationTimestamp, now: now)) ago)")
        field("Deleting Since", object.deletionTimestamp?.description)
        field("Finalizers", object.finalizers.joined(separator: ", "))
        field("Labels", object.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))
        field("Manifest", object.source)
        var conditions: [Condition]?
        if object.key.kind == .flinkJob {
            let job = try object.decode(as: FlinkJob.self)
            let spec = job.spec
            lines.append("Spec:")
            field("Cluster", spec.clusterRef.name, indent: 2)
            field("Type", spec.type.rawValue, indent: 2)
            field("Artifact", spec.artifact.jar?.uri ?? spec.artifact.python?.uri ?? (spec.artifact.sql != nil ? "SQL" : nil), indent: 2)
            field("Entry Class", spec.artifact.jar?.entryClass, indent: 2)
            field("Digest", spec.artifact.digest, indent: 2)
            field("Args", spec.args.map { $0.joined(separator: " ") }, indent: 2)
            field("Parallelism", String(spec.parallelism), indent: 2)
            field("State", spec.state.rawValue, indent: 2)
            field("Upgrade Mode", spec.upgradeMode.rawValue, indent: 2)
            field("Delete Policy", spec.deletePolicy.rawValue, indent: 2)
            field("Schedule", spec.batch?.schedule, indent: 2)
            if let status = job.status {
                lines.append("Status:")
                field("State", status.state?.rawValue, indent: 2)
                field("Flink Job ID", status.job?.id, indent: 2)
                field("Flink State", status.job?.flinkState, indent: 2)
                field("Started", status.job?.startTime?.description, indent: 2)
                field("Restarts", status.job?.restarts.map(String.init), indent: 2)
                field("Restored From", status.job?.restoredFrom, indent: 2)
                field("Parallelism", status.parallelism.map(String.init), indent: 2)
                field("Observed Generation", status.observedGeneration.map(String.init), indent: 2)
                field("Last Checkpoint", status.checkpoints?.lastCompleted.map { "\($0.id) at \($0.time?.description ?? "?")" }, indent: 2)
                field("Message", status.message, indent: 2)
                conditions = status.conditions
                if let savepoints = status.savepoints {
                    lines.append("Savepoints:")
                    if let last = savepoints.last {
                        field("Last", "\(last.location) (\(last.reason.rawValue), \(last.time))", indent: 2)
                    }
                    field("Pending", savepoints.pending.map { "\($0.reason.rawValue) since \($0.startedAt)" }, indent: 2)
                    for record in savepoints.history ?? [] {
                        lines.append("    \(record.time)  \(record.reason.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0))  \(record.location)")
                    }
                }
                if let runs = status.runs {
                    lines.append("Runs:")
                    field("Count", runs.count.map(String.init), indent: 2)
                    field("Last Schedule", runs.lastScheduleTime?.description, indent: 2)
                    field("Next Schedule", runs.nextScheduleTime?.description, indent: 2)
                    for active in runs.active ?? [] {
                        lines.append("    #\(active.run)  active     \(active.jobId)  since \(active.startTime)  \(active.flinkState ?? "")")
                    }
                    for record in runs.history ?? [] {
                        lines.append("    #\(record.run)  \(record.result.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0))  \(record.jobId)  \(record.endTime?.description ?? "")  \(record.message ?? "")")
                    }
                }
            }
        } else {
            let cluster = try object.decode(as: FlinkSessionCluster.self)
            lines.append("Spec:")
            field("REST URL", cluster.spec.restURL, indent: 2)
            if let status = cluster.status {
                lines.append("Status:")
                field("Flink Version", status.flinkVersion, indent: 2)
                field("TaskManagers", status.taskManagers.map(String.init), indent: 2)
                field("Slots", status.slotsTotal.map { "\(status.slotsAvailable ?? 0) available of \($0)" }, indent: 2)
                field("Jobs Running", status.jobsRunning.map(String.init), indent: 2)
                field("Circuit Breaker", status.circuitBreaker?.state.rawValue, indent: 2)
                field("Message", status.message, indent: 2)
                conditions = status.conditions
            }
        }
        if let conditions, !conditions.isEmpty {
            lines.append("Conditions:")
            var rows = [["TYPE", "STATUS", "REASON", "SINCE", "MESSAGE"]]
            for condition in conditions {
                rows.append([
                    condition.type, condition.status.rawValue, condition.reason,
                    condition.lastTransitionTime.map { age($0, now: now) } ?? "", condition.message,
                ])
            }
            lines.append(table(rows, indent: 2))
        }
        lines.append("Events:")
        if events.isEmpty {
            lines.append("  <none>")
        } else {
            var rows = [["TYPE", "REASON", "AGE", "COUNT", "MESSAGE"]]
            for event in events.suffix(30) {
                rows.append([
                    event.type, event.reason, age(event.lastObservedTime.kubeTime, now: now), String(event.count), event.note,
                ])
            }
            lines.append(table(rows, indent: 2))
        }
        return lines.joined(separator: "\n")
    }

    /// Columns padded to their widest cell, three spaces apart (kubectl's layout).
    static func table(_ rows: [[String]], indent: Int = 0) -> String {
        let widths = rows.reduce(into: [Int]()) { widths, row in
            for (index, cell) in row.enumerated() {
                if index >= widths.count { widths.append(0) }
                widths[index] = max(widths[index], cell.count)
            }
        }
        return rows.map { row in
            let cells = row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }
            return String(repeating: " ", count: indent) + cells.joined(separator: "   ")
        }.joined(separator: "\n")
    }

    /// kubectl's short age: `42s`, `3m12s`, `45m`, `5h`, `3d`.
    static func age(_ time: KubeTime, now: Date) -> String {
        let seconds = max(0, Int(now.timeIntervalSince1970) - Int(time.secondsSince1970))
        switch seconds {
        case ..<120: return "\(seconds)s"
        case ..<600: return "\(seconds / 60)m\(seconds % 60 == 0 ? "" : "\(seconds % 60)s")"
        case ..<10800: return "\(seconds / 60)m"
        case ..<172_800: return "\(seconds / 3600)h"
        default: return "\(seconds / 86400)d"
        }
    }
}
