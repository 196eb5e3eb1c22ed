import SLAEngine
import SLARules

extension SimulationInput {
    /// Marks `repeatOf` on the input's tickets as the rules' `repeats { within … }` says, across the whole
    /// file in creation order (`RepeatMarker`). Without the block nothing is marked.
    public mutating func markRepeats(_ settings: RepeatSettings?) {
        guard let settings, !tickets.isEmpty else { return }
        let marks = RepeatMarker.repeats(in: tickets.map(\.ticket), within: settings.withinSeconds)
        for (index, id) in marks.enumerated() { tickets[index].ticket.repeatOf = id }
    }

    /// How many of the input's tickets repeat an earlier one (after `markRepeats`).
    public var repeatCount: Int { tickets.reduce(0) { $0 + ($1.ticket.repeatOf == nil ? 0 : 1) } }
}
