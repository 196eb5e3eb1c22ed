/// Which examples of a labelled history are held out to test a model on: chosen by position only, so the
/// same file always splits the same way.
public enum HoldoutSplit: Sendable, Hashable {
    /// The last `percent` % of the examples in file order (rounded down): for a history in time order,
    /// the model is tested on the most recent tickets, as it will be used.
    case last(percent: Int)
    /// Every k-th example (the k-th, the 2k-th, …): spread evenly over the whole history.
    case every(Int)

    /// What is wrong with the split, or nil.
    public var problem: String? {
        switch self {
        case let .last(percent) where !(1...99).contains(percent): "a hold-out of \(percent)% leaves nothing to train or to test on; write 1% to 99%"
        case let .every(k) where k < 2: "testing every \(k) example leaves nothing to train on; write 2 or more"
        default: nil
        }
    }

    /// Whether the example at `position` (from 0) of `count` is held out.
    public func isHeldOut(_ position: Int, of count: Int) -> Bool {
        switch self {
        case let .last(percent): position >= count - count * percent / 100
        case let .every(k): (position + 1) % k == 0
        }
    }

    /// The examples to train on and those to test on, each in their original order.
    public func split<Item>(_ items: [Item]) -> (training: [Item], test: [Item]) {
        var training: [Item] = [], test: [Item] = []
        for (position, item) in items.enumerated() {
            if isHeldOut(position, of: items.count) { test.append(item) } else { training.append(item) }
        }
        return (training, test)
    }
}
