import Foundation
import SLADaemon
import Testing

/// Tokens and roles against the real `slad serve` (docs/security.md): every operation of docs/openapi.yaml
/// called with no token, a read, an operate and an admin token, on an address off loopback.
@Suite(.serialized) struct AccessTests {
    static let readToken = "grafana-\(UUID().uuidString)"
    static let operateToken = "desk-\(UUID().uuidString)"
    static let adminToken = "ops-\(UUID().uuidString)"

    /// A tokens file with one token of each role (the daemon's own `--token-env` token is the admin `default`).
    static func tokensFile() throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("slad-tokens-\(UUID().uuidString)")
        try "# test tokens\ngrafana read \(readToken)\ndesk operate \(operateToken)\nops admin \(adminToken)\n"
            .write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// An IPv4 address of this machine that is not loopback, if it has one: binding there is the real
    /// "off loopback" case. Without one, the read rule is covered by AccessPolicyTests' injected decision.
    static func offLoopbackAddress() -> String? {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return nil }
        defer { freeifaddrs(list) }
        for entry in sequence(first: first, next: { $0.pointee.ifa_next }) {
            guard let address = entry.pointee.ifa_addr, address.pointee.sa_family == sa_family_t(AF_INET) else { continue }
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            guard getnameinfo(address, socklen_t(MemoryLayout<sockaddr_in>.size), &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0
            else { continue }
            let text = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if !AccessPolicy.isLoopback(text) { return text }
        }
        return nil
    }

    /// Each documented operation and the `x-slad-role` the document gives it.
    static func documentedRoles() throws -> [String: String] {
        let text = try String(contentsOf: Slad.root.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        var roles: [String: String] = [:]
        var operation: String?
        var path: String?
        for line in text.split(separator: "\n").drop(while: { $0 != "paths:" }) {
            if line.hasPrefix("  /"), line.hasSuffix(":") { path = String(line.dropFirst(2).dropLast()) }
            if let path, line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                operation = "\(line.trimmingCharacters(in: .whitespaces).dropLast().uppercased()) \(path)"
            }
            if let operation, line.hasPrefix("      x-slad-role: ") { roles[operation] = String(line.dropFirst(19)) }
        }
        return roles
    }

