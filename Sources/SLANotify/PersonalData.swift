/// Masks residents' phone and ID numbers in a message for channels a whole group reads (`mask on`, the
/// default of the group robots): `13812345678` → `138****5678`, `110101199003071234` → `110101********1234`.
///
/// A resident writes numbers as people do, so the masker reads them as people do: digits may be ASCII or
/// full-width (１３８…), and written in groups separated by spaces, hyphens, dots or brackets, or by
/// invisible characters (zero-width spaces, joiners, the BOM, soft hyphens) a copy and paste leaves
/// behind. Consecutive groups that together make one of these are masked:
/// - a mainland mobile number, 11 digits `1[3-9]…`, also after 86, +86 or 0086 (the code stays);
/// - a resident ID number, 17 digits and a check digit or X;
/// - a landline with its area code, `0` and 10–12 digits in all.
/// Digits written together are one group and are never split: an order number or a date is left alone,
/// and a phone number cannot hide inside a longer one. Each hidden digit becomes one `*`; everything else
/// stays as written.
public enum PersonalData {
    public static func mask(_ text: String) -> String {
        let characters = Array(text)
        var hidden = Set<Int>()
        var index = 0
        while index < characters.count {
            guard digit(characters[index]) != nil else {
                index += 1
                continue
            }
            let groups = run(characters, from: index)
            hidden.formUnion(hiddenPositions(groups, characters))
            index = groups.last!.upperBound
        }
        guard !hidden.isEmpty else { return text }
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for (position, character) in characters.enumerated() { output.append(hidden.contains(position) ? "*" : character) }
        return output
    }

    /// The digit groups of the run starting at `start`: each a range of positions holding digits (and an
    /// ID's closing X), the gaps between them at most two separators.
    static func run(_ characters: [Character], from start: Int) -> [Range<Int>] {
        var groups: [Range<Int>] = []
        var cursor = start
        while true {
            var end = cursor
            while end < characters.count, digit(characters[end]) != nil { end += 1 }
            if end < characters.count, end > cursor, isCheckX(characters[end]) { end += 1 }
            groups.append(cursor..<end)
            var gap = end
            while gap < characters.count, gap - end < 3, isSeparator(characters[gap]) { gap += 1 }
            guard gap > end, gap < characters.count, gap - end <= 2, digit(characters[gap]) != nil else { break }
            cursor = gap
        }
        return groups
    }

    /// The most digits a number of a known kind has (an ID number; a mobile with 0086 has 15).
    static let longest = 18

    /// The positions to hide: spans of consecutive groups that make a number of a known kind, longest first.
    static func hiddenPositions(_ groups: [Range<Int>], _ characters: [Character]) -> [Int] {
        var hidden: [Int] = []
        var first = 0
        while first < groups.count {
            var matched = false
            var last = first
            var length = 0
            while last < groups.count, length + groups[last].count <= longest { length += groups[last].count; last += 1 }
            for end in stride(from: last - 1, through: first, by: -1) {
                let positions = groups[first...end].flatMap { Array($0) }
                let digits = positions.map { digit(characters[$0]) ?? 10 }
                let hide = hiddenDigits(digits)
                guard !hide.isEmpty else { continue }
                hidden += hide.map { positions[$0] }
                first = end + 1
                matched = true
                break
            }
            if !matched { first += 1 }
        }
        return hidden
    }

    /// Which digits of a number (by their place in it) are hidden; empty when it is none of the kinds.
    static func hiddenDigits(_ digits: [Int]) -> Range<Int> {
        let count = digits.count
        let x = digits.firstIndex(of: 10)
        func isMobile(_ from: Int) -> Bool { count - from == 11 && digits[from] == 1 && (3...9).contains(digits[from + 1]) }
        if x == nil {
            if isMobile(0) { return 3..<7 }
            for prefix in [[8, 6], [0, 0, 8, 6]] where count == prefix.count + 11 && Array(digits.prefix(prefix.count)) == prefix && isMobile(prefix.count) {
                return (prefix.count + 3)..<(prefix.count + 7)
            }
            if (10...12).contains(count), digits[0] == 0, digits[1] != 0 { return (count - 8)..<(count - 4) }
        }
        if count == 18, x == nil || x == 17 { return 6..<14 }
        return 0..<0
    }

    /// The value of an ASCII or full-width digit.
    static func digit(_ character: Character) -> Int? {
        guard character.unicodeScalars.count == 1, let scalar = character.unicodeScalars.first else { return nil }
        switch scalar.value {
        case 0x30...0x39: return Int(scalar.value - 0x30)
        case 0xFF10...0xFF19: return Int(scalar.value - 0xFF10)
        default: return nil
        }
    }

    static func isCheckX(_ character: Character) -> Bool { character == "X" || character == "x" || character == "Ｘ" }

    /// What may sit between the groups of one number: spaces, hyphens, dots, brackets, a plus, and
    /// invisible characters.
    static func isSeparator(_ character: Character) -> Bool {
        separators.contains(character)
    }

    static let separators: Set<Character> = [" ", "-", ".", "\u{3000}", "－", "—", "(", ")", "（", "）", "+", "＋",
                                             "\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{FEFF}", "\u{00AD}"]
}
