import Testing
@testable import SLARules

/// The `route` construct: its grammar, its model, and the checker's warnings (W020, W021) and errors.
@Suite struct RouteConstructTests {
    let people = baseRules + """

    person wang-qiang { phone "+8613800000004" }
    person zhao-lei { phone "+8613800000005" }
    team plumbing { members wang-qiang, zhao-lei; hours office }
    team empty-team { }
    roster plumbing-oncall { rotate daily at 08:30; members wang-qiang, zhao-lei }

    """

    /// The text a diagnostic points at.
    func written(_ range: SourceRange, in result: CheckResult) -> String {
        String(decoding: Array(result.files[range.file].text.utf8)[range.start..<range.end], as: UTF8.self)
    }

    func routes(_ text: String, extra: [String: String] = [:]) -> CheckResult {
        check([("routes.sla", people + text)], extra: extra)
    }

    @Test func aRouteIsReadWithItsConditionAndTarget() throws {
        let result = routes("""
        route plumbing "水电" {
          when kind = repair and text contains any ["漏水", "水 管", "ＰＩＰＥ"]
          to team plumbing by round robin
        }
        route duty { when site = north; to roster plumbing-oncall }
        route rest { to person zhang-wei }
        """)
        #expect(result.errorCount == 0, "\(result.diagnostics)")
        let rules = try #require(result.ruleSet)
        #expect(rules.routes.map(\.name) == ["plumbing", "duty", "rest"])
        // Keywords are kept in their normal form: spaces dropped, full-width folded, lower case.
        #expect(rules.routes[0].match == .and(.comparison(field: .kind, isNegated: false, values: ["repair"]),
                                              .textContains(keywords: ["漏水", "水管", "pipe"])))
        #expect(rules.routes[0].target == .team("plumbing", strategy: .roundRobin))
        #expect(rules.routes[1].target == .roster("plumbing-oncall"))
        #expect(rules.routes[2].match == .always)
        #expect(rules.routes[2].target == .person("zhang-wei"))
        #expect(rules.teams["plumbing"]?.hours == "office")
    }

    @Test func aTeamTargetDefaultsToLeastOpen() throws {
        let rules = try #require(routes("route r { to team plumbing }").ruleSet)
        #expect(rules.routes[0].target == .team("plumbing", strategy: .leastOpen))
    }

    @Test func unknownTargetsAreErrorsWithDidYouMean() {
        let result = routes("""
        route a { to team plumbin }
        route b { to roster plumbing-oncal }
        route c { to person wang-qiagn }
        """)
        let unknown = result.diagnostics.filter { $0.code == .unknownReference }
        #expect(unknown.count == 3)
        #expect(unknown.allSatisfy { $0.hint?.contains("did you mean") == true })
    }

    @Test func aRouteWithoutTargetAndAnEmptyKeywordAreErrors() {
        let result = routes("""
        route a { when kind = repair }
        route b { when text contains any ["漏水", "  "]; to person zhang-wei }
        """)
        #expect(codes(result).contains("E106"))
        #expect(codes(result).contains("E135"))
    }

    @Test func policiesCannotMatchOnText() {
        let result = check(baseRules + "\npolicy p { when text contains \"漏水\"\n clock c within 1h until acknowledged }\n")
        #expect(result.diagnostics.contains { $0.code == .unknownField && $0.message.contains("free text") })
    }

    @Test func aRouteAfterOneWithoutConditionNeverMatches() {
        let result = routes("""
        route all { to person zhang-wei }
        route later { when kind = repair; to person li-na }
        """)
        let warnings = result.diagnostics.filter { $0.code == .unreachableRoute }
        #expect(warnings.count == 1)
        #expect(warnings.first?.message.contains("'later' can never match: 'all' comes first and it has no 'when'") == true)
    }

    @Test func aShorterKeywordEarlierTakesTheLongerOnesTickets() {
        // '电' in plumbing catches every text with '电梯困人': the elevator route's keyword never decides.
        let result = routes("""
        route plumbing { when text contains any ["漏水", "电"]; to roster plumbing-oncall }
        route elevator { when text contains any ["电梯困人", "轿厢"]; to person zhang-wei }
        """)
        let warnings = result.diagnostics.filter { $0.code == .unreachableRoute }
        #expect(warnings.map(\.message) == ["keyword '电梯困人' never decides route 'elevator': 'plumbing' comes first and takes every such ticket"])
        #expect(written(warnings[0].range, in: result) == "\"电梯困人\"")
    }

    @Test func everyKeywordCoveredMakesTheRouteUnreachable() {
        let result = routes("""
        route plumbing { when text contains any ["水"]; to roster plumbing-oncall }
        route leak { when text contains any ["漏水", "渗水"] and kind = repair; to person zhang-wei }
        """)
        #expect(result.diagnostics.filter { $0.code == .unreachableRoute }.map(\.message)
            == ["route 'leak' can never match: 'plumbing' comes first and every ticket this one covers is taken there first"])
    }

    @Test func aTeamWithHoursDoesNotShadowTheRoutesAfterIt() {
        // Outside office hours the plumbing team passes its tickets on.
        let result = routes("""
        route day { when kind = repair; to team plumbing }
        route night { when kind = repair; to roster plumbing-oncall }
        """)
        #expect(!result.diagnostics.contains { $0.code == .unreachableRoute })
    }

    @Test func targetsThatReachNobodyAreWarned() {
        let result = check([("r.sla", people + """
        roster nobody { rotate daily at 08:00 }
        route a { when kind = repair; to team empty-team }
        route c { when kind = complaint; to roster nobody }
        """)])
        let messages = result.diagnostics.filter { $0.code == .routeReachesNobody }.map(\.message)
        #expect(messages.contains("route 'a' reaches nobody: team 'empty-team' has no members"))
        #expect(messages.contains("route 'c' reaches nobody: roster 'nobody' has no members"))
    }

    @Test func aModelFileThatCannotBeReadIsAnErrorAtItsPath() {
        let result = routes("""
        route m {
          when kind = repair
          to model "models/trades.model" at least 0.8 else roster plumbing-oncall
        }
        """)
        let error = result.diagnostics.first { $0.code == .modelFileUnreadable }
        #expect(error?.message == "cannot read model file 'models/trades.model'")
        #expect(error.map { written($0.range, in: result) } == "\"models/trades.model\"")
        #expect(result.ruleSet == nil)
    }

    @Test func aBadModelFileIsAnErrorToo() {
        let result = routes("route m { to model \"m.model\" at least 80% else person zhang-wei }",
                            extra: ["m.model": "not a model"])
        #expect(result.diagnostics.contains { $0.code == .modelFileUnreadable && $0.message.hasPrefix("'m.model' is not a model") })
    }

    @Test func aThresholdOutsideZeroToOneIsRefused() {
        let result = routes("route m { to model \"m.model\" at least 1.5 else person zhang-wei }")
        #expect(result.diagnostics.contains { $0.code == .valueOutOfRange && $0.message.contains("'1.5' is not a confidence") })
    }
}
