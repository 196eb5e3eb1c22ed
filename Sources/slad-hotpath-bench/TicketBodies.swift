import Foundation

/// The JSON the driver sends: tickets as `slad import` sends them (each with an idempotency key derived
/// from its id), built by hand so building them costs the driver little next to the daemon's work.
enum TicketBodies {
    /// A JSON array of the tickets `PREFIX-index` for `range`.
    static func batch(range: Range<Int>, kind: String, created: String?, prefix: String) -> Data {
        var text = "["
        for index in range {
            if index != range.lowerBound { text += "," }
            text += object(id: "\(prefix)-\(index)", kind: kind, created: created, key: "import-\(prefix)-\(index)")
        }
        return Data((text + "]").utf8)
    }

    /// A JSON Lines file of `count` tickets `PREFIX-index`, as `slad import` reads it (no idempotency keys: it makes them).
    static func lines(count: Int, kind: String, created: String?, prefix: String) -> Data {
        Data((0..<count).map { object(id: "\(prefix)-\($0)", kind: kind, created: created, key: nil) + "\n" }.joined().utf8)
    }

    static func ticket(id: String, kind: String, created: String?) -> Data {
        Data(object(id: id, kind: kind, created: created, key: nil).utf8)
    }

    private static func object(id: String, kind: String, created: String?, key: String?) -> String {
        var text = #"{"id":"\#(id)","kind":"\#(kind)","building":"3栋","unit":"2单元1102","assignee":"duty","text":"楼上深夜噪音""#
        if let created { text += #","created":"\#(created)""# }
        if let key { text += #","idempotencyKey":"\#(key)""# }
        return text + "}"
    }

    /// An instant (seconds since the epoch) as RFC 3339 in UTC with an explicit offset.
    static func timestamp(_ seconds: Int) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d+00:00", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    /// The batch answer must report every ticket created (201); anything else is an error quoting the first refusal.
    static func checkBatchAnswer(_ data: Data, expected: Int) throws {
        guard let answer = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let created = answer["created"] as? Int else {
            throw BenchError("batch answer without 'created': \(String(decoding: data.prefix(300), as: UTF8.self))")
        }
        guard created == expected else {
            let refused = (answer["results"] as? [[String: Any]])?.first { ($0["status"] as? Int) != 201 }
            throw BenchError("batch created \(created) of \(expected); first refusal: \(refused.map { "\($0)" } ?? "?")")
        }
    }
}
