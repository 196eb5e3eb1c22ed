import Foundation
import SLADaemon
import Testing

/// What docs/openapi.yaml promises beyond its routes (issue 19), against the real server: a method a path
/// does not have is 405 with `Allow`, an empty required text is refused naming its field, and every
/// refusal has the document's error body. scripts/api-contract runs schemathesis on the whole document.
@Suite struct APIContractTests {
    /// The `error` object of a refusal, checked against the document's ErrorDetail: `code` and `message`
    /// strings, `field` a string when present, nothing else but `refused`.
    static func errorDetail(_ reply: DaemonProcess.Reply) -> [String: Any]? {
        guard reply.object.count == 1, let detail = reply.object["error"] as? [String: Any],
              detail["code"] is String, detail["message"] is String,
              detail["field"] == nil || detail["field"] is String,
              Set(detail.keys).isSubset(of: ["code", "message", "field", "refused"]) else { return nil }
        return detail
    }

    @Test func aMethodAKnownPathDoesNotHaveIs405WithAllow() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules())
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        let cases: [(method: String, path: String, allow: String)] = [
            ("PUT", "/v1/tickets/T1", "GET, HEAD"), ("DELETE", "/v1/tickets", "GET, HEAD, POST"),
            ("GET", "/v1/tickets/batch", "POST"), ("PATCH", "/healthz", "GET, HEAD"),
            ("GET", "/v1/outbox/7/retry", "POST"), ("DELETE", "/v1/intake/hotline", "POST"),
        ]
        for (method, path, allow) in cases {
            // Without a token too: no handler runs, and the paths and methods are public.
            for token in [nil, ""] as [String?] {
                let reply = try daemon.request(method, path, token: token)
                #expect(reply.status == 405, "\(method) \(path) answered \(reply.status) \(reply.text)")
                #expect(reply.header("Allow") == allow, "\(method) \(path): Allow \(reply.header("Allow") ?? "none")")
                #expect(Self.errorDetail(reply)?["code"] as? String == "method_not_allowed", "\(reply.text)")
                #expect(reply.header("Content-Type") == "application/json; charset=utf-8")
            }
        }
        // HEAD answers each GET route, as the Allow header says.
        #expect(try daemon.request("HEAD", "/healthz").status == 200)
        #expect(try daemon.request("HEAD", "/v1/tickets").status == 200)
        // An unknown path is the API's 404 for whoever may read; a write to it still needs a token first.
        let unknown = try daemon.request("GET", "/v1/nothing")
        #expect(unknown.status == 404 && Self.errorDetail(unknown)?["code"] as? String == "not_found", "\(unknown.status) \(unknown.text)")
        #expect(try daemon.request("POST", "/v1/nothing", token: "").status == 401)
    }

    /// The Allow header lists exactly the methods the document gives each path (HEAD with GET).
    @Test func allowSaysWhatTheDocumentSays() throws {
        var documented: [String: Set<String>] = [:]
        for route in try OpenAPITests.documented() {
            let parts = route.split(separator: " ")
            documented[String(parts[1]), default: []].insert(String(parts[0]))
        }
        for (path, methods) in documented {
            let concrete = path.replacingOccurrences(of: "{", with: "x").replacingOccurrences(of: "}", with: "")
            let allowed = API.allowedMethods(forPath: concrete)
            #expect(allowed?.template == path, "\(concrete) resolved to \(allowed?.template ?? "nothing")")
            #expect(allowed.map { Set($0.methods) } == methods.union(methods.contains("GET") ? ["HEAD"] : []), "\(path)")
        }
        #expect(API.allowedMethods(forPath: "/v1/tickets/T1/nothing") == nil)
    }

    @Test func anEmptyRequiredTextIsRefusedNamingItsField() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules())
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        #expect(try daemon.post("/v1/tickets", ["id": "T1", "kind": "repair"]).status == 201)
        #expect(try daemon.post("/v1/incidents", ["id": "E1", "plan": "lift"]).status == 201)
        let cases: [(path: String, body: [String: Any], code: String, field: String)] = [
            ("/v1/tickets", ["id": "", "kind": "repair"], "invalid_ticket", "id"),
            ("/v1/tickets", ["kind": "repair", "created": ""], "invalid_ticket", "created"),
            ("/v1/tickets/T1/events", ["kind": "comment", "at": ""], "invalid_event", "at"),
            ("/v1/incidents", ["plan": ""], "invalid_incident", "plan"),
            ("/v1/incidents/E1/confirm", ["step": ""], "invalid_event", "step"),
            ("/v1/incidents/E1/close", ["reason": ""], "invalid_event", "reason"),
        ]
        for (path, body, code, field) in cases {
            let reply = try daemon.post(path, body)
            #expect(reply.status == 422, "\(path) \(body) answered \(reply.status) \(reply.text)")
            let detail = Self.errorDetail(reply)
            #expect(detail?["code"] as? String == code && detail?["field"] as? String == field, "\(path) \(body): \(reply.text)")
        }
        // Nothing was changed by the refusals.
        #expect(try daemon.count("SELECT COUNT(*) FROM ticket") == 1)
        #expect(try daemon.count("SELECT COUNT(*) FROM incident") == 1)
    }

    /// A month outside the days slad counts (DayDate: 1900 to 9999) is a 400 naming `period`, not a crash:
    /// schemathesis's seed 7 sent `period=1126-07` and the daemon died on a force unwrap.
    @Test func aMonthOutsideTheCalendarOrASpanOfCenturiesIsRefused() throws {
        let withKPI = DaemonProcess.fastRules + "\nkpi fast-on-time \"响应及时率\" { measure on-time respond }\n"
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules(withKPI))
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        for period in ["1126-07", "0000-01", "9999-12"] {
            let reply = try daemon.request("GET", "/v1/reports/kpi?period=\(period)")
            #expect(reply.status == 400 && Self.errorDetail(reply)?["field"] as? String == "period", "\(period): \(reply.status) \(reply.text)")
        }
        // A span of centuries held a core for minutes (seed 1): the daemon reports on a year at most.
        let centuries = try daemon.request("GET", "/v1/reports/kpi?from=1900-01-01&to=9999-12-31")
        #expect(centuries.status == 400 && Self.errorDetail(centuries)?["field"] as? String == "to", "\(centuries.status) \(centuries.text)")
        #expect(try daemon.request("GET", "/v1/reports/kpi?from=2024-01-01&to=2024-12-31").status == 200)
        #expect(try daemon.request("GET", "/v1/reports/kpi?period=9999-11").status == 200)
        #expect(try daemon.request("GET", "/v1/reports/kpi?period=1900-01").status == 200)
        #expect(try daemon.request("GET", "/healthz").status == 200)
    }
}
