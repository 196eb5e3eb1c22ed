import Foundation
import SLADaemon
import Testing

/// docs/openapi.yaml describes exactly the routes the server answers.
@Suite struct OpenAPITests {
    /// (method, path) pairs read from the document's `paths:` section.
    static func documented() throws -> Set<String> {
        let text = try String(contentsOf: Slad.root.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        var result = Set<String>()
        var inPaths = false
        var path: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "paths:" { inPaths = true; continue }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":") {
                path = String(line.dropFirst(2).dropLast())
            } else if let path, line.hasPrefix("    "), !line.hasPrefix("     "),
                      let method = ["get:", "post:", "put:", "delete:", "patch:"].first(where: { line.trimmingCharacters(in: .whitespaces) == $0 }) {
                result.insert("\(method.dropLast().uppercased()) \(path)")
            }
        }
        return result
    }

    @Test func documentListsEveryRouteAndNoOther() throws {
        let served = Set(API.routes.map { "\($0.method) \($0.path)" })
        #expect(try Self.documented() == served)
    }

    @Test func everyDocumentedRouteIsAnswered() throws {
        let withKPI = DaemonProcess.fastRules + "\nkpi fast-on-time \"响应及时率\" { measure on-time respond }\n"
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules(withKPI))
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        _ = try daemon.post("/v1/tickets", ["id": "X1", "kind": "repair"])
        // A complaint fires within seconds: its first outbox job stands in for {job}.
        _ = try daemon.post("/v1/tickets", ["id": "X2", "kind": "complaint"])
        try daemon.waitFor("an outbox job", seconds: 30) { try daemon.count("SELECT COUNT(*) FROM outbox") > 0 }
        let job = try daemon.count("SELECT MIN(id) FROM outbox")
        _ = try daemon.post("/v1/incidents", ["id": "E1", "plan": "lift"])
        _ = try daemon.post("/v1/incidents", ["id": "E2", "plan": "lift"])
        for route in try Self.documented().sorted() {
            let parts = route.split(separator: " ")
            // Drop comes after retry in sorted order, and retrying a delivered job is refused: drop first.
            if parts[1].hasSuffix("/retry") { _ = try daemon.request("POST", "/v1/outbox/\(job)/drop") }
            // Closing comes before confirming in sorted order: close another incident.
            let subject = parts[1].hasPrefix("/v1/incidents/") ? (parts[1].hasSuffix("/close") ? "E2" : "E1") : "X1"
            let path = String(parts[1]).replacingOccurrences(of: "{id}", with: subject).replacingOccurrences(of: "{job}", with: "\(job)")
                .replacingOccurrences(of: "{plan}", with: "lift")
            let bodies: [String: [String: Any]] = [
                "events": ["kind": "comment"], "incidents": ["plan": "lift"], "confirm": ["step": "comfort"],
                "raise": ["level": "I"], "close": ["reason": "test"],
            ]
            let last = String(path.split(separator: "/").last ?? "")
            let body = parts[0] == "POST" ? try JSONSerialization.data(withJSONObject: bodies[last] ?? ["kind": "repair"]) : nil
            let reply = try daemon.request(String(parts[0]), path, body: body)
            if parts[1].hasPrefix("/v1/intake/") {
                // These rules have no intake source: the route's own answer, not the router's 404 (IntakeEndToEndTests deliver).
                #expect(reply.status == 404 && reply.text.contains("unknown_source"), "\(route) answered \(reply.status) \(reply.text)")
                continue
            }
            #expect((200..<300).contains(reply.status), "\(route) answered \(reply.status)")
        }
    }
}
