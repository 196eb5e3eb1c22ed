import Foundation
import SLAActions
import SLADaemon
import SLATestSupport
import Testing

/// The public listener over real HTTP with an in-memory desk: what a GET shows and never does, what only
/// the page's own POST does, and every refusal with its status code and page.
@Suite struct ActionPagesTests {
    let token = "AbCdEfGhIjKlMnOpQrStUv-_0123456789"

    func desk(_ state: MemoryDesk.State = .ready, _ view: ActionView = MemoryDesk.view()) -> MemoryDesk {
        let desk = MemoryDesk()
        desk.add(token, view, state: state)
        return desk
    }

    @Test func aGetShowsTheButtonAndChangesNothing() async throws {
        let desk = desk()
        try await PagesServer.with(desk) { server in
            let first = try await server.get("/a/\(token)")
            #expect(first.status == 200)
            #expect(first.body.contains("<button type=\"submit\">接单</button>"))
            #expect(first.body.contains("<form method=\"post\">"))
            #expect(first.body.contains("name=\"check\" value=\"fv-\(String(token.reversed()))\""))
            for text in ["工单 T-20261203-0001", "翠湖花园 3栋 1102", "厨房水管漏水", "2026-12-03 14:30（剩余 2 小时）", "发送给", "王强",
                         "2026-12-04 12:30", "name=\"viewport\""] {
                #expect(first.body.contains(text), "the page lacks \(text)")
            }
            #expect(!first.body.contains("【演练】"))
            let second = try await server.get("/a/\(token)")
            #expect(second.status == 200 && second.body == first.body)
            let head = try await server.request("HEAD", "/a/\(token)")
            #expect(head.status == 200 && head.body.isEmpty)
        }
        #expect(desk.counts.acts == 0 && desk.counts.recorded == 0)
        #expect(desk.counts.looks == 3)
    }

    @Test func thePagesOwnPostActsOnceAndADoubleTapSaysAlreadyDone() async throws {
        let desk = desk()
        try await PagesServer.with(desk) { server in
            let check = "fv-" + String(token.reversed())
            let done = try await server.post("/a/\(token)", check: check,
                                             headers: ["Origin": "null", "Sec-Fetch-Site": "same-origin"])
            #expect(done.status == 200)
            #expect(done.body.contains("已完成：接单") && done.body.contains("已接单，计时已停止"))
            #expect(!done.body.contains("<form"))
            let again = try await server.post("/a/\(token)", check: check, headers: ["Origin": server.base])
            #expect(again.status == 409)
            #expect(again.body.contains("已经处理过了") && again.body.contains("王强 已于 2026-12-03 12:31 处理"))
            let look = try await server.get("/a/\(token)")
            #expect(look.status == 409 && !look.body.contains("<form"))
        }
        #expect(desk.counts.recorded == 1)
    }

    @Test(arguments: [nil, "", "fv-wrong", "fv-" + String("AbCdEfGhIjKlMnOpQrStUv-_012345678".reversed())])
    func aPostWithoutTheRightFormValueIsRefused(check: String?) async throws {
        let desk = desk()
        try await PagesServer.with(desk) { server in
            let reply = try await server.post("/a/\(token)", check: check)
            #expect(reply.status == 403)
            #expect(reply.body.contains("请求未通过校验"))
        }
        #expect(desk.counts.acts == 0)
    }

    @Test(arguments: [["Sec-Fetch-Site": "cross-site"], ["Origin": "https://evil.example"],
                      ["Origin": "https://evil.example", "Sec-Fetch-Site": "same-origin"], ["Origin": "null", "Sec-Fetch-Site": "cross-site"]])
    func aCrossSitePostIsRefused(headers: [String: String]) async throws {
        let desk = desk()
        try await PagesServer.with(desk) { server in
            let reply = try await server.post("/a/\(token)", check: "fv-" + String(token.reversed()), headers: headers)
            #expect(reply.status == 403)
        }
        #expect(desk.counts.acts == 0)
    }

