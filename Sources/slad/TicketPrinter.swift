import Foundation

/// Prints API answers for people.
enum TicketPrinter {
    static func printJSON(_ object: Any) {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        Swift.print(String(decoding: data, as: UTF8.self))
    }

    static func line(_ ticket: [String: Any]) -> String {
        let id = ticket["id"] as? String ?? "?"
        var parts = [ticket["kind"] as? String ?? "?"]
        for key in ["grade", "priority", "category", "site", "building", "unit"] {
            if let value = ticket[key] as? String { parts.append(value) }
        }
        let status = ticket["status"] as? String ?? "?"
        let policy = ticket["policy"] as? String ?? "no policy"
        let overdue = (ticket["overdue"] as? Bool ?? false) ? "  OVERDUE" : ""
        return "\(id)  \(parts.joined(separator: " · "))  [\(status), \(policy)]\(overdue)"
    }

    static func print(_ object: Any) {
        guard let ticket = object as? [String: Any] else { return printJSON(object) }
        Swift.print(line(ticket))
        if let assignee = ticket["assignee"] as? String { Swift.print("  assignee \(assignee)") }
        if let text = ticket["text"] as? String { Swift.print("  \(text)") }
        for clock in ticket["clocks"] as? [[String: Any]] ?? [] {
            let name = clock["name"] as? String ?? ""
            let state = clock["state"] as? String ?? ""
            let deadline = clock["deadline"] as? String ?? "—"
            Swift.print("  clock \(name): \(state), deadline \(deadline)")
        }
        for entry in ticket["timeline"] as? [[String: Any]] ?? [] {
            let at = entry["at"] as? String ?? ""
            if entry["type"] as? String == "escalation" {
                let people = (entry["people"] as? [String] ?? []).joined(separator: ", ")
                Swift.print("  \(at)  ⚠ \(entry["step"] as? String ?? "") → \(people.isEmpty ? "nobody" : people)")
            } else {
                let actor = (entry["actor"] as? String).map { " by \($0)" } ?? ""
                let note = (entry["note"] as? String).map { " — \($0)" } ?? ""
                Swift.print("  \(at)  \(entry["kind"] as? String ?? "")\(actor)\(note)")
            }
        }
    }

    static func printList(_ object: Any) {
        let tickets = (object as? [String: Any])?["tickets"] as? [[String: Any]] ?? []
        for ticket in tickets { Swift.print(line(ticket)) }
        Swift.print("\(tickets.count) ticket\(tickets.count == 1 ? "" : "s")")
    }
}
