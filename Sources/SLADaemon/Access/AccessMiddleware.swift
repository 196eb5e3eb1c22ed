import Hummingbird
import HTTPTypes
import Logging
import SLAStore

/// Checks every API request against the role its route needs before the handler runs, answers 401/403
/// with the API's error JSON, runs the handler with `APIToken.current` and `AuditTrail.via` set (so the
/// audit table records `via token NAME`), and logs each write with the token's name (never the token).
struct AccessMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let policy: AccessPolicy
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let method = request.method.rawValue
        let role = API.requiredRole(method: method, path: context.endpointPath)
        switch policy.decide(needs: role, authorization: request.headers[.authorization]) {
        case .unauthenticated:
            let what = role == .read ? "reads from off this machine (the API is not bound to loopback)" : "writes"
            return refuse(request, API.Failure(status: .unauthorized, code: "unauthorized",
                                               message: "a valid 'Authorization: Bearer TOKEN' header is required for \(what)"))
        case .writesDisabled:
            return refuse(request, API.Failure(status: .forbidden, code: "writes_disabled",
                                               message: "writes are disabled: start slad serve with --tokens-file PATH, --tokens-credential NAME, --token-env NAME or --token-credential NAME"))
        case let .forbidden(token, needs):
            return refuse(request, API.Failure(status: .forbidden, code: "forbidden",
                                               message: "token '\(token.name)' has role \(token.role.rawValue); \(method) \(context.endpointPath ?? request.uri.path) needs \(needs.rawValue)"),
                          token: token)
        case let .allow(token):
            // The audit table's detail says `via token NAME` for each write the handler makes.
            let response = try await APIToken.$current.withValue(token) {
                try await AuditTrail.$via.withValue(token.map { "token \($0.name)" }) { try await next(request, context) }
            }
            if let role, role > .read {
                logger.info("API write", metadata: [
                    "token": .string(token?.name ?? "-"), "method": .string(method), "path": .string(request.uri.path),
                    "status": .stringConvertible(response.status.code),
                ])
            }
            return response
        }
    }

    func refuse(_ request: Request, _ failure: API.Failure, token: APIToken? = nil) -> Response {
        logger.debug("API request refused", metadata: [
            "token": .string(token?.name ?? "-"), "method": .string(request.method.rawValue), "path": .string(request.uri.path),
            "status": .stringConvertible(failure.status.code),
        ])
        return API.error(failure)
    }
}
