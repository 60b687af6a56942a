import Kubernetes

extension Array where Element == Condition {
    /// The condition of `type`, if present.
    public subscript(type type: String) -> Condition? {
        first { $0.type == type }
    }

    /// Sets a condition, keeping `lastTransitionTime` unless its status (True/False/Unknown) flips.
    ///
    /// The condition's `observedGeneration` is set to `observedGeneration`; reason and message are replaced. A new
    /// condition (or one that flips) gets `lastTransitionTime = now`. The order of existing conditions is kept;
    /// new ones are appended.
    ///
    /// - Returns: whether anything changed.
    @discardableResult
    public mutating func set(
        _ type: String, status: Condition.Status, reason: String, message: String, observedGeneration: Int64?,
        now: KubeTime = .now()
    ) -> Bool {
        var condition = Condition(
            type: type, status: status, reason: reason, message: message, observedGeneration: observedGeneration,
            lastTransitionTime: now)
        guard let index = firstIndex(where: { $0.type == type }) else {
            append(condition)
            return true
        }
        let existing = self[index]
        if existing.status == status, let kept = existing.lastTransitionTime {
            condition.lastTransitionTime = kept
        }
        guard existing != condition else { return false }
        self[index] = condition
        return true
    }

    /// Removes the condition of `type`; returns whether one was there.
    @discardableResult
    public mutating func remove(type: String) -> Bool {
        let before = count
        removeAll { $0.type == type }
        return count != before
    }
}
