import Hummingbird
import HTTPTypes

/// What the server answers when the router finds no handler for a request (docs/adr/0028): a method a
/// known path does not have is 405 with `Allow`, an unknown path the API's own 404 — both with the API's
/// error body. The paths and their methods come from `API.routes`, the list docs/openapi.yaml is
/// checked against, so the `Allow` header says exactly what the document says.
extension API {
    /// Each path template (`/v1/tickets/{id}`) with the methods its routes have, in `routes` order.
    static let pathMethods: [(template: String, segments: [Substring], methods: [String])] = {
        var result: [(template: String, segments: [Substring], methods: [String])] = []
        for route in routes {
            if let index = result.firstIndex(where: { $0.template == route.path }) {
                result[index].methods.append(route.method)
            } else {
                result.append((route.path, route.path.split(separator: "/"), [route.method]))
            }
        }
        return result
    }()

    /// The template `path` resolves to, as the router resolves it (a literal segment wins over a
    /// parameter: `/v1/tickets/batch` is the batch's path, never a ticket's), and the methods it allows
    /// (HEAD with every GET, as the router answers it), in alphabetical order. Nil when no route has this path.
    public static func allowedMethods(forPath path: String) -> (template: String, methods: [String])? {
        let parts = path.split(separator: "/")
        var best: (template: String, segments: [Substring], methods: [String])?
        for candidate in pathMethods where candidate.segments.count == parts.count {
            guard zip(candidate.segments, parts).allSatisfy({ Self.isParameter($0) ? !$1.isEmpty : $0 == $1 }) else { continue }
            if let current = best, !Self.moreLiteral(candidate.segments, than: current.segments) { continue }
            best = candidate
        }
        guard let best else { return nil }
        let methods = best.methods.contains("GET") ? best.methods + ["HEAD"] : best.methods
        return (best.template, Array(Set(methods)).sorted())
    }

    static func isParameter(_ segment: Substring) -> Bool { segment.hasPrefix("{") && segment.hasSuffix("}") }

    /// Whether `a` has a literal segment where `b` has a parameter, at the first place they differ.
    static func moreLiteral(_ a: [Substring], than b: [Substring]) -> Bool {
        for (x, y) in zip(a, b) where isParameter(x) != isParameter(y) { return !isParameter(x) }
        return false
    }
}

/// Runs before every other middleware, so it sees each request the router has no handler for (those
/// have no `endpointPath`; a matched route's is set before its middleware runs). A method a known path
/// does not have is answered 405 with `Allow` at once: no handler would run, and the paths and methods
/// are public in docs/openapi.yaml. Any other unrouted request goes on to the access check (so an
/// unknown path still says 404 only to whoever may read) and the router's 404, which is answered with
/// the API's error body instead of Hummingbird's empty one.
struct UnroutedMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.endpointPath == nil else { return try await next(request, context) }
        let method = request.method.rawValue
        if let (template, methods) = API.allowedMethods(forPath: request.uri.path), !methods.contains(method) {
            var response = API.error(API.Failure(status: .methodNotAllowed, code: "method_not_allowed",
                                                 message: "\(template) does not answer \(method); it answers \(methods.joined(separator: ", "))"))
            response.headers[.allow] = methods.joined(separator: ", ")
            return response
        }
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            return API.error(API.Failure(status: .notFound, code: "not_found", message: "no such path; the API's paths are in docs/openapi.yaml"))
        }
    }
}
