import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SLAEngine
import SLAFormats
import SLARules
import SLAStore

/// `GET /v1/tickets/{id}/explain`: which policy a stored ticket takes and why, its clocks and steps, worked
/// out by the daemon with the rules it runs and the steps it has sent — what `slad explain --server`
/// prints. Explaining in the CLI with whatever `./rules` holds named the wrong policy whenever the two
/// differed.
extension API {
    static let explainRoutes: [(method: String, path: String)] = [("GET", "/v1/tickets/{id}/explain")]

    func addExplainRoutes(to router: Router<BasicRequestContext>) {
        router.get("/v1/tickets/:id/explain") { request, context in
            await self.guarded(nil) { try await self.explainTicket(request, id: try context.parameters.require("id")) }
        }
    }

    enum ExplainFormat: String, CaseIterable { case json, text }

    func explainTicket(_ request: Request, id: String) async throws -> Response {
        let query = request.uri.queryParameters
        let known: Set<String> = ["at", "format"]
        for (key, _) in query where !known.contains(String(key)) {
            throw Failure(status: .badRequest, code: "unknown_parameter",
                          message: "unknown query parameter; expected one of \(known.sorted().joined(separator: ", "))", field: String(key))
        }
        var format = ExplainFormat.json
        if let text = query.get("format") {
            guard let value = ExplainFormat(rawValue: text) else {
                throw Failure(status: .badRequest, code: "invalid_parameter", message: "format must be json or text", field: "format")
            }
            format = value
        }
        // One snapshot of the rules: the engine and the version it is reported with belong together.
        let (engine, version) = await rules.snapshot
        var now = clock.now()
        if let text = query.get("at") {
            guard let at = LocalTime.parse(text, zone: engine.displayZone) else {
                throw Failure(status: .badRequest, code: "invalid_parameter",
                              message: "at must be a time such as 2025-09-22T15:00:00+08:00 or '2025-09-22 15:00' (the rules' time zone)",
                              field: "at")
            }
            now = at
        }
        guard let stored = try await store.ticket(id) else { throw StoreError.unknownTicket(id) }
        let firings = try await store.firings(of: id).map(\.firing)
        let explanation = engine.explain(stored.ticket, at: now, fired: firings)
        switch format {
        case .text:
            let text = "rules: the daemon's (version \(version))\n"
                + ExplainText(engine: engine, ticket: stored.ticket, explanation: explanation).render() + "\n"
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: text)))
        case .json:
            var answer = ExplainAnswer(explanation, engine: engine)
            answer.rules = version
            return Self.json(answer: answer)
        }
    }
}
