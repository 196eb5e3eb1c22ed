import Testing
@testable import SLARules

/// `links { … }`: the settings, their defaults, and a diagnostic for every way to get them wrong.
@Suite struct LinksConstructTests {
    func links(_ body: String) -> CheckResult {
        check(baseRules + "\nlinks {\n\(body)\n}\n")
    }

    /// The diagnostics but the unused-definition warnings for `baseRules`.
    func found(_ result: CheckResult) -> [Diagnostic] {
        result.diagnostics.filter { $0.code != .unusedDefinition }
    }

    func codes(_ result: CheckResult) -> [String] {
        found(result).map(\.code.rawValue)
    }

    @Test func readsEverySettingIntoTheRuleSet() throws {
        let result = links("""
          base-url "https://WY.example.com:8443/slad/"
          key credential action-key
          old-key env SLAD_OLD_ACTION_KEY
          old-key credential older-key
          expire 2d
        """)
        #expect(result.errorCount == 0, "\(result.diagnostics)")
        let settings = try #require(result.ruleSet?.links)
        #expect(settings.baseURL == "https://wy.example.com:8443/slad")
        #expect(settings.key == .credential("action-key"))
        #expect(settings.oldKeys == [.environment("SLAD_OLD_ACTION_KEY"), .credential("older-key")])
        #expect(settings.expireSeconds == 2 * 86_400)
        #expect(result.location(of: settings.location).line == 8)
    }

    @Test func defaultsAndNoBlockAtAll() throws {
        let result = links("base-url \"https://wy.example.com\"\nkey env SLAD_ACTION_KEY")
        let settings = try #require(result.ruleSet?.links)
        #expect(settings.expireSeconds == 86_400)
        #expect(settings.oldKeys.isEmpty)
        #expect(check(baseRules).ruleSet?.links == nil)
    }

    @Test(arguments: ["http://127.0.0.1:8088", "http://localhost:8088/slad", "http://[::1]:8088", "https://10.0.0.5", "https://wy.example.com/a/b/"])
    func acceptedBaseURLs(_ url: String) throws {
        let result = links("base-url \"\(url)\"\nkey env K")
        #expect(result.errorCount == 0, "\(result.diagnostics)")
        #expect(result.ruleSet?.links?.baseURL.hasSuffix("/") == false)
    }

