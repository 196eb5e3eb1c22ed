import Foundation
import Testing

/// `POST /v1/intake/SOURCE` with the real binary (issue 17): a 400-hotline work-order webhook, nested,
/// with Chinese statuses and JavaScript times, signed with HMAC-SHA256 over timestamp "." body, becomes
/// a ticket; a later delivery saying "已完成" resolves it and its clock stops. Forged, unsigned, stale
/// and replayed deliveries and bad payloads are refused and store nothing; /metrics counts each outcome.
@Suite(.serialized) struct IntakeEndToEndTests {
    static let rules = """
    calendar cn { timezone Asia/Shanghai; workdays mon-fri }
    person duty "值班员" { phone "+8613800000009" }
    team desk { members duty; supervisor duty; manager duty }
    channel console log {}
    policy repair "报修" {
      when kind = repair
      team desk
      clock resolve "处理" within 4h until resolved
      escalate { at resolve notify supervisor via console }
    }
    policy other "其他" {
      when kind = complaint or kind = enquiry
      team desk
      clock respond within 4h until acknowledged
      escalate { at respond notify supervisor via console }
    }
    """

    static let mapping = """
    # 400 热线工单系统 (the hotline's work-order webhook)
    auth        = hmac-sha256
    secret      = env SLAD_INTAKE_HOTLINE
    signature   = header X-Hotline-Signature hex prefix "sha256="
    signed      = timestamp "." body
    timestamp   = header X-Hotline-Timestamp within 5m
    delivery    = header X-Hotline-Delivery

    id          = data.workOrder.orderNo
    created     = data.workOrder.createTime
    category    = data.workOrder.type
    text        = data.workOrder.content
    site        = data.project.code
    unit        = data.house.rooms[0].roomNo
    reporter    = data.customer.mobile
    status      = data.workOrder.status
    at          = data.workOrder.updateTime
    time format = ISO

    map "报修"      = repair
    map "投诉"      = complaint grade=B
    default        = enquiry
    default source = hotline

    status "待受理" = none
    status "已受理" = acknowledged
    status "已完成" = resolved
    status "已关闭" = closed
    """

    static let secret = "hotline-secret-0f8e"

