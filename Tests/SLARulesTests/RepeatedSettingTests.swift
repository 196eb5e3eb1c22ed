import Testing
@testable import SLARules

/// A setting given twice is one E107 at the repeat, pointing back at the first; a rejected setting is
/// reported once, for what is wrong with it.
@Suite struct RepeatedSettingTests {
    /// The one diagnostic of a result, as `code line:column`, and where its note points (if anywhere).
    private func only(_ result: CheckResult) -> (String, String?)? {
        guard result.diagnostics.count == 1, let diagnostic = result.diagnostics.first else { return nil }
        func place(_ range: SourceRange) -> String {
            let location = result.location(of: range)
            return "\(location.line):\(location.column)"
        }
        return ("\(diagnostic.code.rawValue) \(place(diagnostic.range))", diagnostic.related.map(place))
    }

    /// A policy that uses `channel` and nothing else, so a correct channel leaves no diagnostics at all.
    private func usedBy(_ channel: String) -> String {
        """
        \(channel)
        policy p { clock respond within 1h until acknowledged
          escalate { at respond notify assignee via ops } }
        """
    }

    @Test func personNameTwice() throws {
        let result = check("""
        person zhang-wei {
          name "张伟"
          name "张卫"
        }
        team cs { members zhang-wei }
        policy p { team cs; clock respond within 1h until acknowledged }
        """)
        let found = try #require(only(result), "\(result.diagnostics)")
        #expect(found.0 == "E107 3:3")
        #expect(found.1 == "2:3")
        #expect(result.diagnostics[0].message == "'name' is given twice")
    }

    @Test func personContactTwiceMatchesTheOtherRepeats() throws {
        let result = check("""
        person zhang-wei { phone "+8613800000001"; phone "+8613800000002" }
        team cs { members zhang-wei }
        policy p { team cs; clock respond within 1h until acknowledged }
        """)
        let found = try #require(only(result), "\(result.diagnostics)")
        #expect(found.0 == "E107 1:44")
        #expect(found.1 == "1:20")
    }

    @Test(arguments: [
        ("title \"一\"\n  title \"二\"\n  body \"正文\"", "E107 3:3", "2:3"),
        ("title \"一\"\n  body \"正文\"\n  body \"另一个\"", "E107 4:3", "3:3"),
    ])
    func templateTitleOrBodyTwice(_ block: String, _ expected: String, _ first: String) throws {
        let result = check("""
        template t {
          \(block)
        }
        channel ops log {}
        policy p { clock respond within 1h until acknowledged
          escalate { at respond notify assignee via ops using t } }
        """)
        let found = try #require(only(result), "\(result.diagnostics)")
        #expect(found.0 == expected)
        #expect(found.1 == first)
    }

    /// The clock is still defined (the first `from`/`until` counts), so its step raises nothing more.
    @Test(arguments: [
        ("clock respond within 1h from assigned from created until acknowledged", "E107 2:50", "2:36"),
        ("clock respond within 1h until acknowledged until resolved", "E107 2:55", "2:36"),
    ])
    func clockFromOrUntilTwice(_ clock: String, _ expected: String, _ first: String) throws {
        let result = check("""
        channel ops log {}
        policy p { \(clock)
          escalate { at respond notify assignee via ops } }
        """)
        let found = try #require(only(result), "\(result.diagnostics)")
        #expect(found.0 == expected)
        #expect(found.1 == first)
    }

    @Test(arguments: [
        ("channel ops wecom { key \"abc123\" }", "E105 1:25"),
        ("channel ops dingtalk { token \"abc123\" }", "E105 1:30"),
        ("channel ops feishu { hook \"https://open.feishu.cn/hook/abc\" }", "E105 1:27"),
        ("channel ops webhook { url \"https://example.com/hook?key=abc\" }", "E105 1:27"),
        ("channel ops sms-http { url \"http://127.0.0.1/send?token=abc\" }", "E105 1:28"),
    ])
    func rejectedRequiredSettingIsOneError(_ channel: String, _ expected: String) throws {
        let result = check(usedBy(channel))
        #expect(result.diagnostics.count == 1, "\(result.diagnostics)")
        let found = try #require(only(result))
        #expect(found.0 == expected)
        #expect(!codes(result).contains("E106"))
    }

    @Test func missingRequiredSettingIsStillReported() throws {
        let result = check(usedBy("channel ops wecom { url \"https://example.com/hook\" }"))
        let found = try #require(only(result), "\(result.diagnostics)")
        #expect(found.0 == "E106 1:9")
    }

    @Test func channelSettingTwicePointsAtTheFirst() throws {
        let result = check(usedBy("channel ops wecom { key env A; key env B }"))
        let found = try #require(only(result), "\(result.diagnostics)")
        #expect(found.0 == "E107 1:32")
        #expect(found.1 == "1:21")
        #expect(result.ruleSet == nil)
    }
}