    @Test(arguments: [
        ("wy.example.com/slad", "is not an absolute http(s) URL"),
        ("ftp://wy.example.com", "is not an absolute http(s) URL"),
        ("https://", "is not a host name"),
        ("https:///slad", "is not a host name"),
        ("https://wy.example.com:0/slad", "is not a host name"),
        ("https://wy.example.com:http", "is not a host name"),
        ("https://wy.example.com/slad?key=1", "has a query"),
        ("https://wy.example.com/slad#top", "has a fragment"),
        ("https://admin:pw@wy.example.com/slad", "user name or password"),
        ("https://wy.example.com/my slad", "contains a space"),
        ("https://wy.example.com/\"x", "contains '\"'"),
        ("https://wy.example.com/(x)", "contains '('"),
        ("https://翠苑.example.com", "(not ASCII)"),
    ])
    func refusedBaseURLs(_ url: String, _ message: String) throws {
        let result = links("base-url \"\(url.replacingOccurrences(of: "\"", with: "\\\""))\"\nkey env K")
        #expect(codes(result) == ["E120"])
        let diagnostic = try #require(found(result).first)
        #expect(diagnostic.message.contains(message), "\(diagnostic.message)")
        #expect(diagnostic.hint != nil)
        #expect(result.location(of: diagnostic.range).line == 9 && result.location(of: diagnostic.range).column == 10)
    }

    @Test(arguments: ["http://wy.example.com/slad", "http://10.0.0.5:8088", "http://127.0.0.2"])
    func plainHTTPOnlyOnLoopback(_ url: String) throws {
        let result = links("base-url \"\(url)\"\nkey env K")
        #expect(codes(result) == ["E121"])
        let diagnostic = try #require(found(result).first)
        #expect(diagnostic.message.contains("in the clear"))
        #expect(diagnostic.hint?.contains("TLS reverse proxy") == true)
        #expect(diagnostic.hint?.contains("https://") == true)
    }

    @Test func keysAreReferencesOnly() throws {
        let result = links("base-url \"https://wy.example.com\"\nkey \"literal-key\"\nold-key 12345")
        #expect(codes(result) == ["E105", "E105"])
        #expect(found(result)[0].message == "'key' is a secret and must not be written in the rules")
        #expect(found(result)[1].message == "'old-key' is a secret and must not be written in the rules")
        #expect(found(result)[0].hint?.contains("key credential NAME") == true)
    }

    /// A first-time author's `key SLAD_ACTION_KEY`: the variable's name without `env`.
    @Test func aBareNameIsOfferedAsAReference() throws {
        let result = links("base-url \"https://a.example\"\nkey SLAD_ACTION_KEY")
        #expect(codes(result) == ["E105"])
        #expect(found(result).first?.hint == "did you mean 'key env SLAD_ACTION_KEY' (an environment variable) or "
            + "'key credential SLAD_ACTION_KEY' (LoadCredential= in the unit)?")
    }

    @Test func requiredSettingsAreReportedOnceEach() throws {
        let result = links("expire 1h")
        #expect(codes(result) == ["E106", "E106"])
        #expect(found(result).map(\.message) == ["the links block has no 'base-url'", "the links block has no 'key'"])
        // A key that is there but refused is reported for its value, not again as missing.
        #expect(codes(links("base-url \"https://a.example\"\nkey \"x\"")) == ["E105"])
    }

    @Test(arguments: [("4m", "E115"), ("31d", "E115"), ("5m", nil), ("30d", nil), ("soon", "E003"), ("3x", "E005")])
    func expireBounds(_ text: String, _ code: String?) {
        let result = links("base-url \"https://a.example\"\nkey env K\nexpire \(text)")
        #expect(codes(result) == (code.map { [$0] } ?? []), "\(found(result))")
    }

    @Test func repeatedSettingsAndUnknownOnes() throws {
        let result = links("base-url \"https://a.example\"\nbase-url \"https://b.example\"\nkey env K\nkey env L\nexpires 1h")
        #expect(codes(result) == ["E107", "E107", "E003"])
        #expect(found(result)[2].hint == "did you mean 'expire'?")
    }

    @Test func anOldKeyThatIsTheKeyIsAWarning() throws {
        let result = links("base-url \"https://a.example\"\nkey env K\nold-key env K\nold-key env OLD\nold-key env OLD")
        #expect(codes(result) == ["W010", "W010"])
        #expect(found(result)[0].message == "this 'old-key' is the same secret as the current 'key'")
        #expect(found(result)[1].message == "this 'old-key' is the same secret as an earlier 'old-key'")
        #expect(found(result)[0].related.map { result.location(of: $0).line } == 10)
        #expect(result.ruleSet?.links != nil)
    }

    @Test func aSecondBlockAnywhereNamesTheFirst() throws {
        let firstBlock = "links { base-url \"https://a.example\"; key env K }\n"
        let result = check([("a.sla", baseRules + "\n" + firstBlock), ("b.sla", "links {\n  base-url \"https://b.example\"\n  key env K\n}\n")])
        #expect(codes(result) == ["E101"])
        let diagnostic = try #require(found(result).first)
        #expect(diagnostic.message == "a second 'links' block")
        #expect(result.location(of: diagnostic.range).file == "b.sla")
        let first = try #require(diagnostic.related.map(result.location))
        #expect(first.file == "a.sla" && first.line == 8 && first.column == 1)
    }

    @Test func theBlockHasNoNameAndNeedsBraces() {
        #expect(codes(check(baseRules + "\nlinks public { base-url \"https://a.example\"; key env K }")) == ["E003"])
        #expect(codes(check(baseRules + "\nlinks")) == ["E003"])
    }

    @Test func actionsPlaceholderBelongsInTheBodyNotTheTitle() throws {
        let body = check(baseRules + "\ntemplate t { title \"【超时】\"; body \"{ticket.text}\\n{actions}\" }\ntemplate u \"{ticket.unit}{actions}\"")
        #expect(codes(body) == [])
        let title = check(baseRules + "\ntemplate t {\n  title \"【超时】{actions}\"\n  body \"{ticket.text}\"\n}")
        #expect(codes(title) == ["E126"])
        let diagnostic = try #require(found(title).first { $0.code == .actionsInTitle })
        #expect(title.location(of: diagnostic.range).line == 9 && title.location(of: diagnostic.range).column == 9)
        #expect(diagnostic.hint?.contains("body") == true)
    }
}
