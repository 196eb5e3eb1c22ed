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
        if let incident = ticket["incident"] as? String { Swift.print("  linked to incident \(incident) (its own escalations are held while that incident is open)") }
        if let repeatOf = ticket["repeatOf"] as? String { Swift.print("  重复：\(repeatOf)（同一房屋、同类问题，前单关闭后再次报来）") }
        if let text = ticket["text"] as? String { Swift.print("  \(text)") }
        for clock in ticket["clocks"] as? [[String: Any]] ?? [] {
            let name = clock["name"] as? String ?? ""
            let state = clock["state"] as? String ?? ""
            let deadline = clock["deadline"] as? String ?? "—"
            Swift.print("  clock \(name): \(state), deadline \(deadline)")
        }
        printPause(ticket)
        for entry in ticket["timeline"] as? [[String: Any]] ?? [] {
            let at = entry["at"] as? String ?? ""
            if entry["type"] as? String == "delivery", entry["result"] as? String == "pending" {
                let to = (entry["recipients"] as? [String] ?? []).joined(separator: "、")
                let waited = (entry["waitingSeconds"] as? Int).map { " for \(duration($0))" } ?? ""
                let detail = (entry["detail"] as? String).map { " — \($0)" } ?? ""
                Swift.print("  \(at)  ↳ \(entry["channel"] as? String ?? "")\(to.isEmpty ? "" : " → " + to): pending\(waited), "
                    + "next \(entry["nextAttempt"] as? String ?? "?")\(detail)")
            } else if entry["type"] as? String == "delivery" {
                let detail = (entry["detail"] as? String).map { " — \($0)" } ?? ""
                Swift.print("  \(at)  ↳ \(entry["channel"] as? String ?? "") attempt \(entry["attempt"] as? Int ?? 0): \(entry["result"] as? String ?? "")\(detail)")
            } else if entry["type"] as? String == "escalation", let incident = entry["heldBy"] as? String {
                Swift.print("  \(at)  ⏸ \(entry["step"] as? String ?? "") held: incident \(incident) explains this ticket")
            } else if entry["type"] as? String == "escalation" {
                let people = (entry["people"] as? [String] ?? []).joined(separator: ", ")
                Swift.print("  \(at)  ⚠ \(entry["step"] as? String ?? "") → \(people.isEmpty ? "nobody" : people)")
            } else {
                let actor = (entry["actor"] as? String).map { " by \($0)" } ?? ""
                let via = (entry["via"] as? String).map { " via \($0)" } ?? ""
                let note = (entry["note"] as? String).map { " — \($0)" } ?? ""
                let score = (entry["score"] as? Int).map { " 满意度 \($0)/5" } ?? ""
                Swift.print("  \(at)  \(entry["kind"] as? String ?? "")\(actor)\(via)\(score)\(note)")
            }
        }
    }

    /// Which clocks a pause stopped and which kept running, and why (a pause the policy does not name
    /// changes the status only).
    static func printPause(_ ticket: [String: Any]) {
        guard let pause = ticket["pause"] as? [String: Any] else { return }
        let clocks = pause["clocks"] as? [[String: Any]] ?? []
        let names = { (state: String) in clocks.filter { $0["state"] as? String == state }.compactMap { $0["name"] as? String } }
        let stopped = names("paused"), running = names("running")
        var headline = "  pause (\(pause["status"] as? String ?? "?")): "
        headline += stopped.isEmpty ? "no clock paused" : "paused \(stopped.joined(separator: ", "))"
        if !running.isEmpty { headline += "; still running \(running.joined(separator: ", "))" }
        Swift.print(headline)
        for clock in clocks {
            let title = (clock["title"] as? String).map { " \($0)" } ?? ""
            Swift.print("    \(clock["name"] as? String ?? "")\(title): \(clock["state"] as? String ?? "") — \(clock["reason"] as? String ?? "")")
        }
    }

    /// `35 min`, `2 h 5 min`: how long a notification has waited.
    static func duration(_ seconds: Int) -> String {
        let minutes = seconds / 60
        if minutes < 1 { return "\(seconds) s" }
        return minutes < 60 ? "\(minutes) min" : "\(minutes / 60) h \(minutes % 60) min"
    }

    static func printList(_ object: Any) {
        let tickets = (object as? [String: Any])?["tickets"] as? [[String: Any]] ?? []
        for ticket in tickets { Swift.print(line(ticket)) }
        Swift.print("\(tickets.count) ticket\(tickets.count == 1 ? "" : "s")")
    }
}

