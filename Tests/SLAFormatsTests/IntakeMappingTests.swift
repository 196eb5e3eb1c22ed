import Foundation
import SLAEngine
@testable import SLAFormats
import SLARules
import Testing

/// Intake mappings (issue 17): the parser's errors at line and column with did-you-mean, JSON paths,
/// and reading payloads into tickets, events and refusals that name the payload's field.
@Suite struct IntakeMappingTests {
    static let sample = """
    # property ERP
    auth        = hmac-sha256
    secret      = env ERP_SECRET
    signature   = header X-Sign base64 prefix "sha256="
    signed      = timestamp "\\n" body
    timestamp   = header X-Time within 2m
    delivery    = meta.deliveryId

    id          = order.id
    created     = order.createdAt
    category    = order.类型
    text        = content.description
    unit        = house.rooms[1].no
    status      = order.state
    at          = order.changedAt
    time format = epoch millis

    map "报修"        = repair priority=regular
    map "投诉*"       = complaint grade=B
    map "咨询"        = skip
    default source   = app
    status "已受理"   = acknowledged
    status "已完成"   = resolved
    status "新建"     = none
    """

    let zone = ZoneTable(identifier: "Asia/Shanghai")!

    func mapping(_ text: String = sample, forIntake: Bool = true) throws -> IntakeMapping {
        try IntakeMapping.parse(text, source: "erp", forIntake: forIntake).get()
    }

    func failures(_ text: String, forIntake: Bool = false) -> [String] {
        switch IntakeMapping.parse(text, source: "erp", forIntake: forIntake) {
        case .success: return []
        case let .failure(failures): return failures.all.map(\.description)
        }
    }

    @Test func readsEverySetting() throws {
        let mapping = try mapping()
        guard case let .hmac(signature) = mapping.auth else { Issue.record("no hmac"); return }
        #expect(signature == IntakeSignature(header: "X-Sign", encoding: .base64, prefix: "sha256=", signed: [.timestamp, .literal("\n"), .body]))
        #expect(mapping.secret == .environment("ERP_SECRET"))
        #expect(mapping.timestamp == IntakeTimestamp(header: "X-Time", tolerance: 120))
        #expect(mapping.delivery == .path(try JSONPath("meta.deliveryId")))
        #expect(mapping.timeFormat == .epochMillis)
        #expect(mapping.path(of: .category)?.steps == [.key("order"), .key("类型")])
        #expect(mapping.path(of: .unit)?.steps == [.key("house"), .key("rooms"), .index(1), .key("no")])
        #expect(mapping.statuses["新建"]?.event == nil && mapping.statuses["已完成"]?.event == .resolved)
        #expect(mapping.defaults == [.source: "app"])
    }

    @Test func pathsFindValuesAndMissOnAbsentOnes() throws {
        let payload: Any = ["a": ["b": [["c": 1], ["c": "两"]]], "n": NSNull()]
        #expect(try JSONPath("a.b[1].c").value(in: payload) as? String == "两")
        #expect(try JSONPath("a.b[0].c").value(in: payload) as? Int == 1)
        #expect(try JSONPath("a.b[2].c").value(in: payload) == nil)
        #expect(try JSONPath("a.x").value(in: payload) == nil)
        #expect(try JSONPath("n").value(in: payload) == nil)
        #expect(try JSONPath("[0].id").value(in: [["id": "x"]]) as? String == "x")
        #expect(throws: JSONPath.Failure(column: 3, message: "a key is missing (two dots, or a dot at an end)")) { try JSONPath("a..b") }
        #expect(throws: JSONPath.Failure.self) { try JSONPath("a[x]") }
        #expect(throws: JSONPath.Failure.self) { try JSONPath("a[0") }
        #expect(throws: JSONPath.Failure.self) { try JSONPath("a.") }
    }

    @Test func everyProblemIsReportedWithLineAndColumn() {
        let text = """
        id = order.id
        creatd = order.createdAt
        category = order..type
        time format = YYYY-MM-QQ
        map "报修" = repiar
        status "已完成" = resovled
        secret = hunter2
        auth = hmac-md5
        """
        let all = failures(text, forIntake: true)
        #expect(all.contains("2:1: unknown key 'creatd'; did you mean 'created'?"), "\(all)")
        #expect(all.contains("3:18: path 'order..type': a key is missing (two dots, or a dot at an end)"), "\(all)")
        #expect(all.contains { $0.hasPrefix("4:") && $0.contains("time format") }, "\(all)")
        #expect(all.contains { $0.hasPrefix("5:12:") && $0.contains("did you mean 'repair'") }, "\(all)")
        #expect(all.contains { $0.hasPrefix("6:16:") && $0.contains("'resovled' is not an event (did you mean 'resolved'?)") }, "\(all)")
        #expect(all.contains { $0.hasPrefix("7:10:") && $0.contains("a secret is a reference") }, "\(all)")
        #expect(all.contains { $0.hasPrefix("8:8:") && $0.contains("expected hmac-sha256 or bearer") }, "\(all)")
        #expect(all.contains { $0.contains("needs 'delivery = header NAME'") }, "\(all)")
    }

