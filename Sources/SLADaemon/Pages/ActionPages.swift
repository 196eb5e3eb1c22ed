import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SLAActions

/// The public listener's only responder: `GET`/`HEAD`/`POST /a/{token}`. A GET or HEAD shows what the
/// link leads to and never acts (link previews fetch it); only the page's own POST, carrying the per-page
/// form value, acts. Every other path is a 404 page, every other method a 405. Handlers never throw, so
/// Hummingbird never logs an error that could hold the request; the token is never logged (only a short
/// fingerprint of it, at debug level).
public struct ActionPages: HTTPResponder {
    public typealias Context = PublicRequestContext

    let desk: any ActionDesk
    let clock: any WallClock
    let limiter: RateLimiter
    let maxBodyBytes: Int
    let logger: Logger
    /// Monotonic seconds, for the rate limit.
    let monotonic: @Sendable () -> Double

    /// Longest token accepted: anything longer is refused before the desk is asked.
    public static let maxTokenLength = 256
    /// The POST form field that carries `ActionDesk.formValue(token:)`.
    public static let formField = "check"

    public init(desk: any ActionDesk, clock: any WallClock, limiter: RateLimiter, maxBodyBytes: Int, logger: Logger,
                monotonic: @escaping @Sendable () -> Double) {
        self.desk = desk
        self.clock = clock
        self.limiter = limiter
        self.maxBodyBytes = maxBodyBytes
        self.logger = logger
        self.monotonic = monotonic
    }

    public func respond(to request: Request, context: Context) async throws -> Response {
        let client = ClientAddress.resolve(peer: context.peer, headers: request.headers)
        let token = Self.token(in: request.uri.path)
        let viaProxy = ClientAddress.isLoopback(context.peer?.ipAddress ?? "")
        let (page, status, extra) = await answer(request, token: token, client: client, viaProxy: viaProxy)
        logger.debug("action page", metadata: [
            "http.method": "\(request.method.rawValue)", "http.status": "\(status.code)", "client": "\(client)",
            "link": "\(token.map(Self.fingerprint) ?? "-")",
        ])
        return Self.response(page, status: status, extra: extra, head: request.method == .head)
    }

    private func answer(_ request: Request, token: String?, client: String, viaProxy: Bool) async -> (ActionPage, HTTPResponse.Status, HTTPFields) {
        if case let .wait(seconds) = limiter.take(client, now: monotonic()) {
            return (.tooMany(retryAfter: seconds), .tooManyRequests, [.retryAfter: "\(seconds)"])
        }
        let isActionPath = request.uri.path.hasPrefix("/a/")
        switch request.method {
        case .get, .head:
            guard let token else { return (isActionPath ? .invalid : .notFound, .notFound, [:]) }
            let (page, status) = await show(token)
            return (page, status, [:])
        case .post:
            guard let token else { return (isActionPath ? .invalid : .notFound, .notFound, [:]) }
            let (page, status) = await act(request, token: token, viaProxy: viaProxy)
            return (page, status, [:])
        default:
            guard isActionPath else { return (.notFound, .notFound, [:]) }
            return (.methodNotAllowed, .methodNotAllowed, [.allow: "GET, HEAD, POST"])
        }
    }

    /// What a GET of `/a/TOKEN` answers, without HTTP: the status and the page's HTML (the benchmark
    /// times the desk's look and the rendering with it).
    public func getPage(token: String) async -> (status: Int, html: String) {
        let (page, status) = await show(token)
        return (status.code, page.html())
    }

    /// GET and HEAD: look, never act.
    func show(_ token: String) async -> (ActionPage, HTTPResponse.Status) {
        switch await desk.look(token: token, now: clock.now().seconds) {
        case let .ready(view):
            guard let value = desk.formValue(token: token) else { return (.invalid, .notFound) }
            return (.ready(view, formValue: value), .ok)
        case let .alreadyDone(view, by, at): return (.alreadyDone(view, by: by, at: at), .conflict)
        case let .expired(view): return (.expired(view), .gone)
        case let .notApplicable(view, reason): return (.notApplicable(view, reason: reason), .conflict)
        case .invalid: return (.invalid, .notFound)
        }
    }

    /// POST: the same site, a small body, the right form value; then the desk acts (once).
    func act(_ request: Request, token: String, viaProxy: Bool) async -> (ActionPage, HTTPResponse.Status) {
        guard SameSite.allows(request.headers, authority: request.head.authority, viaProxy: viaProxy) else { return (.refused, .forbidden) }
        guard let body = await Self.body(request, limit: maxBodyBytes) else { return (.tooLarge, .contentTooLarge) }
        guard let expected = desk.formValue(token: token) else { return (.invalid, .notFound) }
        guard let sent = FormBody.value(of: Self.formField, in: body), ConstantTime.equal(Array(sent.utf8), Array(expected.utf8)) else {
            return (.refused, .forbidden)
        }
        switch await desk.act(token: token, now: clock.now().seconds) {
        case let .done(view, note): return (.done(view, note: note), .ok)
        case let .alreadyDone(view, by, at): return (.alreadyDone(view, by: by, at: at), .conflict)
        case let .expired(view): return (.expired(view), .gone)
        case .invalid: return (.invalid, .notFound)
        case let .notApplicable(view, reason): return (.notApplicable(view, reason: reason), .conflict)
        }
    }
}
