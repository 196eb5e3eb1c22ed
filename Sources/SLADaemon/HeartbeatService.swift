import Foundation
import Logging
import ServiceLifecycle
import SLAEngine
import SLANotify

/// A dead man's switch (issue 15): every `every` seconds, while the daemon is healthy (no problem on
/// `/healthz`), a GET to the operator's monitor (an uptime checker, healthchecks.io and the like). When
/// slad is in trouble, or dead, the calls stop, and the monitor's silence raises the alarm elsewhere —
/// through a path that does not depend on slad. The URL may hold the monitor's secret: it is never logged.
public struct HeartbeatService: Service {
    let url: URL
    let every: Int
    let loop: EscalationLoop
    let rules: RulesHolder
    let clock: any WallClock
    let transport: any HTTPTransport
    let logger: Logger

    public init(url: URL, every: Int, loop: EscalationLoop, rules: RulesHolder, clock: any WallClock,
                transport: any HTTPTransport = AsyncHTTPTransport(), logger: Logger) {
        self.url = url
        self.every = max(1, every)
        self.loop = loop
        self.rules = rules
        self.clock = clock
        self.transport = transport
        self.logger = logger
    }

    public func run() async throws {
        logger.info("heartbeat to \(url.host ?? "?") every \(every) s while healthy")
        try? await cancelWhenGracefulShutdown { await self.beat() }
    }

    private func beat() async {
        var held = false
        var failing = false
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            let problems = await DaemonProblems.current(loop: loop, rules: rules, now: clock.now())
            if problems.isEmpty {
                if held { logger.notice("heartbeat resumed: healthy again") }
                held = false
                let sent = await transport.send(OutgoingRequest(method: "GET", url: url, body: []), timeout: 10)
                let ok: Bool
                switch sent {
                case let .response(status, _, _): ok = (200..<300).contains(status)
                case .failed: ok = false
                }
                if !ok, !failing { logger.warning("heartbeat to \(url.host ?? "?") is not answered 2xx; retrying every \(every) s") }
                if ok, failing { logger.notice("heartbeat to \(url.host ?? "?") answered again") }
                failing = !ok
            } else if !held {
                held = true
                let summary = problems.map(\.summary).joined(separator: "; ")
                logger.warning("heartbeat held while unhealthy: \(summary)")
            }
            try? await clock.sleep(seconds: Double(every))
        }
    }
}
