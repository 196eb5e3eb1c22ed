import Hummingbird
import HTTPTypes

/// Which role each route needs (docs/security.md; docs/openapi.yaml gives each operation's `x-slad-role`,
/// and OpenAPITests checks the two agree).
extension API {
    /// Routes open to anyone who can reach the port: liveness for systemd, load balancers and proxies.
    /// /healthz carries no personal data (counts, versions, channel names; docs/security.md).
    /// An intake source authenticates with its own secret in the handler (API+Intake.swift), not a token.
    static let openRoutes: Set<String> = ["GET /healthz", "POST /v1/intake/{source}"]
    /// Routes only an admin token may call.
    static let adminRoutes: Set<String> = ["POST /v1/outbox/{job}/retry", "POST /v1/outbox/{job}/drop"]

    /// The role `method path` needs; nil when it is open. `path` is the route's template
    /// (`/v1/tickets/{id}`), or anything else for a path no route answers: a GET of it is a read (so
    /// it says 404 only to readers), any other method needs admin (so a path the router might still
    /// match in some spelling can never slip past with less).
    public static func requiredRole(method: String, path: String?) -> APIRole? {
        let method = method == "HEAD" ? "GET" : method
        let route = "\(method) \(path ?? "")"
        if openRoutes.contains(route) { return nil }
        if adminRoutes.contains(route) { return .admin }
        if method == "GET" { return .read }
        let known = routes.contains { $0.method == method && $0.path == path }
        return known ? .operate : .admin
    }

    /// Adds the access check; must come before the routes (Hummingbird wraps each route as it is added).
    func addAccess(to router: Router<BasicRequestContext>) {
        router.add(middleware: AccessMiddleware(policy: access, logger: logger))
    }
}