    @Test func forgedAndMalformedTokensGetTheNotValidPageWithoutAskingTheDesk() async throws {
        let desk = desk()
        try await PagesServer.with(desk) { server in
            let forged = try await server.get("/a/AbCdEfGhIjKlMnOpQrStUv-_0123456788")
            #expect(forged.status == 404 && forged.body.contains("链接无效"))
            let post = try await server.post("/a/AbCdEfGhIjKlMnOpQrStUv-_0123456788", check: "fv-x")
            #expect(post.status == 404 && post.body.contains("链接无效"))
            #expect(desk.counts.looks == 1)
            for path in ["/a/" + String(repeating: "A", count: 257), "/a/abc%3Cdef%3E12345", "/a/short", "/a/", "/a/abc.def.ghi.jkl"] {
                let reply = try await server.get(path)
                #expect(reply.status == 404, "\(path)")
                #expect(reply.body.contains("链接无效"))
            }
            #expect(desk.counts.looks == 1, "a malformed token reached the desk")
            let elsewhere = try await server.get("/v1/tickets")
            #expect(elsewhere.status == 404 && elsewhere.body.contains("页面不存在"))
            #expect(try await server.get("/healthz").status == 404)
        }
        #expect(desk.counts.acts == 0)
    }

    @Test func anExpiredLinkIs410AndAReusedOne409() async throws {
        let expired = desk(.expired)
        try await PagesServer.with(expired) { server in
            let get = try await server.get("/a/\(token)")
            #expect(get.status == 410 && get.body.contains("链接已过期") && get.body.contains("2026-12-04 12:30"))
            let post = try await server.post("/a/\(token)", check: "fv-" + String(token.reversed()))
            #expect(post.status == 410)
        }
        let used = desk(.done(by: "李娜", at: "2026-12-03 09:12"))
        try await PagesServer.with(used) { server in
            let get = try await server.get("/a/\(token)")
            #expect(get.status == 409 && get.body.contains("李娜 已于 2026-12-03 09:12 处理"))
        }
        #expect(expired.counts.recorded == 0 && used.counts.recorded == 0)
    }

    @Test func aLinkThatNoLongerAppliesShowsWhyAndNoButton() async throws {
        let closed = desk(.notApplicable("工单已关闭"))
        try await PagesServer.with(closed) { server in
            let get = try await server.get("/a/\(token)")
            #expect(get.status == 409 && get.body.contains("工单已关闭"), "\(get.body)")
            #expect(!get.body.contains("<form") && !get.body.contains("<button"), "\(get.body)")
        }
        #expect(closed.counts.acts == 0)
    }

    @Test func otherMethodsAre405() async throws {
        try await PagesServer.with(desk()) { server in
            for method in ["PUT", "DELETE", "PATCH"] {
                let reply = try await server.request(method, "/a/\(token)")
                #expect(reply.status == 405, "\(method)")
                #expect(reply.header("Allow") == "GET, HEAD, POST")
            }
        }
    }

