import SLAEngine
import Testing

/// `RepeatKey` and `RepeatMarker`: which earlier ticket a new one repeats, over whole histories.
@Suite struct RepeatMarkerTests {
    let day = 86_400
    let start = Instant(seconds: 1_758_506_400)

    func ticket(_ id: String, at offset: Int, unit: String? = "1102", category: String? = "pipe", kind: String = "repair",
                site: String? = "翠湖花园", events: [(EventKind, Int, [String: String]?)] = []) -> Ticket {
        let fields = TicketFields(kind: kind, category: category, site: site, building: "3栋", unit: unit)
        var ticket = Ticket(id: id, fields: fields, createdAt: start + offset)
        for (kind, at, changes) in events { ticket.append(TicketEventRecord(kind: kind, at: start + at, changes: changes)) }
        return ticket
    }

    @Test func theMostRecentlyClosedWithinTheWindowIsRepeated() {
        let tickets = [
            ticket("A", at: 0, events: [(.closed, 3600, nil)]),
            ticket("B", at: 100, events: [(.closed, 7200, nil)]),
            ticket("C", at: 2 * day),
            ticket("D", at: 2 * day, unit: "1201"),
            ticket("E", at: 2 * day, category: nil),
            ticket("F", at: 2 * day, kind: "complaint"),
            ticket("G", at: 2 * day, site: nil),
            ticket("H", at: 7200 + 30 * day),        // exactly `within` after B's close: still a repeat
            ticket("I", at: 7200 + 30 * day + 1),    // one second later: not
        ]
        #expect(RepeatMarker.repeats(in: tickets, within: 30 * day) == [nil, nil, "B", nil, nil, nil, nil, "B", nil] as [String?])
    }

    @Test func creationOrderNotFileOrder() {
        // The later-created ticket comes first in the file; the earlier one closed before it was created.
        let tickets = [ticket("late", at: 2 * day), ticket("early", at: 0, events: [(.closed, day, nil)])]
        #expect(RepeatMarker.repeats(in: tickets, within: 30 * day) == ["early", nil])
        let marked = RepeatMarker.marking(tickets, within: 30 * day)
        #expect(marked[0].repeatOf == "early" && marked[1].repeatOf == nil)
    }

    @Test func aTicketClosedAfterTheNewOneWasCreatedIsNotRepeated() {
        let tickets = [ticket("A", at: 0, events: [(.closed, 2 * day, nil)]), ticket("B", at: day)]
        #expect(RepeatMarker.repeats(in: tickets, within: 30 * day) == [nil, nil])
    }

    @Test func reopenedBeforeTheNewTicketDoesNotCount() {
        let reopened = ticket("A", at: 0, events: [(.closed, 3600, nil), (.reopened, 7200, nil)])
        #expect(RepeatMarker.repeats(in: [reopened, ticket("B", at: day)], within: 30 * day) == [nil, nil])
        // Reopened only after the new ticket came in: it was closed when the new one was created.
        let later = ticket("A", at: 0, events: [(.closed, 3600, nil), (.reopened, 2 * day, nil)])
        #expect(RepeatMarker.repeats(in: [later, ticket("B", at: day)], within: 30 * day) == [nil, "A"])
    }

    @Test func missingPartsEqualOnlyMissingParts() {
        let tickets = [ticket("A", at: 0, unit: nil, events: [(.closed, 3600, nil)]), ticket("B", at: day, unit: ""), ticket("C", at: day, unit: nil)]
        #expect(RepeatMarker.repeats(in: tickets, within: 30 * day) == [nil, nil, "A"])
        #expect(RepeatKey(site: "s", building: nil, unit: "", kind: "repair", category: nil).text
            != RepeatKey(site: "s", building: nil, unit: nil, kind: "repair", category: nil).text)
    }

    @Test func theClosedTicketsRegradedCategoryIsCompared() {
        let regraded = ticket("A", at: 0, events: [(.regraded, 60, ["category": "lift"]), (.closed, 3600, nil)])
        #expect(RepeatMarker.repeats(in: [regraded, ticket("B", at: day)], within: 30 * day) == [nil, nil])
        #expect(RepeatMarker.repeats(in: [regraded, ticket("C", at: day, category: "lift")], within: 30 * day) == [nil, "A"])
        #expect(RepeatKey.closed(regraded, at: start + day)?.key.category == "lift")
        #expect(RepeatKey.closed(regraded, at: start + 60) == nil)
    }
}