    /// What JavaScript's `toISOString()` writes.
    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }

    static func payload(order: String, status: String, created: String, updated: String, type: String = "报修") -> Data {
        let object: [String: Any] = [
            "event": "workorder.status_changed", "tenant": "wuye-sh-01",
            "data": [
                "workOrder": ["orderNo": order, "type": type, "status": status, "content": "厨房水管漏水，请尽快上门",
                              "createTime": created, "updateTime": updated, "channel": "400"],
                "project": ["code": "lakeside", "name": "滨湖花园"],
                "house": ["rooms": [["roomNo": "3-1-1202"]]],
                "customer": ["name": "王女士", "mobile": "13800001234"],
            ],
        ]
        return try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }

    /// The signature the hotline sends, computed by Python's hmac (not slad's library).
    static func sign(_ body: Data, timestamp: String, secret: String = secret) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import hmac,hashlib,sys; d=sys.stdin.buffer.read(); print(hmac.new(sys.argv[1].encode(), sys.argv[2].encode() + b'.' + d, hashlib.sha256).hexdigest())",
                             secret, timestamp]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(body)
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        return "sha256=" + String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func start() throws -> DaemonProcess {
        let folder = try DaemonProcess.makeRules(rules)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("intake"), withIntermediateDirectories: true)
        try mapping.write(to: folder.appendingPathComponent("intake/hotline.map"), atomically: true, encoding: .utf8)
        let daemon = try DaemonProcess(rules: folder, environment: ["SLAD_INTAKE_HOTLINE": secret])
        try daemon.start()
        return daemon
    }

    func deliver(_ daemon: DaemonProcess, _ body: Data, delivery: String, timestamp: String? = nil,
                 signature: String?? = nil) throws -> DaemonProcess.Reply {
        let stamp = timestamp ?? String(Int(Date().timeIntervalSince1970 * 1000))
        var headers = ["Content-Type": "application/json", "X-Hotline-Timestamp": stamp, "X-Hotline-Delivery": delivery]
        switch signature {
        case .none: headers["X-Hotline-Signature"] = try Self.sign(body, timestamp: stamp)
        case let .some(.some(forged)): headers["X-Hotline-Signature"] = forged
        case .some(.none): break
        }
        return try daemon.request("POST", "/v1/intake/hotline", body: body, token: "", headers: headers)
    }

    @Test func aSignedWorkOrderBecomesATicketAndItsCompletionStopsTheClock() throws {
        let daemon = try Self.start()
        defer { daemon.signal(SIGKILL) }
        let created = Self.iso(Date().addingTimeInterval(-600))
        let first = Self.payload(order: "WO202612030001", status: "待受理", created: created, updated: created)
        let reply = try deliver(daemon, first, delivery: "d-1")
        #expect(reply.status == 201, "\(reply.text)")
        #expect(reply.object["ticket"] as? String == "hotline-WO202612030001" && reply.object["outcome"] as? String == "created", "\(reply.text)")
        let ticket = try daemon.request("GET", "/v1/tickets/hotline-WO202612030001")
        #expect(ticket.object["kind"] as? String == "repair" && ticket.object["site"] as? String == "lakeside", "\(ticket.text)")
        #expect(ticket.object["unit"] as? String == "3-1-1202" && ticket.object["source"] as? String == "hotline", "\(ticket.text)")
        #expect(ticket.object["text"] as? String == "厨房水管漏水，请尽快上门" && ticket.object["policy"] as? String == "repair", "\(ticket.text)")
        let clocks = ticket.object["clocks"] as? [[String: Any]] ?? []
        #expect(clocks.first?["state"] as? String == "running", "\(ticket.text)")
        // The creation time came from the payload (ten minutes ago, with milliseconds), not the arrival.
        #expect((clocks.first?["usedSeconds"] as? Int ?? 0) >= 599, "\(ticket.text)")
        #expect(try daemon.count("SELECT COUNT(*) FROM audit WHERE actor = 'intake:hotline' AND action = 'ticket.create'") == 1)
        // The timeline says the source created it, not the resident whose number is the reporter.
        #expect(try daemon.count("SELECT COUNT(*) FROM ticket_event WHERE ticket_id = 'hotline-WO202612030001' AND kind = 'created' AND actor = 'intake:hotline'") == 1)

        // The same delivery again: the first answer, nothing stored twice.
        let replay = try deliver(daemon, first, delivery: "d-1")
        #expect(replay.status == 201 && replay.text == reply.text, "\(replay.text)")
        // A second delivery with a status that maps to no event changes nothing.
        let again = try deliver(daemon, first, delivery: "d-2")
        #expect(again.status == 200 && again.object["outcome"] as? String == "unchanged", "\(again.text)")

        let done = Self.payload(order: "WO202612030001", status: "已完成", created: created, updated: Self.iso(Date().addingTimeInterval(-60)))
        let resolved = try deliver(daemon, done, delivery: "d-3")
        #expect(resolved.status == 200 && resolved.object["outcome"] as? String == "event" && resolved.object["event"] as? String == "resolved",
                "\(resolved.text)")
        let after = try daemon.request("GET", "/v1/tickets/hotline-WO202612030001")
        let stopped = after.object["clocks"] as? [[String: Any]] ?? []
        #expect(stopped.first?["state"] as? String == "met" && after.object["status"] as? String == "resolved", "\(after.text)")
        let timeline = after.object["timeline"] as? [[String: Any]] ?? []
        #expect(timeline.contains { $0["kind"] as? String == "resolved" && $0["actor"] as? String == "intake:hotline" }, "\(after.text)")
        let explain = try daemon.request("GET", "/v1/tickets/hotline-WO202612030001/explain")
        #expect(explain.status == 200 && explain.text.contains("met"), "\(explain.text)")
        // Replaying the resolution adds nothing.
        #expect(try deliver(daemon, done, delivery: "d-3").text == resolved.text)
        #expect(try daemon.count("SELECT COUNT(*) FROM ticket_event WHERE ticket_id = 'hotline-WO202612030001' AND kind = 'resolved'") == 1)
        #expect(try daemon.count("SELECT COUNT(*) FROM intake_delivery") == 3)

        let metrics = try daemon.request("GET", "/metrics").text
        #expect(metrics.contains(#"slad_intake_total{source="hotline",outcome="created"} 1"#), "\(metrics)")
        #expect(metrics.contains(#"slad_intake_total{source="hotline",outcome="event"} 1"#), "\(metrics)")
        #expect(metrics.contains(#"slad_intake_total{source="hotline",outcome="replayed"} 2"#), "\(metrics)")
    }

    @Test func forgedUnsignedStaleAndBadDeliveriesAreRefusedAndStoreNothing() throws {
        let daemon = try Self.start()
        defer { daemon.signal(SIGKILL) }
        let now = Self.iso(Date())
        let good = Self.payload(order: "WO-2", status: "待受理", created: now, updated: now)
        let forged = try deliver(daemon, good, delivery: "f-1", signature: .some(try Self.sign(good, timestamp: "1", secret: "guess")))
        #expect(forged.status == 401 && forged.object["error"].flatMap { ($0 as? [String: Any])?["code"] as? String } == "unauthorized", "\(forged.text)")
        #expect(!forged.text.contains("sha256") && !forged.text.contains(Self.secret))
        #expect(try deliver(daemon, good, delivery: "f-2", signature: .some(nil)).status == 401)
        // Signed correctly, but ten minutes old.
        let old = String(Int(Date().timeIntervalSince1970) - 600)
        let stale = try deliver(daemon, good, delivery: "f-3", timestamp: old)
        #expect(stale.status == 401 && stale.text.contains("stale_timestamp"), "\(stale.text)")
        #expect(try daemon.request("POST", "/v1/intake/nobody", body: good, token: "", headers: [:]).status == 404)

        func refusal(_ body: Data, _ delivery: String) throws -> (Int, String?, String) {
            let reply = try deliver(daemon, body, delivery: delivery)
            let error = reply.object["error"] as? [String: Any]
            return (reply.status, error?["field"] as? String, reply.text)
        }
        // Missing field: no order number.
        var object = try JSONSerialization.jsonObject(with: good) as! [String: Any]
        var data = object["data"] as! [String: Any]
        var order = data["workOrder"] as! [String: Any]
        order["orderNo"] = nil
        data["workOrder"] = order
        object["data"] = data
        let missing = try refusal(try JSONSerialization.data(withJSONObject: object), "b-1")
        #expect(missing.0 == 422 && missing.1 == "data.workOrder.orderNo", "\(missing.2)")
        let badTime = try refusal(Self.payload(order: "WO-3", status: "待受理", created: "2026/12/03 下午", updated: now), "b-2")
        #expect(badTime.0 == 422 && badTime.1 == "data.workOrder.createTime" && badTime.2.contains("not a time"), "\(badTime.2)")
        let unmapped = try refusal(Self.payload(order: "WO-4", status: "挂起", created: now, updated: now), "b-3")
        #expect(unmapped.0 == 422 && unmapped.1 == "data.workOrder.status" && unmapped.2.contains("挂起"), "\(unmapped.2)")
        let notJSON = try refusal(Data("{not json".utf8), "b-4")
        #expect(notJSON.0 == 400, "\(notJSON.2)")
        #expect(try daemon.count("SELECT COUNT(*) FROM ticket") == 0)
        #expect(try daemon.count("SELECT COUNT(*) FROM intake_delivery") == 0)
        let metrics = try daemon.request("GET", "/metrics").text
        for (outcome, count) in [("unauthorized", 2), ("stale", 1), ("missing_field", 1), ("bad_time", 1), ("unmapped_value", 1), ("malformed_json", 1)] {
            #expect(metrics.contains("slad_intake_total{source=\"hotline\",outcome=\"\(outcome)\"} \(count)"), "\(outcome): \(metrics)")
        }
        #expect(metrics.contains(#"slad_intake_total{source="-",outcome="unknown_source"} 1"#), "\(metrics)")
        #expect(!daemon.stderr.contains(Self.secret))
    }
}

