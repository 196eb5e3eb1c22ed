import SLAEngine
import SLARules

/// A byte-level reader for the common shape of a ticket line, about ten times faster than going through
/// JSONSerialization (which builds a dictionary of `Any` for every line: about 20 µs a ticket, 20 s for
/// the million tickets `slad simulate` must replay in 10).
///
/// It accepts only what it is sure of: known keys, each once; string values with simple escapes; `tags`
/// as strings; `events` as objects of strings; `null`. Anything else — an unknown key, a number, a
/// `\u` escape, a time that does not parse, any error at all — returns nil, and `TicketJSON.decode` reads
/// the line the slow way, which gives the answer or the error with its field. So the fast path never
/// decides anything the slow path would decide differently; SimulationInputTests compares the two.
enum TicketJSONFastPath {
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, zone: ZoneTable) -> Ticket? {
        var reader = Reader(bytes: bytes)
        return reader.ticket(zone: zone)
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        mutating func skipSpace() {
            while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0D || bytes[index] == 0x0A {
                index += 1
            }
        }

        mutating func expect(_ byte: UInt8) -> Bool {
            skipSpace()
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func peek() -> UInt8? {
            skipSpace()
            return index < bytes.count ? bytes[index] : nil
        }

        /// A string with no escapes but `\"`, `\\`, `\/`, `\n`, `\t`, `\r`; nil otherwise.
        mutating func string() -> String? {
            guard expect(UInt8(ascii: "\"")) else { return nil }
            let start = index
            var escaped = false
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") { break }
                if byte < 0x20 { return nil }
                if byte == UInt8(ascii: "\\") {
                    escaped = true
                    index += 2
                    continue
                }
                index += 1
            }
            guard index < bytes.count else { return nil }
            let raw = UnsafeBufferPointer(rebasing: bytes[start..<index])
            index += 1
            guard escaped else { return Self.makeString(raw) }
            var unescaped: [UInt8] = []
            var i = 0
            while i < raw.count {
                if raw[i] == UInt8(ascii: "\\") {
                    guard i + 1 < raw.count else { return nil }
                    switch raw[i + 1] {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): unescaped.append(raw[i + 1])
                    case UInt8(ascii: "n"): unescaped.append(0x0A)
                    case UInt8(ascii: "t"): unescaped.append(0x09)
                    case UInt8(ascii: "r"): unescaped.append(0x0D)
                    default: return nil
                    }
                    i += 2
                } else {
                    unescaped.append(raw[i])
                    i += 1
                }
            }
            return unescaped.withUnsafeBufferPointer { Self.makeString($0) }
        }

        /// Valid UTF-8 as a String; nil for invalid bytes (which JSONSerialization rejects too).
        static func makeString(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
            var ascii = true
            for byte in bytes where byte >= 0x80 { ascii = false; break }
            return ascii ? String(decoding: bytes, as: UTF8.self) : String(validating: bytes, as: UTF8.self)
        }

        /// A time, through the one reader of times (`LocalTime.parse`).
        static func instant(_ text: String, zone: ZoneTable) -> Instant? {
            LocalTime.parse(text, zone: zone)
        }

        /// A time value (a string, or `null`: nil inside) read straight from the line's bytes when it has no
        /// escapes, so that no `String` is made for it (a time is longer than the 15 bytes a
        /// `String` holds without allocating); otherwise as a string, as before. Nil outside when malformed.
        mutating func instantOrNull(zone: ZoneTable) -> Instant?? {
            guard peek() == UInt8(ascii: "\"") else {
                guard let text = stringOrNull() else { return nil }
                return .some(text.flatMap { Self.instant($0, zone: zone) })
            }
            var end = index + 1
            while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\"), bytes[end] >= 0x20 { end += 1 }
            if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
                let instant = LocalTime.parse(UnsafeBufferPointer(rebasing: bytes[index + 1..<end]), zone: zone)
                index = end + 1
                return .some(instant)
            }
            guard let text = string() else { return nil }
            return .some(Self.instant(text, zone: zone))
        }

        /// A string or `null` (nil inside); nil outside when it is neither.
        mutating func stringOrNull() -> String?? {
            if peek() == UInt8(ascii: "n") {
                guard index + 4 <= bytes.count, bytes[index + 1] == UInt8(ascii: "u"), bytes[index + 2] == UInt8(ascii: "l"),
                      bytes[index + 3] == UInt8(ascii: "l") else { return nil }
                index += 4
                return .some(nil)
            }
            return string().map { .some($0) }
        }

        /// The bytes of a key (no escapes), matched against a table of known keys: its index, or nil.
        mutating func key(_ table: [[UInt8]]) -> Int? {
            guard expect(UInt8(ascii: "\"")) else { return nil }
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") { index += 1 }
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
            let length = index - start
            index += 1
            guard expect(UInt8(ascii: ":")) else { return nil }
            for (position, candidate) in table.enumerated() where candidate.count == length {
                var same = true
                for offset in 0..<length where bytes[start + offset] != candidate[offset] {
                    same = false
                    break
                }
                if same { return position }
            }
            return nil
        }

        static let ticketKeys = ["id", "kind", "created", "tags", "events", "category", "grade", "priority", "site",
                                 "building", "unit", "reporter", "assignee", "source", "text"]
        static let ticketKeyBytes = ticketKeys.map { Array($0.utf8) }
        /// The ticket field of each key from index 5 on ("text" last, not a field).
        static let ticketFields: [TicketField?] = ticketKeys.map { TicketField(rawValue: $0) }
        static let eventKeys = ["kind", "at", "actor", "note", "status", "assignee", "grade", "priority", "category"]
        static let eventKeyBytes = eventKeys.map { Array($0.utf8) }
        static let eventKinds = EventKind.allCases.filter { $0 != .created }
        static let eventKindNames = eventKinds.map(\.rawValue)

        mutating func ticket(zone: ZoneTable) -> Ticket? {
            // The values by key index live on the stack: two arrays per line (the values and which keys were
            // seen) cost two allocations through the generic array code.
            withUnsafeTemporaryAllocation(of: String?.self, capacity: Self.ticketKeys.count) { values in
                values.initialize(repeating: nil)
                defer { values.releaseEach() }
                return ticket(zone: zone, values: values)
            }
        }

        mutating func ticket(zone: ZoneTable, values: UnsafeMutableBufferPointer<String?>) -> Ticket? {
            guard expect(UInt8(ascii: "{")) else { return nil }
            var seen: UInt32 = 0
            var tags: [String]?
            // The history in one array: the `created` event first (a placeholder until the line is read, as
            // `created` may come after `events`), then the line's events.
            var history = [TicketEventRecord(kind: .created, at: Instant(seconds: 0))]
            history.reserveCapacity(4)
            var created: Instant??
            if peek() == UInt8(ascii: "}") { return nil }
            repeat {
                guard let key = key(Self.ticketKeyBytes), seen & (1 << key) == 0 else { return nil }
                seen |= 1 << key
                switch key {
                case 2:   // created
                    guard let value = instantOrNull(zone: zone) else { return nil }
                    created = value
                case 3:   // tags
                    guard expect(UInt8(ascii: "[")) else { return nil }
                    var list: [String] = []
                    if peek() == UInt8(ascii: "]") { index += 1 } else {
                        repeat {
                            guard let tag = string() else { return nil }
                            list.append(tag)
                        } while expect(UInt8(ascii: ","))
                        guard expect(UInt8(ascii: "]")) else { return nil }
                    }
                    tags = list
                case 4:   // events
                    guard expect(UInt8(ascii: "[")) else { return nil }
                    if peek() == UInt8(ascii: "]") { index += 1 } else {
                        repeat {
                            guard let event = event(zone: zone) else { return nil }
                            history.append(event)
                        } while expect(UInt8(ascii: ","))
                        guard expect(UInt8(ascii: "]")) else { return nil }
                    }
                default:
                    // `null` is as good as absent, as in the slow path.
                    guard let value = stringOrNull() else { return nil }
                    values[key] = value
                }
            } while expect(UInt8(ascii: ","))
            guard expect(UInt8(ascii: "}")) else { return nil }
            skipSpace()
            guard index == bytes.count else { return nil }
            guard let id = values[0], !id.isEmpty, let kind = values[1], let created = created ?? nil else { return nil }
            var fields = TicketFields(kind: kind)
            for key in 5..<Self.ticketKeys.count {
                if let value = values[key], let field = Self.ticketFields[key] { _ = fields.set(field, to: value) }
            }
            fields.text = values[14]
            if let tags { fields.tags = tags }
            history[0] = TicketEventRecord(kind: .created, at: created, actor: values[11])
            return Ticket(id: id, fields: fields, events: history)
        }

        mutating func event(zone: ZoneTable) -> TicketEventRecord? {
            withUnsafeTemporaryAllocation(of: String?.self, capacity: Self.eventKeys.count) { values in
                values.initialize(repeating: nil)
                defer { values.releaseEach() }
                return event(zone: zone, values: values)
            }
        }

        mutating func event(zone: ZoneTable, values: UnsafeMutableBufferPointer<String?>) -> TicketEventRecord? {
            guard expect(UInt8(ascii: "{")) else { return nil }
            var seen: UInt32 = 0
            var at: Instant??
            if peek() == UInt8(ascii: "}") { return nil }
            repeat {
                guard let key = key(Self.eventKeyBytes), seen & (1 << key) == 0 else { return nil }
                seen |= 1 << key
                if key == 1 {   // at
                    guard let value = instantOrNull(zone: zone) else { return nil }
                    at = value
                } else {
                    guard let value = stringOrNull() else { return nil }
                    values[key] = value
                }
            } while expect(UInt8(ascii: ","))
            guard expect(UInt8(ascii: "}")) else { return nil }
            guard let kindText = values[0], let kindIndex = Self.eventKindNames.firstIndex(of: kindText),
                  let at = at ?? nil else { return nil }
            let kind = Self.eventKinds[kindIndex]
            var changes: [String: String] = [:]
            for key in 4..<Self.eventKeys.count {
                if let value = values[key] { changes[Self.eventKeys[key]] = value }
            }
            if kind == .paused, let status = changes["status"], !TicketStatus.pauseStatuses.contains(status) { return nil }
            return TicketEventRecord(kind: kind, at: at, actor: values[2], note: values[3],
                                     changes: changes.isEmpty ? nil : changes)
        }
    }
}

extension UnsafeMutableBufferPointer {
    /// Deinitializes every element by moving it out: specialized, where `deinitialize()` goes through the
    /// runtime's generic array destruction (hundreds of instructions for a few optional strings).
    @inline(__always)
    func releaseEach() {
        for offset in indices { _ = (baseAddress! + offset).move() }
    }
}
