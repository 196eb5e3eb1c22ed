import Testing
@testable import SLARules

/// `site … { households N }` and `repeats { within D }`: the model they fill, and a diagnostic for every
/// way to get them wrong, with its place and what is valid.
@Suite struct SiteAndRepeatsTests {
    /// The diagnostics but the unused-definition warnings for `baseRules`.
    func found(_ result: CheckResult) -> [Diagnostic] {
        result.diagnostics.filter { $0.code != .unusedDefinition }
    }

    func rules(_ text: String) -> CheckResult {
        check(baseRules + "\n" + text + "\n")
    }

    /// `baseRules` is 7 lines and a newline: the text under test starts on line 8.
    func place(_ result: CheckResult, _ diagnostic: Diagnostic) -> (Int, Int) {
        let location = result.location(of: diagnostic.range)
        return (location.line, location.column)
    }

    @Test func sitesAreReadWithTitleAndHouseholds() throws {
        let result = rules("""
        site 翠湖花园 { households 1200 }
        site yangguang "阳光花园" {
          households 860
        }
        site 金桂苑
        """)
        #expect(found(result).isEmpty, "\(result.diagnostics)")
        let sites = try #require(result.ruleSet?.sites)
        #expect(sites.count == 3)
        #expect(sites["翠湖花园"]?.households == 1200)
        #expect(sites["翠湖花园"]?.title == nil)
        #expect(sites["yangguang"]?.title == "阳光花园")
        #expect(sites["yangguang"]?.households == 860)
        #expect(sites["金桂苑"]?.households == nil)
        #expect(result.location(of: try #require(sites["yangguang"]).location).line == 9)
    }

    @Test(arguments: [("0", "E115"), ("1000001", "E115"), ("many", "E003"), ("-5", "E003")])
    func householdsOutOfRange(_ value: String, _ code: String) throws {
        let result = rules("site 翠湖花园 { households \(value) }")
        let diagnostic = try #require(found(result).first)
        #expect(found(result).map(\.code.rawValue) == [code], "\(result.diagnostics)")
        #expect(place(result, diagnostic) == (8, 24))
        if code == "E115" {
            #expect(diagnostic.message == "'\(value)' is not a number of households")
            #expect(diagnostic.hint == "write a whole number from 1 to 1000000, such as 'households 1200'", "\(diagnostic)")
        } else {
            #expect(diagnostic.message.contains("the number of households"), "\(diagnostic)")
        }
        #expect(result.ruleSet == nil, "rules with errors are not loaded")
    }

    @Test func duplicateSiteNamesTheFirst() throws {
        let result = rules("site 翠湖花园 { households 1200 }\nsite 翠湖花园 { households 900 }")
        #expect(found(result).map(\.code.rawValue) == ["E101"])
        let diagnostic = try #require(found(result).first)
        #expect(diagnostic.message == "site '翠湖花园' is declared twice")
        #expect(place(result, diagnostic) == (9, 6))
        #expect(result.location(of: try #require(diagnostic.related)).line == 8)
    }

    @Test func householdsTwiceAndUnknownStatement() throws {
        let result = rules("site 翠湖花园 {\n  households 1200\n  households 900\n  housholds 5\n}")
        #expect(found(result).map(\.code.rawValue) == ["E107", "E003"])
        #expect(place(result, found(result)[0]) == (10, 3))
        #expect(found(result)[1].hint?.contains("households") == true)
    }

    @Test func aTitleNamingAnotherSiteWarns() throws {
        let result = rules("site 翠湖花园 { households 1200 }\nsite cuihu \"翠湖花园\" { households 1200 }")
        #expect(found(result).map(\.code.rawValue) == ["W018"])
        let diagnostic = try #require(found(result).first)
        #expect(place(result, diagnostic) == (9, 6))
        #expect(diagnostic.hint?.contains("count for '翠湖花园' only") == true)
        #expect(result.ruleSet?.sites["cuihu"]?.households == 1200, "a warning: the rules load")
    }

    @Test func repeatsIsRead() throws {
        let result = rules("repeats { within 30d }")
        #expect(found(result).isEmpty, "\(result.diagnostics)")
        let settings = try #require(result.ruleSet?.repeats)
        #expect(settings.withinSeconds == 30 * 86_400)
        #expect(result.location(of: settings.location).line == 8)
        #expect(check(baseRules).ruleSet?.repeats == nil)
    }

    @Test(arguments: ["12h", "366d", "0d"])
    func withinOutOfRange(_ value: String) throws {
        let result = rules("repeats { within \(value) }")
        #expect(found(result).map(\.code.rawValue) == ["E115"], "\(result.diagnostics)")
        let diagnostic = try #require(found(result).first)
        #expect(place(result, diagnostic) == (8, 18))
        #expect(diagnostic.hint == "'within' takes 1d to 365d, such as 'within 30d'")
        #expect(result.ruleSet == nil)
    }

    @Test func aSecondRepeatsBlockNamesTheFirst() throws {
        let result = rules("repeats { within 30d }\nrepeats { within 7d }")
        #expect(found(result).map(\.code.rawValue) == ["E101"])
        let diagnostic = try #require(found(result).first)
        #expect(diagnostic.message == "a second 'repeats' block")
        #expect(place(result, diagnostic) == (9, 1))
        #expect(result.location(of: try #require(diagnostic.related)).line == 8)
    }

    @Test func repeatsWithoutWithinOrBlock() throws {
        #expect(found(rules("repeats { }")).map(\.code.rawValue) == ["E106"])
        #expect(found(rules("repeats")).map(\.code.rawValue) == ["E003"])
        #expect(found(rules("repeats { within 30d; within 7d }")).map(\.code.rawValue) == ["E107"])
        #expect(found(rules("repeats { within 30x }")).map(\.code.rawValue) == ["E005"])
    }
}

/// `RuleSet.site(named:)` and `totalHouseholds`, for KPIs per 100 households.
@Suite struct SiteLookupTests {
    @Test func ticketsNameASiteByItsNameOrTitle() throws {
        let result = check(baseRules + "\nsite 翠湖花园 { households 1200 }\nsite yangguang \"阳光花园\" { households 860 }\nsite 金桂苑\n")
        let rules = try #require(result.ruleSet)
        #expect(rules.site(named: "翠湖花园")?.households == 1200)
        #expect(rules.site(named: "yangguang")?.name == "yangguang")
        #expect(rules.site(named: "阳光花园")?.name == "yangguang")
        #expect(rules.site(named: "金桂苑")?.households == nil)
        #expect(rules.site(named: "碧水湾") == nil)
        #expect(rules.totalHouseholds == 2060)
        #expect(check(baseRules).ruleSet?.totalHouseholds == nil)
    }
}
