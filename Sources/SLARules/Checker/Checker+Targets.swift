extension Checker {
    /// `supervisor` and `manager` resolve through a team: the assignee's, else the policy's (a plan's own
    /// team, since an incident has no assignee). Warn where that can come to nobody; the engine then falls
    /// through to the step's other targets, or to the team's supervisor and manager.
    mutating func checkTeamTargets() {
        func check(_ targets: [NotifyTarget], team: String?, owner: String, isPlan: Bool, at range: SourceRange) {
            for target in targets {
                switch target {
                case .supervisor, .manager:
                    guard let teamName = team else {
                        let hint = isPlan ? "add 'team NAME' to the plan" : "add 'team NAME' to the policy, for tickets whose assignee is in no team"
                        builder.diagnostics.warning(.targetReachesNobody, at: range,
                                                    "\(owner) has no team, so '\(target)' can resolve to nobody", hint: hint)
                        continue
                    }
                    guard let team = rules.teams[teamName] else { continue }
                    let person = target == .supervisor ? team.supervisor : team.manager
                    if person == nil {
                        builder.diagnostics.warning(.targetReachesNobody, at: range,
                                                    "team '\(teamName)' has no \(target), so this step can reach nobody through it",
                                                    hint: "add '\(target) NAME' to team \(teamName)", related: team.location)
                    }
                case .assignee where isPlan:
                    builder.diagnostics.warning(.targetReachesNobody, at: range,
                                                "an incident has no assignee, so 'assignee' in \(owner) reaches nobody",
                                                hint: "name a roster, a team or a person")
                default:
                    continue
                }
            }
        }
        for policy in rules.policies {
            for step in policy.steps {
                check(step.targets, team: policy.team, owner: "policy '\(policy.name)'", isPlan: false, at: step.location)
            }
        }
        for plan in rules.plans {
            for step in plan.steps {
                check([step.owner], team: plan.team, owner: "plan '\(plan.name)'", isPlan: true, at: step.location)
            }
            for notification in plan.onOverdue {
                check(notification.targets, team: plan.team, owner: "plan '\(plan.name)'", isPlan: true, at: notification.location)
            }
        }
    }
}
