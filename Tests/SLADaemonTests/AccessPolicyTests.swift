@testable import SLADaemon
import Testing

/// Who may call what, decided without a server: the "is loopback" decision is injected as `openReads`,
/// so the rule for reads off loopback is tested here whatever addresses the test machine has.
@Suite struct AccessPolicyTests {
    static let tokens = [
        APIToken(name: "grafana", role: .read, secret: "read-secret-0123456789"),
        APIToken(name: "desk", role: .operate, secret: "operate-secret-0123456789"),
        APIToken(name: "ops", role: .admin, secret: "admin-secret-0123456789"),
    ]
    static let headers: [String?] = [nil, "Bearer read-secret-0123456789", "Bearer operate-secret-0123456789", "Bearer admin-secret-0123456789"]

    /// For each needed role (none, read, operate, admin) and each caller (no token, read, operate, admin):
    /// "ok", 401 or 403, with reads closed (off loopback).
    @Test(arguments: [
        (APIRole?.none, ["ok", "ok", "ok", "ok"]),
        (.read, ["401", "ok", "ok", "ok"]),
        (.operate, ["401", "403", "ok", "ok"]),
        (.admin, ["401", "403", "403", "ok"]),
    ])
    func offLoopbackEveryRoleNeedsItsToken(needs: APIRole?, expected: [String]) {
        let policy = AccessPolicy(tokens: Self.tokens, openReads: false)
        #expect(Self.headers.map { Self.outcome(policy.decide(needs: needs, authorization: $0)) } == expected)
    }

    @Test func onLoopbackReadsNeedNoTokenButWritesStillDo() {
        let policy = AccessPolicy(tokens: Self.tokens, openReads: true)
        #expect(Self.outcome(policy.decide(needs: .read, authorization: nil)) == "ok")
        #expect(Self.outcome(policy.decide(needs: .operate, authorization: nil)) == "401")
        #expect(policy.decide(needs: .read, authorization: Self.headers[1]) == .allow(token: Self.tokens[0]))
    }

    @Test func wrongTokensAndSchemesAreNobody() {
        let policy = AccessPolicy(tokens: Self.tokens, openReads: false)
        for header in ["Bearer read-secret-012345678", "Bearer read-secret-01234567890", "bearer read-secret-0123456789",
                       "Basic read-secret-0123456789", "Bearer ", "read-secret-0123456789"] {
            #expect(policy.decide(needs: .read, authorization: header) == .unauthenticated, "\(header)")
        }
    }

    @Test func withoutTokensWritesAreDisabled() {
        let policy = AccessPolicy(tokens: [], openReads: true)
        #expect(policy.decide(needs: .operate, authorization: "Bearer anything") == .writesDisabled)
        #expect(policy.decide(needs: .read, authorization: nil) == .allow(token: nil))
    }

    @Test func theSingleTokenIsAnAdminCalledDefault() {
        var configuration = DaemonConfiguration()
        configuration.token = "the-one-token"
        configuration.tokens = [Self.tokens[0]]
        #expect(configuration.allTokens.map(\.name) == ["default", "grafana"])
        #expect(configuration.accessPolicy.decide(needs: .admin, authorization: "Bearer the-one-token")
            == .allow(token: APIToken(name: "default", role: .admin, secret: "the-one-token")))
        configuration.tokens = [APIToken(name: "default", role: .read, secret: "another-token-0123456789")]
        #expect(configuration.accessProblem?.contains("names a token 'default'") == true)
    }

    @Test(arguments: [
        ("127.0.0.1", true), ("127.3.2.1", true), ("::1", true), ("[::1]", true), ("localhost", true), ("LOCALHOST", true),
        ("0.0.0.0", false), ("::", false), ("10.1.2.3", false), ("128.0.0.1", false), ("::2", false), ("slad.example", false),
        ("::ffff:127.0.0.1", false),
    ])
    func loopbackIsDecidedFromTheAddress(host: String, loopback: Bool) {
        #expect(AccessPolicy.isLoopback(host) == loopback)
    }

    @Test func offLoopbackWithoutTokensRefusesToStartUnlessReadsAreOpenOnPurpose() {
        var configuration = DaemonConfiguration()
        configuration.host = "0.0.0.0"
        #expect(configuration.accessProblem?.contains("--host 0.0.0.0 is not loopback") == true)
        configuration.openReads = true
        #expect(configuration.accessProblem == nil)
        #expect(configuration.openReadsWarning?.hasPrefix("--open-reads: every read") == true)
        configuration.host = "127.0.0.1"
        #expect(configuration.openReadsWarning == nil)
    }

    @Test(arguments: [
        ("GET", "/healthz" as String?, APIRole?.none), ("HEAD", "/healthz", nil), ("GET", "/metrics", .read), ("GET", "/dashboard", .read),
        ("GET", "/v1/dashboard", .read), ("POST", "/v1/tickets", .operate), ("POST", "/v1/incidents/{id}/close", .operate),
        ("POST", "/v1/outbox/{job}/retry", .admin), ("POST", "/v1/outbox/{job}/drop", .admin),
        ("GET", "NotFound", .read), ("POST", "NotFound", .admin), ("DELETE", "/v1/tickets/{id}", .admin), ("POST", nil, .admin),
    ])
    func routesNeedTheirRole(method: String, path: String?, role: APIRole?) {
        #expect(API.requiredRole(method: method, path: path) == role)
    }

    static func outcome(_ decision: AccessPolicy.Decision) -> String {
        switch decision {
        case .allow: "ok"
        case .unauthenticated: "401"
        case .forbidden, .writesDisabled: "403"
        }
    }
}
