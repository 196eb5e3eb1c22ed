/// Strings for the words of one file, reused when a word recurs.
///
/// Rule files repeat a small vocabulary: keywords, and the names of channels, clocks, teams and people.
/// Making a `String` from bytes (validating, copying, sometimes allocating) was a large part of lexing,
/// so a small direct-mapped table, keyed by a hash of the bytes, hands back the string made the last
/// time the same bytes were seen. A slot holds the position of those bytes in the file, so a hit is
/// confirmed by comparing bytes, never assumed from the hash.
struct WordCache {
    private struct Slot {
        var start = 0
        var count = -1
        var text = ""
    }

    private var slots = [Slot](repeating: Slot(), count: 1024)

    /// The text of `bytes[start..<end]`, decoded as UTF-8 (invalid bytes repaired, as `String(decoding:)` does).
    mutating func text(_ bytes: [UInt8], from start: Int, to end: Int) -> String {
        let count = end - start
        // Read through a buffer pointer: these two loops run for every byte of every word, and the
        // range is known to be inside the array (the lexer just read it).
        let (slot, isHit) = bytes.withUnsafeBufferPointer { buffer -> (Int, Bool) in
            var hash = count
            for index in start..<end { hash = hash &* 31 &+ Int(buffer[index]) }
            let slot = hash & (slots.count - 1)
            guard slots[slot].count == count else { return (slot, false) }
            let other = slots[slot].start
            var index = 0
            while index < count, buffer[start + index] == buffer[other + index] { index += 1 }
            return (slot, index == count)
        }
        if isHit { return slots[slot].text }
        let text = String(decoding: bytes[start..<end], as: UTF8.self)
        slots[slot] = Slot(start: start, count: count, text: text)
        return text
    }
}
