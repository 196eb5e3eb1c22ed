import SLARules

extension DashboardView {
    /// Display names from the rules: a site's title (翠湖花园), a person's (张伟), a team's, a policy's
    /// and a clock's; the rules name when there is none.
    struct Names {
        let rules: RuleSet

        func site(_ name: String) -> String { rules.sites[name]?.title ?? name }
        func person(_ name: String) -> String { rules.people[name]?.displayName ?? name }
        func team(_ name: String) -> String { rules.teams[name]?.title ?? name }

        func policy(_ name: String) -> String {
            name.isEmpty ? "未匹配策略" : rules.policies.first { $0.name == name }?.title ?? name
        }

        func clock(_ name: String, policy: String?) -> String {
            rules.policies.first { $0.name == policy }?.clock(named: name)?.title ?? name
        }

        func group(_ name: String, by grouping: KPIGrouping?) -> String {
            switch grouping {
            case .site: site(name)
            case .team: team(name)
            case .assignee: person(name)
            case nil: name
            }
        }
    }
}