    @Test func intakeFilesNeedAuthenticationButImportsDoNot() {
        let text = "id = a\ndefault = repair\n"
        #expect(failures(text).isEmpty)
        #expect(failures(text, forIntake: true).count == 3)
        #expect(failures("id = a\ndefault = repair\nauth = bearer\nsecret = credential k\ndelivery = header X-Id\nsignature = header X\n", forIntake: true)
            == ["6:1: 'auth = bearer' takes no signature; remove this line or write 'auth = hmac-sha256'"])
        #expect(failures("id = a\ndefault = repair\nauth = hmac\nsecret = env S\ndelivery = header D\nsigned = timestamp body\n", forIntake: true)
            == ["6:1: the signed bytes include the timestamp, but no 'timestamp = header NAME' says where it is"])
    }

    static var payload: [String: Any] { [
        "meta": ["deliveryId": "dl-9"],
        "order": ["id": 20261203001, "createdAt": 1_796_244_617_940, "类型": "报修", "state": "已完成", "changedAt": "1796245200000"],
        "content": ["description": "厨房水管漏水"],
        "house": ["rooms": [["no": "1-101"], ["no": "3-1-1202"]]],
    ] }

    @Test func aPayloadBecomesATicketWithItsStatusEvent() throws {
        guard case let .item(item) = try mapping().read(Self.payload, zone: zone, arrival: Instant(seconds: 1_796_246_000)) else {
            Issue.record("not an item")
            return
        }
        #expect(item.externalID == "20261203001" && item.ticketID == "erp-20261203001" && item.deliveryID == "dl-9")
        #expect(item.ticket["kind"] as? String == "repair" && item.ticket["priority"] as? String == "regular")
        #expect(item.ticket["unit"] as? String == "3-1-1202" && item.ticket["source"] as? String == "app")
        #expect(item.ticket["created"] as? String == "2026-12-02T20:50:17Z" && item.ticket["text"] as? String == "厨房水管漏水")
        #expect(item.event == .resolved && item.eventAt == Instant(seconds: 1_796_245_200) && item.status == "已完成")
        let events = item.ticketWithEvent(actor: "intake:erp")["events"] as? [[String: Any]]
        #expect(events?.first?["kind"] as? String == "resolved" && events?.first?["actor"] as? String == "intake:erp")
    }

    @Test(arguments: [
        ("order.id", "null", "order.id", IntakeRefusal.Reason.missingField),
        ("order.createdAt", #""yesterday""#, "order.createdAt", .badTime),
        ("order.state", #""挂起""#, "order.state", .unmappedValue),
        ("order.类型", #""绿化""#, "order.类型", .unmappedValue),
        ("content.description", #"["x"]"#, "content.description", .badValue),
    ])
    func refusalsNameThePayloadsField(_ key: String, _ json: String, _ field: String, _ reason: IntakeRefusal.Reason) throws {
        let value: Any? = json == "null" ? nil : try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
        var payload = Self.payload
        let parts = key.split(separator: ".").map(String.init)
        var inner = payload[parts[0]] as! [String: Any]
        inner[parts[1]] = value
        payload[parts[0]] = inner
        guard case let .refused(refusal) = try mapping().read(payload, zone: zone, arrival: nil) else {
            Issue.record("not refused")
            return
        }
        #expect(refusal.field == field && refusal.reason == reason, "\(refusal)")
    }

    @Test func aCategoryMappedToSkipIsSkipped() throws {
        var payload = Self.payload
        var order = payload["order"] as! [String: Any]
        order["类型"] = "咨询"
        payload["order"] = order
        guard case .skipped = try mapping().read(payload, zone: zone, arrival: nil) else { Issue.record("not skipped"); return }
    }

    @Test func theRulesRefuseAMappedValueAtItsLine() throws {
        let rules = try #require(RuleLoader.check([SourceFile(path: "r.sla", text: "fields { grade A \"重大\", B \"较大\" }\n")]).ruleSet)
        let mapping = try mapping("id = a\nmap \"x\" = complaint grade=C\ndefault = repair\n", forIntake: false)
        #expect(mapping.refusals(rules: rules).map(\.line) == [2])
    }
}
