import SLAEngine
import SLARules

/// How another system's JSON payload becomes a slad ticket, or an event on one: the sibling of the CSV
/// mapping (`TicketMapping`), with paths into the payload where the CSV mapping names columns, and the
/// source's authentication. One file per source, `rules/intake/SOURCE.map` (docs/intake.md,
/// docs/adr/0022-intake-mappings.md):
///
/// ```
/// auth        = hmac-sha256
/// secret      = env SLAD_INTAKE_HOTLINE_SECRET
/// signature   = header X-Signature hex
/// signed      = timestamp "." body
/// timestamp   = header X-Timestamp within 5m
/// delivery    = header X-Delivery-Id
///
/// id          = data.orderNo
/// created     = data.createTime
/// category    = data.type
/// text        = data.content.description
/// status      = data.status
/// at          = data.updateTime
/// time format = ISO
///
/// map "报修"        = repair priority=regular
/// default          = enquiry
/// default source   = hotline
/// status "待受理"   = none
/// status "已受理"   = acknowledged
/// status "已完成"   = resolved
/// ```
public struct IntakeMapping: Sendable {
    /// The source's name (the file's name without `.map`); tickets are named `SOURCE-EXTERNALID`.
    public var source: String
    /// The external id: the same for every delivery about one work order upstream.
    public var id: JSONPath?
    public var created: JSONPath?
    /// The upstream status, mapped by `status` lines to an event (or to none).
    public var status: JSONPath?
    /// When the status changed; the delivery's arrival when absent.
    public var at: JSONPath?
    public var text: JSONPath?
    public var fields: [(field: TicketField, path: JSONPath)] = []
    public var timeFormat = IntakeTimeFormat.iso
    /// For times written without an offset; the rules' display zone when absent.
    public var timeZone: String?
    public var categories: [TicketMapping.CategoryRule] = []
    public var defaultRule: TicketMapping.CategoryRule?
    /// A field's value when its path is absent or empty in the payload (`default source = hotline`).
    public var defaults: [TicketField: String] = [:]
    /// Upstream status → event (nil: no event, `none`), with its line.
    public var statuses: [String: (event: EventKind?, line: Int)] = [:]
    public var auth: IntakeAuth?
    public var secret: SettingValue?
    public var timestamp: IntakeTimestamp?
    public var delivery: IntakeDeliveryID?
    /// A `signature` or `signed` line read before `auth`.
    var pendingSignature: IntakeSignature?
    /// Line of each key, for messages about the file as a whole.
    var lines: [String: Int] = [:]

    public init(source: String) { self.source = source }

    public typealias Failure = TicketMapping.Failure
    public typealias Failures = TicketMapping.Failures

    /// The ticket made for an external id.
    public func ticketID(external: String) -> String { "\(source)-\(external)" }

    /// The path a ticket field was read from, for messages that name the payload's field.
    public func path(of field: TicketField) -> JSONPath? {
        fields.first { $0.field == field }?.path
    }

    /// The rule for a category, as the CSV mapping chooses it.
    public func rule(forCategory category: String) -> TicketMapping.CategoryRule? {
        var csv = TicketMapping()
        csv.categories = categories
        csv.defaultRule = defaultRule
        return csv.rule(forCategory: category)
    }

    /// The field values `map`, `default` and `default FIELD` lines set that the rules would refuse (as
    /// `TicketMapping.refusals`), so `slad check` and the daemon's load report them at their line.
    public func refusals(rules: RuleSet) -> [Failure] {
        var csv = TicketMapping()
        csv.categories = categories
        csv.defaultRule = defaultRule
        let fixed = defaults.sorted { $0.key.rawValue < $1.key.rawValue }.compactMap { field, value -> Failure? in
            rules.refusals([(field, value)]).first.map { Failure(line: lines["default \(field.rawValue)"] ?? 1, column: 1, message: $0.message) }
        }
        return (csv.refusals(rules: rules) + fixed).sorted { ($0.line, $0.column) < ($1.line, $1.column) }
    }
}
