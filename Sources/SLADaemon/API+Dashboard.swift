import Foundation
import Hummingbird
import SLAEngine
import SLAStore

/// Where the 看板 gets its KPIs: the daemon's KPI service's latest snapshot (`KPISnapshot.empty` until
/// there is one). Called once per page or JSON request, so it must be cheap: hand out what was computed.
public typealias KPIProvider = @Sendable () async -> KPISnapshot

/// `GET /dashboard` (the 看板 page, docs/dashboard.md) and `GET /v1/dashboard` (the same board as JSON).
/// Reads only, like the rest of the read API: open to whoever can reach the listener.
extension API {
    static let dashboardRoutes: [(method: String, path: String)] = [("GET", "/dashboard"), ("GET", "/v1/dashboard")]
    /// Seconds ahead that count as at risk.
    static let atRiskWithin = 3600

    func addDashboardRoutes(to router: Router<BasicRequestContext>) {
        router.get("/dashboard") { request, _ in await self.guarded(nil) { try await self.dashboardPage(request) } }
        router.get("/v1/dashboard") { request, _ in await self.guarded(nil) { try await self.dashboardJSON(request) } }
    }

    func dashboardPage(_ request: Request) async throws -> Response {
        let query = try Self.known(request, ["refresh"])
        let refresh = try Self.number(query, "refresh", in: 2...3600, unit: " seconds") ?? 15
        return DashboardPage.response(try await dashboardView(limit: 20), refresh: refresh)
    }

    func dashboardJSON(_ request: Request) async throws -> Response {
        let limit = try Self.number(try Self.known(request, ["limit"]), "limit", in: 1...100) ?? 20
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(try await dashboardView(limit: limit))
        return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    func dashboardView(limit: Int) async throws -> DashboardView {
        let engine = await rules.engine
        let now = clock.now()
        let board = try await store.board(now: now, within: Self.atRiskWithin, limit: limit)
        return DashboardView(snapshot: await kpis(), board: board, engine: engine, now: now)
    }

    /// A whole-number parameter within `range`, when given.
    static func number(_ query: [String: String], _ name: String, in range: ClosedRange<Int>, unit: String = "") throws -> Int? {
        guard let text = query[name] else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw Failure(status: .badRequest, code: "invalid_parameter",
                          message: "\(name) must be \(range.lowerBound) to \(range.upperBound)\(unit)", field: name)
        }
        return value
    }

    /// The query's parameters, refusing any not in `known`.
    static func known(_ request: Request, _ known: Set<String>) throws -> [String: String] {
        var values: [String: String] = [:]
        for (key, value) in request.uri.queryParameters {
            guard known.contains(String(key)) else {
                throw Failure(status: .badRequest, code: "unknown_parameter",
                              message: "unknown query parameter; expected one of \(known.sorted().joined(separator: ", "))", field: String(key))
            }
            values[String(key)] = String(value)
        }
        return values
    }
}
