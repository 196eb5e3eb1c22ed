import Foundation
import SLAEngine
import SLAFormats
import SLARules
import SLAStore

/// Everything the 看板 shows, already in words: the HTML page is this drawn by Mustache (every value
/// escaped), and `GET /v1/dashboard` is this as JSON. Built from the KPI snapshot and the store's board.
struct DashboardView: Encodable {
    /// Worst groups a tile names: with 500 sites a tile stays a tile.
    static let worstGroups = 3

    let title: String
    let generatedAt: String
    /// When the KPIs were computed; nil before the first snapshot.
    let kpisAt: String?
    let tiles: [TileView]
    let hasTiles: Bool
    let policies: [PolicyView]
    let openTotal: Int
    let overdueTotal: Int
    let atRisk: ListView
    let breached: ListView
    let incidents: [IncidentView]
    let incidentsTotal: Int
    let hasIncidents: Bool

    init(snapshot: KPISnapshot, board: BoardTickets, engine: Engine, now: Instant) {
        let names = Names(rules: engine.rules)
        let zone = engine.displayZone
        title = "物业服务看板"
        // To the second, so a wall screen visibly ticks with each refresh.
        generatedAt = String(zone.format(now).prefix(19)).replacingOccurrences(of: "T", with: " ")
        kpisAt = snapshot.computedAt.seconds > 0 ? zone.formatShort(snapshot.computedAt) : nil
        tiles = snapshot.tiles.map { tile in TileView(tile, rule: engine.rules.kpis.first { $0.name == tile.kpi }, names: names, zone: zone) }
        hasTiles = !tiles.isEmpty
        policies = board.policies.map { PolicyView(policy: $0.policy, title: names.policy($0.policy), open: $0.open, overdue: $0.overdue) }
        openTotal = board.policies.reduce(0) { $0 + $1.open }
        overdueTotal = board.policies.reduce(0) { $0 + $1.overdue }
        atRisk = ListView(board.atRisk, total: board.atRiskTotal, late: false, names: names, zone: zone, now: now)
        breached = ListView(board.breached, total: board.breachedTotal, late: true, names: names, zone: zone, now: now)
        incidents = board.incidents.map { IncidentView($0, engine: engine, names: names, now: now) }
        incidentsTotal = board.incidentsTotal
        hasIncidents = !incidents.isEmpty
    }

    struct TileView: Encodable {
        let kpi: String, title: String
        /// `ok`, `warning`, `breached`, `no-data`: the tile's colour class.
        let level: String, levelText: String
        let value: String
        /// Why there is no value, when there is none (`KPIReport.noDataCause`: 期间内没有已解决（resolved）的工单…).
        let reason: String?
        /// The value in the measure's unit, for programs (a share 0…1, seconds, …); nil without data.
        let raw: Double?
        let unit: String
        let target: String?, warn: String?
        let period: String
        let sample: Int
        /// The KPI's `min sample`; absent without one.
        let minSample: Int?
        let groups: [GroupView]
        let groupSummary: String?
        let trend: Sparkline

        init(_ tile: KPITile, rule: KPI? = nil, names: Names, zone: ZoneTable) {
            kpi = tile.kpi
            title = tile.title
            level = tile.overall.level.rawValue
            levelText = DashboardFormat.level(of: tile.overall)
            value = KPIText.value(tile.overall.value, tile.unit)
            raw = tile.overall.value
            reason = tile.overall.level == .noData ? rule.map { KPIReport.noDataCause($0, value: tile.overall) } : nil
            unit = tile.unit.rawValue
            target = tile.target.map { KPIText.target(KPILine(value: $0, higherIsBetter: tile.higherIsBetter), tile.unit) }
            warn = tile.warn.map { KPIText.warn(KPILine(value: $0, higherIsBetter: tile.higherIsBetter), tile.unit) }
            let last = tile.period.end - 1
            period = String(zone.formatShort(tile.period.start).dropFirst(5).prefix(5)) + " – " + String(zone.formatShort(last).dropFirst(5).prefix(5))
            sample = tile.overall.sample
            minSample = tile.overall.minSample
            groups = tile.groups.prefix(DashboardView.worstGroups).map {
                GroupView(name: names.group($0.group ?? "", by: tile.grouping), value: KPIText.value($0.value, tile.unit),
                          level: $0.level.rawValue, levelText: DashboardFormat.level(of: $0))
            }
            if tile.groups.isEmpty {
                groupSummary = nil
            } else {
                let breached = tile.groups.count { $0.level == .breached }, warning = tile.groups.count { $0.level == .warning }
                groupSummary = "共 \(tile.groups.count) 个\(DashboardFormat.grouping(tile.grouping)) · 未达标 \(breached) · 预警 \(warning)"
            }
            trend = Sparkline(trend: tile.trend, target: tile.target)
        }
    }