/// Prints incidents for people.
enum IncidentPrinter {
    static func line(_ incident: [String: Any]) -> String {
        let id = incident["id"] as? String ?? "?"
        let title = (incident["title"] as? String).map { " \($0)" } ?? ""
        let drill = (incident["drill"] as? Bool ?? false) ? "【演练】" : ""
        let place = [incident["site"] as? String, incident["building"] as? String].compactMap { $0 }.joined(separator: " ")
        let level = incident["level"] as? String ?? "?"
        let status = incident["status"] as? String ?? "?"
        return "\(drill)\(id)  \(incident["plan"] as? String ?? "?")\(title)  level \(level)\(place.isEmpty ? "" : "  " + place)  [\(status)]"
    }

    static func print(_ object: Any) {
        guard let incident = object as? [String: Any] else { return TicketPrinter.printJSON(object) }
        Swift.print(line(incident))
        let closed = incident["status"] as? String == "closed"
        for event in incident["events"] as? [[String: Any]] ?? [] {
            let at = event["at"] as? String ?? ""
            let by = (event["by"] as? String).map { " by \($0)" } ?? ""
            let note = (event["note"] as? String).map { " — \($0)" } ?? ""
            switch event["kind"] as? String {
            case "opened": Swift.print("  opened \(at)\(by) at level \(event["level"] as? String ?? "?")")
            case "raised": Swift.print("  raised to level \(event["level"] as? String ?? "?") \(at)\(by)\(note)")
            case "closed": Swift.print("  closed \(at)\(by)\(note)")
            default: break
            }
        }
        for step in incident["steps"] as? [[String: Any]] ?? [] {
            let name = step["name"] as? String ?? ""
            let title = (step["title"] as? String).map { " \($0)" } ?? ""
            // A closed incident's unconfirmed step is not "open" any more: it was never confirmed.
            let state = closed && step["state"] as? String == "open" ? "not confirmed" : step["state"] as? String ?? ""
            let mark = state == "confirmed" ? "✓" : state == "overdue" || state == "not confirmed" ? "✗" : "·"
            var text = "  \(mark) \(name)\(title): \(state), deadline \(step["deadline"] as? String ?? "")"
            if let at = step["confirmedAt"] as? String { text += ", confirmed \(at)" }
            if let by = step["confirmedBy"] as? String { text += " by \(by)" }
            if let via = step["confirmedVia"] as? String { text += " via \(via)" }
            if let owner = step["owner"] as? String { text += " (not the owner; owner \(owner))" }
            if let note = step["note"] as? String { text += " — \(note)" }
            if let people = step["notified"] as? [String], state != "confirmed" { text += "  → \(people.joined(separator: "、"))" }
            Swift.print(text)
        }
        let tickets = incident["tickets"] as? [String] ?? []
        if !tickets.isEmpty { Swift.print("  explains \(tickets.count) ticket\(tickets.count == 1 ? "" : "s"): \(tickets.joined(separator: ", "))") }
    }

    static func printList(_ object: Any) {
        let incidents = (object as? [String: Any])?["incidents"] as? [[String: Any]] ?? []
        for incident in incidents { Swift.print(line(incident)) }
        Swift.print("\(incidents.count) incident\(incidents.count == 1 ? "" : "s")")
    }
}
