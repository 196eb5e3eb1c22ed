import AsyncHTTPClient
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// HTTP delivery through AsyncHTTPClient (SwiftNIO): one client for the process, on NIO's shared event
/// loops, with up to `connectionsPerHost` kept-alive HTTP/1.1 connections per host (a channel's lane
/// sends up to 8 notices at once) and TLS through swift-nio-ssl with the system's trust roots. Replies
/// are read up to 64 KiB: a vendor's answer is a few hundred bytes, and a receiver that sends megabytes
/// must not make slad hold them. With an egress proxy (`--egress-proxy`), every request goes through it.
public struct AsyncHTTPTransport: HTTPTransport {
    /// The process's client. It lives as long as the process (a `static let` is never deinitialised), so
    /// it needs no shutdown; the pool closes idle connections after a minute.
    static let client: HTTPClient = makeClient(proxy: nil)

    /// One client per egress proxy, made on first use and kept for the process's life like `client`.
    private static let proxied = NIOLockedValueBox<[EgressProxy: HTTPClient]>([:])

    static func makeClient(proxy: EgressProxy?) -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connectionsPerHost)
        // A refused or failed connection fails the attempt at once: slad's own backoff retries it (and says
        // why in the attempt), instead of the pool retrying inside the attempt until its deadline, which made
        // every attempt at a receiver that is down hold a lane slot for the channel's whole timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.redirectConfiguration = .disallow   // a webhook that redirects is misconfigured: say so, do not follow
        configuration.httpVersion = .http1Only
        configuration.decompression = .disabled
        if let proxy {
            let authorization = proxy.username.map { HTTPClient.Authorization.basic(username: $0, password: proxy.password ?? "") }
            configuration.proxy = .server(host: proxy.host, port: proxy.port, authorization: authorization)
        }
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    static let connectionsPerHost = 16
    static let replyLimit = 64 * 1024

    let client: HTTPClient

    public init() { client = Self.client }

    /// Requests go through `proxy` when one is given (`slad serve --egress-proxy`).
    public init(proxy: EgressProxy?) {
        guard let proxy else {
            client = Self.client
            return
        }
        client = Self.proxied.withLockedValue { clients in
            if let existing = clients[proxy] { return existing }
            let made = Self.makeClient(proxy: proxy)
            clients[proxy] = made
            return made
        }
    }

    public func send(_ request: OutgoingRequest, timeout: Double) async -> HTTPResult {
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { outgoing.headers.add(name: name, value: value) }
        if request.method != "GET" { outgoing.body = .bytes(ByteBuffer(bytes: request.body)) }
        do {
            let deadline = NIODeadline.now() + .milliseconds(Int64(timeout * 1000))
            let response = try await client.execute(outgoing, deadline: deadline)
            var headers: [String: String] = [:]
            for header in response.headers { headers[header.name.lowercased()] = header.value }
            var body: [UInt8] = []
            // Read the reply up to the limit; what is beyond is drained and dropped.
            for try await part in response.body {
                if body.count < Self.replyLimit { body += part.readableBytesView.prefix(Self.replyLimit - body.count) }
            }
            return .response(status: Int(response.status.code), headers: headers, body: body)
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return .failed("timed out after \(timeout) s")
        } catch {
            return .failed(Self.describe(error))
        }
    }

    /// A transport error for the attempt's record: the kind, without NIO's internals.
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return "HTTP client: \(error)" }
        if let error = error as? IOError { return "connection failed: \(error.description)" }
        return String(describing: error)
    }
}