    @Test func everyOperationStatesTheRoleTheServerEnforces() throws {
        let roles = try Self.documentedRoles()
        #expect(Set(roles.keys) == Set(API.routes.map { "\($0.method) \($0.path)" }), "every operation needs an x-slad-role")
        for route in API.routes {
            #expect(roles["\(route.method) \(route.path)"] == (API.requiredRole(method: route.method, path: route.path)?.rawValue ?? "none"),
                    "\(route.method) \(route.path)")
        }
    }

    @Test func everyOperationRefusesCallersBelowItsRole() throws {
        let host = Self.offLoopbackAddress()
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules(),
                                       extra: ["--tokens-file", try Self.tokensFile().path] + (host.map { ["--host", $0] } ?? []))
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        let callers: [(name: String, token: String, role: Int)] = [
            ("no token", "", 0), ("read", Self.readToken, 1), ("operate", Self.operateToken, 2), ("admin", Self.adminToken, 3),
        ]
        let levels = ["none": 0, "read": 1, "operate": 2, "admin": 3]
        for (operation, role) in try Self.documentedRoles().sorted(by: { $0.key < $1.key }) {
            let parts = operation.split(separator: " ").map(String.init)
            let path = parts[1].replacingOccurrences(of: "{id}", with: "X1").replacingOccurrences(of: "{job}", with: "1")
                .replacingOccurrences(of: "{plan}", with: "lift")
            let needed = levels[role] ?? 3
            for caller in callers {
                let reply = try daemon.request(parts[0], path, body: parts[0] == "POST" ? Data("{}".utf8) : nil, token: caller.token)
                let expected: Int? = caller.role >= needed || (needed == 1 && caller.role == 0 && host == nil) ? nil
                    : caller.role == 0 ? 401 : 403
                if let expected {
                    #expect(reply.status == expected, "\(operation) with \(caller.name): \(reply.status) \(reply.text)")
                    #expect((reply.object["error"] as? [String: Any])?["code"] as? String == (expected == 401 ? "unauthorized" : "forbidden"))
                } else {
                    #expect(reply.status != 401 && reply.status != 403, "\(operation) with \(caller.name): \(reply.status) \(reply.text)")
                }
            }
        }
        // No token text ever reaches the log.
        for token in [Self.readToken, Self.operateToken, Self.adminToken, daemon.token] { #expect(!daemon.stderr.contains(token)) }
    }

    @Test func eachWriteIsLoggedWithItsTokensName() throws {
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules(), extra: ["--tokens-file", try Self.tokensFile().path])
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        #expect(try daemon.post("/v1/tickets", ["id": "W1", "kind": "repair"], token: Self.operateToken).status == 201)
        #expect(try daemon.post("/v1/tickets/W1/events", ["kind": "comment"]).status == 200)
        #expect(try daemon.request("GET", "/v1/tickets/W1", token: "").status == 200, "reads stay open on loopback")
        try daemon.waitFor("the write log lines", seconds: 10) { daemon.stderr.contains("path=/v1/tickets/W1/events") }
        #expect(daemon.stderr.contains("API write method=POST path=/v1/tickets status=201 token=desk"), "\(daemon.stderr)")
        #expect(daemon.stderr.contains("API write method=POST path=/v1/tickets/W1/events status=200 token=default"))
        #expect(!daemon.stderr.contains("path=/v1/tickets/W1 "), "reads are not logged")
        #expect(daemon.stderr.contains("<6>API access: read: grafana; operate: desk; admin: default, ops; reads open (bound to loopback)"))
        // The audit table says through which token each write came, as it says `via link` for a link's button.
        #expect(try daemon.count("SELECT COUNT(*) FROM audit WHERE action = 'ticket.create' AND ticket_id = 'W1' AND detail = 'via token desk'") == 1)
        #expect(try daemon.count("SELECT COUNT(*) FROM audit WHERE action = 'ticket.comment' AND ticket_id = 'W1' AND detail = 'via token default'") == 1)
    }

    @Test func openReadsServesReadsOffLoopbackAndWarns() throws {
        guard let host = Self.offLoopbackAddress() else { return }
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules(), extra: ["--host", host, "--open-reads"])
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        #expect(try daemon.request("GET", "/v1/tickets", token: "").status == 200)
        #expect(try daemon.post("/v1/tickets", ["kind": "repair"], token: "").status == 401)
        #expect(daemon.stderr.contains("<4>--open-reads: every read"), "\(daemon.stderr)")
        #expect(daemon.stderr.contains("<6>API access: admin: default; reads open to anyone (--open-reads)"))
    }

    @Test func aBadTokensFileOrAnOpenHostWithoutTokensStopsTheStart() throws {
        let rules = try DaemonProcess.makeRules()
        let state = FileManager.default.temporaryDirectory.appendingPathComponent("slad-state-\(UUID().uuidString)")
        let bad = FileManager.default.temporaryDirectory.appendingPathComponent("slad-tokens-\(UUID().uuidString)")
        try "grafana read \(Self.readToken)\ndesk operator short-secret\n".write(to: bad, atomically: true, encoding: .utf8)
        let base = ["serve", "--rules", rules.path, "--state", state.path, "--port", "0"]
        let refused = try Slad.run(base + ["--tokens-file", bad.path])
        #expect(refused.status == 64)
        #expect(refused.stderr.contains("\(bad.path):2:6: role 'operator' is not one of read, operate, admin"), "\(refused.stderr)")
        #expect(refused.stderr.contains("\(bad.path):2:15: a token must be at least 16 characters"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("short-secret") && !refused.stderr.contains(Self.readToken))
        let open = try Slad.run(base + ["--host", "0.0.0.0"])
        #expect(open.status == 64 && open.stderr.contains("--host 0.0.0.0 is not loopback, so reads need a token"), "\(open.stderr)")
        #expect(!FileManager.default.fileExists(atPath: state.path), "nothing was created")
    }

    @Test func theTokensFileCanBeASystemdCredential() throws {
        let file = try Self.tokensFile()
        let daemon = try DaemonProcess(rules: try DaemonProcess.makeRules(), extra: ["--tokens-credential", file.lastPathComponent],
                                       environment: ["CREDENTIALS_DIRECTORY": file.deletingLastPathComponent().path])
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        #expect(try daemon.post("/v1/tickets", ["id": "C1", "kind": "repair"], token: Self.readToken).status == 403)
        #expect(try daemon.post("/v1/tickets", ["id": "C1", "kind": "repair"], token: Self.operateToken).status == 201)
        let both = try Slad.run(["serve", "--rules", daemon.rules.path, "--state", daemon.state.path, "--port", "0",
                                 "--tokens-file", file.path, "--tokens-credential", "x"])
        #expect(both.status == 64 && both.stderr.contains("give --tokens-file or --tokens-credential, not both"), "\(both.stderr)")
        let missing = try Slad.run(["serve", "--rules", daemon.rules.path, "--state", daemon.state.path, "--port", "0",
                                    "--tokens-credential", "nothing-here"], environment: ["CREDENTIALS_DIRECTORY": "/nonexistent"])
        #expect(missing.status == 64 && missing.stderr.contains("--tokens-credential nothing-here: cannot read /nonexistent/nothing-here"),
                "\(missing.stderr)")
    }

    @Test func serveHelpExplainsTokensRolesAndOpenReads() throws {
        // Paragraphs are wrapped to the terminal: compare with the line breaks read as spaces.
        let help = try Slad.run(["serve", "--help"]).stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        for text in ["--tokens-file", "--tokens-credential", "--open-reads", "'NAME ROLE TOKEN' or 'NAME ROLE sha256:HEX'",
                     "read (GETs", "operate (tickets", "admin (also", "/healthz is always open"] {
            #expect(help.contains(text), "slad serve --help does not say \(text)")
        }
    }
}
