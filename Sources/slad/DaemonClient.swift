import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Talks to a running `slad serve` over its HTTP API, for the operator commands, on AsyncHTTPClient (as
/// the daemon's own deliveries, docs/adr/0018): FoundationNetworking's URLSession spent more CPU waiting
/// for an answer than the daemon spent making it (`slad import`: about 5 s for 10,000 tickets, on a
/// machine where the daemon needs those cores).
struct DaemonClient: Sendable {
    /// The process's client (never shut down: it lives as long as the command).
    static let http: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.httpVersion = .http1Only
        configuration.decompression = .disabled
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()
    /// The largest answer read: a report or a long list, with room.
    static let answerLimit = 256 << 20

    let base: URL
    let token: String?

    struct Failure: Error, CustomStringConvertible {
        let status: Int
        let message: String
        var description: String {
            switch status {
            case 0: message
            // Where the token comes from, for the operator who has not met it yet (a package install keeps it
            // in /etc/slad/api-token; docs/operations.md, "First start").
            case 401: "HTTP 401: \(message) (give the API token: export SLAD_TOKEN=\"$(sudo cat /etc/slad/api-token)\" on a "
                + "package install, or --token-env/--token-credential)"
            default: "HTTP \(status): \(message)"
            }
        }
    }

    init(server: String, token: String?) throws {
        guard let url = URL(string: server), url.scheme == "http" || url.scheme == "https" else {
            throw Failure(status: 0, message: "'\(server)' is not an http:// address")
        }
        base = url
        self.token = token
    }

    func get(_ path: String) async throws -> Any {
        try await send("GET", path, body: nil, headers: [:])
    }

    func post(_ path: String, _ object: Any, headers: [String: String] = [:]) async throws -> Any {
        try await send("POST", path, body: try JSONSerialization.data(withJSONObject: object), headers: headers)
    }

    /// A POST of a body already in JSON.
    func post(_ path: String, body: Data) async throws -> Any {
        try await send("POST", path, body: body, headers: [:])
    }

    /// A POST whose success status matters: 201 for a ticket created, 200 for one already there (the
    /// same `Idempotency-Key`).
    func postWithStatus(_ path: String, _ object: Any, headers: [String: String] = [:]) async throws -> (status: Int, answer: Any) {
        let (data, status) = try await exchangeWithStatus("POST", path, body: try JSONSerialization.data(withJSONObject: object), headers: headers)
        return (status, (try? JSONSerialization.jsonObject(with: data)) ?? [:])
    }

    /// A document the API answers as text (a report in Markdown, JSON or HTML).
    func getText(_ path: String) async throws -> String {
        String(decoding: try await exchange("GET", path, body: nil, headers: [:]), as: UTF8.self)
    }

    private func send(_ method: String, _ path: String, body: Data?, headers: [String: String]) async throws -> Any {
        let data = try await exchange(method, path, body: body, headers: headers)
        return (try? JSONSerialization.jsonObject(with: data)) ?? [:]
    }

    private func exchange(_ method: String, _ path: String, body: Data?, headers: [String: String]) async throws -> Data {
        try await exchangeWithStatus(method, path, body: body, headers: headers).data
    }

    private func exchangeWithStatus(_ method: String, _ path: String, body: Data?, headers: [String: String]) async throws -> (data: Data, status: Int) {
        guard let url = URL(string: path, relativeTo: base) else { throw Failure(status: 0, message: "bad path \(path)") }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(name: "Content-Type", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let data: Data
        let status: Int
        do {
            let response = try await Self.http.execute(request, timeout: .seconds(30))
            status = Int(response.status.code)
            data = Data(try await response.body.collect(upTo: Self.answerLimit).readableBytesView)
        } catch {
            throw Failure(status: 0, message: "cannot reach slad at \(base.absoluteString): \(error); is 'slad serve' running? (--server, SLAD_SERVER)")
        }
        guard (200..<300).contains(status) else {
            let object = (try? JSONSerialization.jsonObject(with: data)) ?? [:]
            let error = (object as? [String: Any])?["error"] as? [String: Any]
            throw Failure(status: status, message: Self.message(error) ?? String(decoding: data, as: UTF8.self))
        }
        return (data, status)
    }

    /// An answer's `error` for people: `field: message`, or refused values one per line ("grade: 'D' is
    /// not …" then "  priority: 'rush' is not …"). Nil when there is no message.
    static func message(_ error: [String: Any]?) -> String? {
        if let refused = error?["refused"] as? [[String: Any]], !refused.isEmpty {
            return refused.map { "\($0["field"] as? String ?? "?"): \($0["message"] as? String ?? "")" }.joined(separator: "\n  ")
        }
        guard let message = error?["message"] as? String else { return nil }
        return (error?["field"] as? String).map { "\($0): " }.map { $0 + message } ?? message
    }
}
