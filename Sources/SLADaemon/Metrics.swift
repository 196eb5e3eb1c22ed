import Metrics
import Prometheus

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
    }

    func openTickets(policy: String, count: Int) {
        Metrics.Gauge(label: "slad_open_tickets", dimensions: [("policy", policy.isEmpty ? "none" : policy)]).record(count)
    }

    public func text() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
