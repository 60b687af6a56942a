/// The list-then-watch protocol of one reflector partition, as a state machine without I/O (kube-rs `watcher`).
///
/// `Empty → InitPage → InitListed → Watching`: list page by page, replace the cache with the complete listing,
/// then watch from the list's resourceVersion, moving the resume point forward with every event (bookmarks
/// included). A watch that ends resumes from the last version; a 410 starts over with a fresh list. The owner
/// asks `nextAction()` what to do and reports outcomes; it sleeps its backoff between failed attempts itself.
struct WatcherStateMachine: Sendable {
    enum State: Sendable, Equatable {
        /// Nothing listed yet, or history expired: the next step is a fresh list.
        case empty
        /// Listing: the token of the next page and the items collected so far.
        case initPage(continueToken: String, items: [RawObject])
        /// The listing is complete and applied; the next step is a watch from its version.
        case initListed(resourceVersion: String)
        /// Watching (or about to re-watch) from this version.
        case watching(resourceVersion: String)
    }

    /// What the owner does next.
    enum Action: Sendable, Equatable {
        /// List the page after `continueToken` (`nil`: the first page).
        case list(continueToken: String?)
        /// Watch from `resourceVersion`.
        case watch(resourceVersion: String)
    }

    /// What the owner does with a listed page.
    enum PageOutcome: Sendable, Equatable {
        /// List the next page.
        case listNext(continueToken: String)
        /// The listing is complete: replace the cache with `items`.
        case replaceCache(items: [RawObject], resourceVersion: String)
    }

    private(set) var state: State = .empty

    /// The step to take now.
    mutating func nextAction() -> Action {
        switch state {
        case .empty:
            return .list(continueToken: nil)
        case .initPage(let token, _):
            return .list(continueToken: token)
        case .initListed(let resourceVersion):
            state = .watching(resourceVersion: resourceVersion)
            return .watch(resourceVersion: resourceVersion)
        case .watching(let resourceVersion):
            return .watch(resourceVersion: resourceVersion)
        }
    }

    /// A page arrived.
    mutating func pageListed(_ page: RawObjectList) -> PageOutcome {
        var items: [RawObject]
        switch state {
        case .initPage(_, let collected): items = collected
        default: items = []
        }
        items += page.items
        if let token = page.continueToken {
            state = .initPage(continueToken: token, items: items)
            return .listNext(continueToken: token)
        }
        state = .initListed(resourceVersion: page.resourceVersion)
        return .replaceCache(items: items, resourceVersion: page.resourceVersion)
    }

    /// An event (object or bookmark) with `resourceVersion` was received on the watch.
    mutating func eventReceived(resourceVersion: String?) {
        guard let resourceVersion, !resourceVersion.isEmpty, case .watching = state else { return }
        state = .watching(resourceVersion: resourceVersion)
    }

    /// The backend answered 410: the resume point (or the continue token) is too old.
    mutating func gone() {
        state = .empty
    }

    /// The watch ended or failed for another reason: the next watch resumes from the last version, a failed
    /// list retries the same page.
    mutating func failedOrEnded() {}
}
