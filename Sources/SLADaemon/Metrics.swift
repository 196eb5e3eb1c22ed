import Metrics
import Prometheus
import SLAStore

/// The daemon's metrics, exported in Prometheus text format at /metrics through swift-metrics.
public final class DaemonMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let firings: Metrics.Counter
    let breaches: Metrics.Counter
    let outboxDepth: Metrics.Gauge
    let overdue: Metrics.Gauge
    let openIncidents: Metrics.Gauge
    let heldEscalations: Metrics.Counter
    let lastScan: Metrics.Gauge
    let scanDuration: Metrics.Timer
    let deliveriesInFlight: Metrics.Gauge

    /// Bootstraps swift-metrics with a Prometheus registry. Call once per process.
    public static func bootstrap() -> DaemonMetrics {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return DaemonMetrics(registry: registry)
    }

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        firings = Metrics.Counter(label: "slad_firings_total")
        breaches = Metrics.Counter(label: "slad_breaches_total")
        outboxDepth = Metrics.Gauge(label: "slad_outbox_pending")
        overdue = Metrics.Gauge(label: "slad_tickets_overdue")
        openIncidents = Metrics.Gauge(label: "slad_incidents_open")
        heldEscalations = Metrics.Counter(label: "slad_escalations_held_total")
        lastScan = Metrics.Gauge(label: "slad_last_scan_timestamp_seconds")
        scanDuration = Metrics.Timer(label: "slad_scan_duration_seconds")
        deliveriesInFlight = Metrics.Gauge(label: "slad_deliveries_in_flight")
    }

    func openTickets(policy: String, count: Int) {
        Metrics.Gauge(label: "slad_open_tickets", dimensions: [("policy", policy.isEmpty ? "none" : policy)]).record(count)
    }

    /// The store's gauges: after each scan, and again when /metrics is scraped, so that they are current
    /// even while the loop sleeps, or cannot scan.
    func record(_ stats: StoreStatistics) {
        outboxDepth.record(stats.outboxByState["pending"] ?? 0)
        overdue.record(stats.overdue)
        openIncidents.record(stats.openIncidents)
        for (policy, count) in stats.openByPolicy { openTickets(policy: policy, count: count) }
    }

    /// One delivery attempt recorded, by channel and result (`sent`, `retry`, `dead`).
    static func deliveryAttempt(channel: String, result: String) {
        Metrics.Counter(label: "slad_delivery_attempts_total", dimensions: [("channel", channel), ("result", result)]).increment()
    }

    public func text() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
