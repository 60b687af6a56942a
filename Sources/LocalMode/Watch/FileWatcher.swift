import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Watches directories with inotify and reports debounced batches of relevant changes.
///
/// - Manifest directories: any `*.yaml`/`*.yml` file (not hidden) created, written, renamed, deleted or chmod'ed.
/// - Artifact directories: changes to the named artifact files only (a jar copied in under a temporary name and
///   renamed into place shows up as its final name).
/// - A directory that disappears, and an inotify queue overflow, are changes too (the owner rescans everything).
///
/// A dedicated thread blocks in `poll(2)` on the inotify descriptor and runs the `DebounceStateMachine`; when a
/// burst is due it yields one `Batch` on `changes`. With a `rescanInterval` it also yields a rescan batch when
/// nothing happened for that long (a safety net for events inotify cannot see, e.g. on network filesystems).
public final class FileWatcher: Sendable {
    /// One debounced change.
    public struct Batch: Sendable, Hashable {
        /// The paths whose events formed the batch (empty for a periodic rescan).
        public var paths: Set<String>
        /// Whether this batch is a periodic rescan rather than file events.
        public var isRescan: Bool
    }

    private struct Entry {
        var path: String
        var manifests: Bool
        var artifactNames: Set<String>
    }

    /// The debounced changes; ends after `stop()`.
    public let changes: AsyncStream<Batch>
    private let continuation: AsyncStream<Batch>.Continuation
    private let descriptor: Int32
    private let watches = Mutex<[Int32: Entry]>([:])
    private let stopped = Atomic<Bool>(false)
    private let started = Atomic<Bool>(false)
    private let quiet: Duration
    private let maxDelay: Duration
    private let rescanInterval: Duration?

    /// The inotify mask for every watched directory.
    static let mask: UInt32 = UInt32(IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MODIFY)
        | UInt32(IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR)

    /// A watcher that reports a batch once events were quiet for `debounce` (at most `maxDelay` after the first).
    ///
    /// - Throws: `LocalModeError.fileWatch` when inotify is not available.
    public init(debounce: Duration = .milliseconds(300), maxDelay: Duration = .seconds(3), rescanInterval: Duration? = nil)
        throws(LocalModeError)
    {
        let descriptor = inotify_init1(Int32(O_NONBLOCK | O_CLOEXEC))
        guard descriptor >= 0 else { throw .fileWatch(path: "inotify", errno: errno) }
        self.descriptor = descriptor
        (changes, continuation) = AsyncStream<Batch>.makeStream(bufferingPolicy: .bufferingNewest(64))
        quiet = debounce
        self.maxDelay = maxDelay
        self.rescanInterval = rescanInterval
    }

    deinit {
        close(descriptor)
    }

    /// Makes the watched set exactly `manifestDirectories` plus the directories of `artifacts` (directory → file
    /// names). Directories that do not exist are skipped (the next call adds them once they exist).
    ///
    /// - Returns: the directories that could not be watched, with `errno`.
    @discardableResult
    public func setWatches(manifestDirectories: [String], artifacts: [String: Set<String>]) -> [(String, Int32)] {
        var desired: [String: Entry] = [:]
        for directory in manifestDirectories {
            desired[directory, default: Entry(path: directory, manifests: false, artifactNames: [])].manifests = true
        }
        for (directory, names) in artifacts {
            desired[directory, default: Entry(path: directory, manifests: false, artifactNames: [])].artifactNames.formUnion(names)
        }
        var failures: [(String, Int32)] = []
        watches.withLock { watches in
            var updated: [Int32: Entry] = [:]
            for (directory, entry) in desired.sorted(by: { $0.key < $1.key }) {
                let wd = inotify_add_watch(descriptor, directory, Self.mask)
                guard wd >= 0 else {
                    failures.append((directory, errno))
                    continue
                }
                // Two paths of one directory (a symlink) share a watch descriptor: merge what they look for.
                if var existing = updated[wd] {
                    existing.manifests = existing.manifests || entry.manifests
                    existing.artifactNames.formUnion(entry.artifactNames)
                    updated[wd] = existing
                } else {
                    updated[wd] = entry
                }
            }
            for wd in watches.keys where updated[wd] == nil {
                inotify_rm_watch(descriptor, wd)
            }
            watches = updated
        }
        return failures
    }

    /// The directories watched now.
    public var watchedDirectories: [String] {
        watches.withLock { $0.values.map(\.path).sorted() }
    }

    /// Starts the watching thread (once).
    public func start() {
        guard !started.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let thread = Thread { [self] in run() }
        thread.name = "flink-job-controller-inotify"
        thread.start()
    }

    /// Stops the thread (within a quarter second) and ends `changes`.
    public func stop() {
        stopped.store(true, ordering: .releasing)
        if !started.load(ordering: .acquiring) { continuation.finish() }
    }

    private func run() {
        var machine = DebounceStateMachine(quiet: quiet, maxDelay: maxDelay)
        var pending = Set<String>()
        var lastBatch = ContinuousClock.now
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while !stopped.load(ordering: .acquiring) {
            var timeout = Duration.milliseconds(250)
            if let deadline = machine.deadline { timeout = min(timeout, max(.zero, deadline - ContinuousClock.now)) }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(timeout.milliseconds))
            if ready > 0 && (poller.revents & Int16(POLLIN)) != 0 {
                let relevant = readEvents(into: &buffer)
                if !relevant.isEmpty {
                    pending.formUnion(relevant)
                    machine.eventArrived(at: ContinuousClock.now)
                }
            }
            let now = ContinuousClock.now
            if machine.fire(at: now) {
                continuation.yield(Batch(paths: pending, isRescan: false))
                pending = []
                lastBatch = now
            } else if let rescanInterval, machine.deadline == nil, now - lastBatch >= rescanInterval {
                continuation.yield(Batch(paths: [], isRescan: true))
                lastBatch = now
            }
        }
        continuation.finish()
    }

    /// Reads every queued event; returns the paths of the relevant ones.
    private func readEvents(into buffer: inout [UInt8]) -> Set<String> {
        var relevant = Set<String>()
        let headerSize = MemoryLayout<inotify_event>.size
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            var offset = 0
            while offset + headerSize <= count {
                let (wd, mask, length) = buffer.withUnsafeBytes { bytes in
                    (
                        bytes.loadUnaligned(fromByteOffset: offset, as: Int32.self),
                        bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self),
                        Int(bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                    )
                }
                let nameBytes = buffer[(offset + headerSize)..<min(count, offset + headerSize + length)]
                let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
                offset += headerSize + length
                if let path = relevantPath(wd: wd, mask: mask, name: name) { relevant.insert(path) }
            }
        }
        return relevant
    }

    private func relevantPath(wd: Int32, mask: UInt32, name: String) -> String? {
        if mask & UInt32(IN_Q_OVERFLOW) != 0 { return "<inotify queue overflow>" }
        return watches.withLock { watches -> String? in
            guard let entry = watches[wd] else { return nil }
            if mask & UInt32(IN_IGNORED) != 0 {
                // The directory is gone (or the watch was removed): the next setWatches adds it again if it exists.
                watches[wd] = nil
                return entry.path
            }
            if mask & UInt32(IN_DELETE_SELF | IN_MOVE_SELF) != 0 { return entry.path }
            if entry.manifests && ManifestLoader.isManifestName(name) { return entry.path + "/" + name }
            if entry.artifactNames.contains(name) { return entry.path + "/" + name }
            return nil
        }
    }
}

extension Duration {
    /// Whole milliseconds (rounded down), clamped to `Int32`.
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }
}