    struct GroupView: Encodable {
        let name: String, value: String, level: String, levelText: String
    }

    struct PolicyView: Encodable {
        let policy: String, title: String, open: Int, overdue: Int
        /// Some of them overdue: the count shows red.
        let hot: Bool

        init(policy: String, title: String, open: Int, overdue: Int) {
            self.policy = policy
            self.title = title
            self.open = open
            self.overdue = overdue
            hot = overdue > 0
        }
    }

    struct ListView: Encodable {
        let rows: [TicketRow]
        let total: Int
        /// Rows beyond the ones shown.
        let more: Int
        let hasRows: Bool
        let hasMore: Bool

        /// `late`: the breached list, whose rows say how late even at the second the clock ran out.
        init(_ tickets: [BoardTicket], total: Int, late: Bool, names: Names, zone: ZoneTable, now: Instant) {
            rows = tickets.map { TicketRow($0, late: late, names: names, zone: zone, now: now) }
            self.total = total
            more = max(0, total - rows.count)
            hasRows = !rows.isEmpty
            hasMore = more > 0
        }
    }

    struct TicketRow: Encodable {
        let id: String, place: String, what: String, assignee: String?, clock: String
        /// `12-03 14:30` in the rules' zone; `left`: `剩 12分钟` or `超 1小时5分`.
        let deadline: String, left: String
        let seconds: Int

        init(_ ticket: BoardTicket, late: Bool, names: Names, zone: ZoneTable, now: Instant) {
            id = ticket.id
            place = [ticket.fields.site.map(names.site), ticket.fields.building].compactMap { $0 }.joined(separator: " ")
            what = [DashboardFormat.kind(ticket.fields.kind), ticket.fields.category].compactMap { $0 }.joined(separator: "·")
            assignee = ticket.assignee.map(names.person)
            clock = names.clock(ticket.clock, policy: ticket.policy)
            deadline = String(zone.formatShort(ticket.deadline).dropFirst(5))
            left = late ? "超 " + KPIText.duration(max(0, now - ticket.deadline)) : DashboardFormat.remaining(ticket.deadline, now: now)
            seconds = ticket.deadline - now
        }
    }

    struct IncidentView: Encodable {
        let id: String, title: String, drill: Bool, level: String, place: String
        let confirmed: Int, total: Int, percent: Int, overdueSteps: Int
        let opened: String
        let hasOverdue: Bool

        init(_ stored: StoredIncident, engine: Engine, names: Names, now: Instant) {
            let incident = stored.incident
            let zone = engine.displayZone
            id = incident.id
            title = engine.rules.plans.first { $0.name == incident.plan }?.title ?? incident.plan
            drill = incident.isDrill
            level = stored.level.rawValue
            place = [incident.site.map(names.site), incident.building].compactMap { $0 }.joined(separator: " ")
            let steps = engine.evaluate(incident, at: now)?.steps ?? []
            confirmed = steps.count { $0.state == .confirmed }
            total = steps.count
            percent = total == 0 ? 0 : confirmed * 100 / total
            overdueSteps = steps.count { $0.state == .overdue }
            hasOverdue = overdueSteps > 0
            opened = String(zone.formatShort(incident.openedAt).dropFirst(5))
        }
    }
}