/// The shipped example, rules/intake/hotline.map, on the shipped rules: a leak reported at the hotline
/// becomes an urgent repair in the category the rules declare, under the shipped repair policy; the
/// same status twice is one event; a status against the lifecycle is refused and stored nowhere.
@Suite(.serialized) struct ShippedIntakeMappingTests {
    @Test func theShippedHotlineMappingOnTheShippedRules() throws {
        let daemon = try DaemonProcess(rules: Slad.root.appendingPathComponent("rules"),
                                       environment: ["SLAD_INTAKE_HOTLINE_SECRET": IntakeEndToEndTests.secret])
        try daemon.start()
        defer { daemon.signal(SIGKILL) }
        func deliver(_ status: String, _ delivery: String, category: String = "水管漏水", order: String = "WO9") throws -> DaemonProcess.Reply {
            let now = IntakeEndToEndTests.iso(Date())
            let object: [String: Any] = ["data": [
                "workOrder": ["orderNo": order, "category": category, "status": status, "content": "厨房水管漏水",
                              "createTime": now, "updateTime": now],
                "project": ["name": "翠湖花园"], "house": ["building": "3栋", "rooms": [["roomNo": "1202"]]],
                "customer": ["mobile": "13800001234"],
            ]]
            let body = try JSONSerialization.data(withJSONObject: object)
            let stamp = String(Int(Date().timeIntervalSince1970))
            return try daemon.request("POST", "/v1/intake/hotline", body: body, token: "", headers: [
                "X-Hotline-Timestamp": stamp, "X-Hotline-Delivery": delivery,
                "X-Hotline-Signature": try IntakeEndToEndTests.sign(body, timestamp: stamp),
            ])
        }
        let unmapped = try deliver("待受理", "s-0", category: "外墙脱落")
        #expect(unmapped.status == 422 && unmapped.text.contains("data.workOrder.category"), "\(unmapped.text)")
        #expect(try deliver("待受理", "s-1").status == 201)
        let ticket = try daemon.request("GET", "/v1/tickets/hotline-WO9")
        #expect(ticket.object["category"] as? String == "leak" && ticket.object["priority"] as? String == "urgent", "\(ticket.text)")
        #expect(ticket.object["policy"] as? String == "repair-urgent" && ticket.object["site"] as? String == "翠湖花园", "\(ticket.text)")
        #expect(try deliver("已完成", "s-2").object["outcome"] as? String == "event")
        #expect(try deliver("已完成", "s-3").object["outcome"] as? String == "unchanged")
        // Closed upstream, then "completed": the lifecycle refuses resolving a closed ticket.
        #expect(try deliver("已关闭", "s-4", order: "WO10").status == 201)
        let backwards = try deliver("已完成", "s-5", order: "WO10")
        #expect(backwards.status == 409 && backwards.text.contains("not_allowed"), "\(backwards.text)")
        #expect(try daemon.count("SELECT COUNT(*) FROM intake_delivery") == 4)
        // Each: its creation and one status event, besides the shipped routes' assignment at creation.
        for order in ["WO9", "WO10"] {
            #expect(try daemon.count("SELECT COUNT(*) FROM ticket_event WHERE ticket_id = 'hotline-\(order)' AND kind != 'assigned'") == 2)
            #expect(try daemon.count("SELECT COUNT(*) FROM ticket_event WHERE ticket_id = 'hotline-\(order)' AND kind = 'assigned' AND actor = 'route:plumbing'") == 1)
        }
    }
}
