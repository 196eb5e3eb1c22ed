extension Checker {
    /// The watch block's team must have the supervisor or manager `notify` names (W008), and its channels
    /// must not all go over the network (W019). Unknown names are reported by `checkReferences`, missing
    /// addresses by `checkAddresses`, and `supervisor` without `team` when the block is read.
    mutating func checkWatch() {
        guard let watch = rules.watch, let places = builder.watchPlaces else { return }
        let range = places.notify ?? places.keyword
        if let teamName = watch.team, let team = rules.teams[teamName] {
            for (target, _) in places.teamTargets where (target == .supervisor ? team.supervisor : team.manager) == nil {
                builder.diagnostics.warning(.targetReachesNobody, at: range, "team '\(teamName)' has no \(target), so this self-alert reaches nobody through it",
                                            hint: "add '\(target) NAME' to team \(teamName)", related: team.location)
            }
        }
        let kinds = watch.channels.map { rules.channels[$0]?.kind }
        // An unknown channel is already an error (E102); judge only a list that is all known.
        guard !kinds.contains(nil), !kinds.contains(where: { $0 == .log || $0 == .exec }) else { return }
        builder.diagnostics.warning(.watchOnlyOverNetwork, at: places.channels ?? range,
                                    "self-alerts over network channels only cannot say that the network or the machine's outbound path is down",
                                    hint: "add an exec channel (a script for a local modem or SMS gateway) or a log channel (relayed by syslog) to the watch's 'via'")
    }
}