    @Test func theRateLimitAnswers429WithRetryAfter() async throws {
        var configuration = PublicListenerConfiguration(port: 0)
        configuration.burst = 3
        configuration.perMinute = 6
        let desk = desk()
        let clock = ResultBox<Double>()
        clock.set(1000)
        try await PagesServer.with(desk, configuration: configuration, monotonic: { clock.get() ?? 0 }) { server in
            for _ in 0..<3 { #expect(try await server.get("/a/\(token)").status == 200) }
            let limited = try await server.get("/a/\(token)")
            #expect(limited.status == 429)
            #expect(limited.header("Retry-After") == "10")
            #expect(limited.body.contains("请求过于频繁"))
            #expect(try await server.post("/a/\(token)", check: "fv-" + String(token.reversed())).status == 429)
            clock.set(1010)
            #expect(try await server.get("/a/\(token)").status == 200, "one request refilled after Retry-After")
            #expect(try await server.get("/a/\(token)").status == 429)
        }
        #expect(desk.counts.looks == 4 && desk.counts.acts == 0)
    }

    @Test func aLargeBodyIs413() async throws {
        let desk = desk()
        try await PagesServer.with(desk) { server in
            let check = "fv-" + String(token.reversed())
            let reply = try await server.request("POST", "/a/\(token)", body: "check=\(check)&pad=" + String(repeating: "x", count: 8 * 1024))
            #expect(reply.status == 413)
            #expect(reply.body.contains("请求过大"))
        }
        #expect(desk.counts.acts == 0)
    }

    @Test func hostileTextInTheViewIsEscaped() async throws {
        let hostile = ActionView(action: .confirm, subject: "<script>alert(1)</script>", isDrill: true, place: "\"><img src=x onerror=alert(2)>",
                                 summary: "{{title}} {{{heading}}} ' & </dd>", stepTitle: "到场 <b>", deadline: nil, timeLeft: "已超时 5 分钟",
                                 sentTo: "王强\"'", expires: "{{#drill}}x{{/drill}}")
        try await PagesServer.with(desk(.ready, hostile)) { server in
            let page = try await server.get("/a/\(token)")
            #expect(page.status == 200)
            #expect(!page.body.contains("<script>") && !page.body.contains("<img") && !page.body.contains("<b>"))
            #expect(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(page.body.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"))
            #expect(page.body.contains("{{title}} {{{heading}}} &#39; &amp; &lt;/dd&gt;"))
            #expect(page.body.contains("王强&quot;&#39;") && page.body.contains("{{#drill}}x{{/drill}}"))
            #expect(page.body.contains("【演练】 这是演练"))
            #expect(page.body.contains("<button type=\"submit\">确认完成</button>"))
        }
    }

    @Test func everyAnswerCarriesTheSecurityHeaders() async throws {
        try await PagesServer.with(desk()) { server in
            let replies = [try await server.get("/a/\(token)"), try await server.get("/a/nope-nope-nope"), try await server.get("/"),
                           try await server.post("/a/\(token)", check: nil), try await server.request("PUT", "/a/\(token)")]
            for reply in replies {
                #expect(reply.header("Cache-Control") == "no-store")
                #expect(reply.header("Referrer-Policy") == "no-referrer")
                #expect(reply.header("Content-Security-Policy")
                    == "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
                #expect(reply.header("X-Content-Type-Options") == "nosniff")
                #expect(reply.header("Content-Type") == "text/html; charset=utf-8")
            }
        }
    }

    @Test func theTokenNeverReachesALogEvenAtTrace() async throws {
        let capture = LogCapture()
        let desk = desk()
        var configuration = PublicListenerConfiguration(port: 0)
        configuration.burst = 8
        try await PagesServer.with(desk, configuration: configuration, logger: capture.logger()) { server in
            let check = "fv-" + String(token.reversed())
            _ = try await server.get("/a/\(token)?utm=\(token)")
            _ = try await server.request("HEAD", "/a/\(token)")
            _ = try await server.post("/a/\(token)", check: "wrong")
            _ = try await server.post("/a/\(token)", check: check)
            _ = try await server.request("DELETE", "/a/\(token)")
            _ = try await server.request("POST", "/a/\(token)", body: String(repeating: "y", count: 9000))
            _ = try await server.get("/a/\(token)x")
            _ = try await server.get("/a/\(token)", headers: ["X-Forwarded-For": token])
            _ = try await server.get("/a/\(token)")   // the ninth: rate limited
        }
        let lines = capture.lines
        #expect(lines.count > 9, "the capture saw \(lines.count) records: is the logger wired?")
        #expect(lines.contains { $0.contains("action page") && $0.contains("429") }, "\(lines.filter { $0.contains("action page") })")
        let leaks = lines.filter { $0.contains(token) || $0.contains(String(token.reversed())) || $0.contains(String(token.prefix(16))) }
        #expect(leaks.isEmpty, "the token is in the log:\n\(leaks.joined(separator: "\n"))")
    }
}

/// Connections that say nothing are cut off after the idle timeout (a phone needs a second or two).
@Suite struct PublicListenerConnectionTests {
    @Test func anIdleConnectionIsClosed() async throws {
        var configuration = PublicListenerConfiguration(port: 0)
        configuration.idleTimeoutSeconds = 1
        try await PagesServer.with(MemoryDesk(), configuration: configuration) { server in
            let closed = try await Chromium.onThread { try IdleSocket.waitForClose(port: server.port, seconds: 30) }
            #expect(closed, "the listener kept a silent connection open for 30 s")
        }
    }
}
