import SLARules

/// Whom a step reaches, per channel, and whom it could not reach and why.
public struct StepRecipients: Sendable, Hashable {
    public var deliveries: [Delivery] = []
    /// Targets or people the step could not reach. Never silently dropped: the daemon logs these and
    /// `slad explain` and `slad simulate` print them.
    public var unreached: [Unreached] = []
    /// Set when no target of the step reached anyone and the policy team's supervisor or manager was told instead.
    public var fallback: NotifyTarget?

    /// Everyone reached on any channel, in order, once each.
    public var people: [String] {
        var seen = Set<String>()
        return deliveries.flatMap { $0.recipients.map(\.person) }.filter { seen.insert($0).inserted }
    }
}

public struct Delivery: Sendable, Hashable {
    public let channel: String
    public let kind: ChannelKind
    /// For personal channels (SMS, e-mail) the people with their address; for group channels (robots,
    /// webhooks, the log) the people named in the message, with no address.
    public var recipients: [Addressed]
}

public struct Addressed: Sendable, Hashable {
    public let person: String
    public let displayName: String?
    public let address: String?
}

public struct Unreached: Sendable, Hashable, CustomStringConvertible {
    public let target: NotifyTarget
    public let person: String?
    public let channel: String?
    public let reason: String

    public var description: String {
        var text = "\(target)"
        if let person { text += " (\(person))" }
        if let channel { text += " via \(channel)" }
        return text + ": " + reason
    }
}

extension Engine {
    /// Who is on duty in a roster at an instant: the dated override for that rotation day if any, else
    /// the member whose turn it is. Turns change at the handoff time; nil for an empty roster.
    public func onDuty(_ rosterName: String, at instant: Instant) -> String? {
        guard let roster = rules.rosters[rosterName], let zone = zones[roster.timeZone] else { return nil }
        let shifted = instant - roster.handoff.minutes * 60
        let day = zone.dayNumber(shifted)
        let date = LocalTime.date(dayNumber: day)
        if let override = roster.overrides.last(where: { $0.from <= date && date <= $0.through }) {
            return override.person
        }
        guard !roster.members.isEmpty else { return nil }
        let turn: Int
        switch roster.rotation {
        case .daily:
            turn = day - roster.anchor.dayNumber
        case let .weekly(weekday):
            let anchor = roster.anchor.dayNumber
            let anchorWeekday = ((anchor % 7) + 7 + 3) % 7
            let target = Weekday.allCases.firstIndex(of: weekday)!
            let firstHandoff = anchor - ((anchorWeekday - target + 7) % 7)
            turn = LocalTime.floorDiv(day - firstHandoff, 7)
        }
        let count = roster.members.count
        return roster.members[((turn % count) + count) % count]
    }

    /// The team whose supervisor and manager a ticket escalates to: the assignee's team, else the policy's.
    public func team(forAssignee assignee: String?, policyTeam: String?) -> Team? {
        if let assignee, let name = teamOfMember[assignee], let team = rules.teams[name] { return team }
        return policyTeam.flatMap { rules.teams[$0] }
    }

    /// The people a target names at an instant, or the reason it names nobody.
    public func resolve(_ target: NotifyTarget, assignee: String?, policyTeam: String?, at instant: Instant) -> Result<[String], TargetFailure> {
        switch target {
        case .assignee:
            guard let assignee else { return .failure(TargetFailure("the ticket has no assignee")) }
            guard rules.people[assignee] != nil else { return .failure(TargetFailure("assignee '\(assignee)' is not a person in the rules")) }
            return .success([assignee])
        case .supervisor, .manager:
            guard let team = team(forAssignee: assignee, policyTeam: policyTeam) else {
                return .failure(TargetFailure("neither the assignee nor the policy has a team"))
            }
            let person = target == .supervisor ? team.supervisor : team.manager
            guard let person else { return .failure(TargetFailure("team '\(team.name)' has no \(target)")) }
            return .success([person])
        case let .person(name):
            return .success([name])
        case let .team(name):
            let members = rules.teams[name]?.members ?? []
            return members.isEmpty ? .failure(TargetFailure("team '\(name)' has no members")) : .success(members)
        case let .roster(name):
            guard let person = onDuty(name, at: instant) else { return .failure(TargetFailure("nobody is on duty in roster '\(name)'")) }
            return .success([person])
        }
    }

