import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle
import SLAActions
import SLAStore

/// The second listener of `slad serve --public-port`: the action pages (`/a/{token}`) and nothing else,
/// meant to be published through a reverse proxy. The API listener stays on loopback.
public struct PublicListenerConfiguration: Sendable {
    public var host: String = "127.0.0.1"
    /// 0 picks a free port (logged and passed to `Server.Hooks.publicReady`).
    public var port: Int
    /// Requests per client address: `burst` at once, refilled at `perMinute`.
    public var burst: Int = 30
    public var perMinute: Int = 30
    /// Addresses the rate limiter remembers at most.
    public var maxClients: Int = 10_000
    /// The largest POST body (the form is a few dozen bytes).
    public var maxBodyBytes: Int = 4 * 1024
    /// Open connections at most (more wait in the backlog), and how long an idle one is kept: a phone
    /// needs one connection for a second or two; a client that opens many and sends nothing is cut off.
    public var maxConnections: Int = 512
    public var idleTimeoutSeconds: Int64 = 30
    /// When set, the notices' links start with this instead of the rules' `links { base-url }`: the demo
    /// points them at its own pages on the port it listens on, whatever rules/links.sla names.
    public var linkBaseURL: String?

    public init(host: String = "127.0.0.1", port: Int) {
        self.host = host
        self.port = port
    }
}

/// What a real desk may need, handed to `Server.run`'s desk factory once the store is open and the rules loaded.
public struct ActionDeskParts: Sendable {
    public let store: SQLiteTicketStore
    public let rules: RulesHolder
    public let clock: any WallClock
    public let logger: Logger
}

/// Builds the desk the public pages ask (the store side's `ActionDesk`).
public typealias ActionDeskFactory = @Sendable (ActionDeskParts) async throws -> any ActionDesk

public enum PublicListener {
    /// The listener as a service for a `ServiceGroup`. `onRunning` gets the bound port.
    public static func service(_ configuration: PublicListenerConfiguration, desk: any ActionDesk, clock: any WallClock,
                               logger: Logger, monotonic: @escaping @Sendable () -> Double = Self.uptime,
                               onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some Service {
        let limiter = RateLimiter(capacity: configuration.burst, perMinute: configuration.perMinute, maxClients: configuration.maxClients)
        let pages = ActionPages(desk: desk, clock: clock, limiter: limiter, maxBodyBytes: configuration.maxBodyBytes,
                                logger: logger, monotonic: monotonic)
        return Application(
            responder: pages,
            server: .http1(configuration: .init(idleTimeout: .seconds(configuration.idleTimeoutSeconds))),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "slad",
                                 availableConnectionsDelegate: MaximumAvailableConnections(configuration.maxConnections, logger: logger)),
            onServerRunning: { channel in
                await onRunning(channel.localAddress?.port ?? configuration.port)
            },
            logger: logger
        )
    }

    /// Seconds since boot, never going back: the rate limiter's clock.
    @Sendable public static func uptime() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1_000_000_000
    }
}
