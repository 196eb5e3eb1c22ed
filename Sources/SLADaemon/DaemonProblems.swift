import SLAEngine

/// What keeps the daemon from doing its work now, or from doing what its rules say: scans failing,
/// delivery failing, channels stalled, the rules on disk refused. `/healthz` answers 503 with them; the
/// heartbeat is held while there are any.
enum DaemonProblems {
    static func current(loop: EscalationLoop, rules: RulesHolder, now: Instant) async -> [HealthAnswer.Problem] {
        let zone = await rules.engine.displayZone
        var problems: [HealthAnswer.Problem] = []
        if let refusal = await rules.refusal {
            // The old rules still run: the ones the operator wrote are not what slad does.
            problems.append(HealthAnswer.Problem(code: "rules_not_loaded",
                                                 message: "the reload was refused (\(refusal.errors) error\(refusal.errors == 1 ? "" : "s"): \(refusal.reason)); "
                                                     + "the old rules \(await rules.version) still run",
                                                 since: zone.format(refusal.at), summary: "rules_not_loaded since \(zone.format(refusal.at))"))
        }
        if let fault = await loop.fault { problems.append(fault.problem(zone: zone)) }
        if let fault = await loop.writeFault, await loop.fault?.code != fault.code {
            var problem = fault.problem(zone: zone)
            problem.summary = "writes_failing since \(zone.format(fault.since))"
            problems.append(problem)
        }
        if let fault = await loop.delivery?.fault {
            var problem = fault.problem(zone: zone)
            problem.summary = "delivery_failing since \(zone.format(fault.since))"
            problems.append(problem)
        }
        let failingFor = await rules.engine.rules.watch?.channelDownFor ?? ChannelHealth.failingFor
        for stalled in await loop.delivery?.stalledChannels(at: now, failingFor: failingFor) ?? [] {
            var what: [String] = []
            if let dead = stalled.deadLetteredAt {
                what.append("a notice dead-lettered at \(zone.format(dead)) and none delivered since (\(stalled.deadLetters) in the last hour); "
                    + "once the channel works, send them again with slad outbox retry")
            }
            if let since = stalled.failingSince { what.append("attempts failing since \(zone.format(since)), none delivered") }
            problems.append(HealthAnswer.Problem(code: "delivery_stalled", channel: stalled.channel,
                                                 message: what.joined(separator: "; ") + (stalled.lastReason.map { ": \($0)" } ?? ""),
                                                 since: stalled.since.map { zone.format($0) }, summary: "delivery_stalled channel \(stalled.channel)"))
        }
        return problems
    }
}