    public struct TargetFailure: Error, Sendable, Hashable {
        public let reason: String
        init(_ reason: String) { self.reason = reason }
    }

    /// Resolves targets and channels into deliveries. A target that names nobody is reported and the
    /// others still receive; when no target reaches anyone, the policy team's supervisor (then manager)
    /// is told instead, and that is reported too.
    public func recipients(targets: [NotifyTarget], channels: [String], assignee: String?, policyTeam: String?, at instant: Instant) -> StepRecipients {
        var result = StepRecipients()
        var people: [(String, NotifyTarget)] = []
        for target in targets {
            switch resolve(target, assignee: assignee, policyTeam: policyTeam, at: instant) {
            case let .success(names):
                for name in names where !people.contains(where: { $0.0 == name }) { people.append((name, target)) }
            case let .failure(failure):
                result.unreached.append(Unreached(target: target, person: nil, channel: nil, reason: failure.reason))
            }
        }
        result.deliveries = deliveries(for: people, channels: channels, unreached: &result.unreached)
        if result.deliveries.allSatisfy({ $0.recipients.isEmpty }) {
            for fallback in [NotifyTarget.supervisor, .manager] where !targets.contains(fallback) {
                guard case let .success(names) = resolve(fallback, assignee: nil, policyTeam: policyTeam, at: instant) else { continue }
                var ignored: [Unreached] = []
                let attempt = deliveries(for: names.map { ($0, fallback) }, channels: channels, unreached: &ignored)
                if attempt.contains(where: { !$0.recipients.isEmpty }) {
                    result.deliveries = attempt
                    result.fallback = fallback
                    break
                }
            }
        }
        return result
    }

    private func deliveries(for people: [(String, NotifyTarget)], channels: [String], unreached: inout [Unreached]) -> [Delivery] {
        channels.compactMap { name -> Delivery? in
            guard let channel = rules.channels[name] else { return nil }
            var delivery = Delivery(channel: name, kind: channel.kind, recipients: [])
            for (personName, target) in people {
                let person = rules.people[personName]
                if let needed = channel.kind.personalAddress {
                    guard let address = person?.addresses[needed] else {
                        unreached.append(Unreached(target: target, person: personName, channel: name,
                                                   reason: "has no \(needed.rawValue) address"))
                        continue
                    }
                    delivery.recipients.append(Addressed(person: personName, displayName: person?.displayName, address: address))
                } else {
                    delivery.recipients.append(Addressed(person: personName, displayName: person?.displayName, address: nil))
                }
            }
            return delivery
        }
    }

    /// Whom a due step reaches when it fires at `instant`.
    public func recipients(for step: DueStep, of ticket: Ticket, at instant: Instant) -> StepRecipients {
        let state = TicketReplay.state(of: ticket, at: instant)
        guard let index = policyIndexByName[step.firing.policy],
              rules.policies[index].steps.indices.contains(step.stepIndex) else { return StepRecipients() }
        let policy = rules.policies[index]
        let rung = policy.steps[step.stepIndex]
        return recipients(targets: rung.targets, channels: rung.channels, assignee: state.fields.assignee, policyTeam: policy.team, at: instant)
    }

    /// The ticket's fields and status at an instant, after replaying its history.
    public func fields(of ticket: Ticket, at instant: Instant) -> (fields: TicketFields, status: String) {
        let state = TicketReplay.state(of: ticket, at: instant)
        return (state.fields, state.status)
    }
}
