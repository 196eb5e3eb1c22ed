/// Character n-grams as numbers: up to three Unicode scalars packed into one `UInt64`, 21 bits each
/// (every scalar is at most U+10FFFF; each is stored plus one so that no gram packs to the same number
/// as a shorter one). The classifier counts and looks up these keys rather than strings: a route decision
/// has a budget of 20 µs, and hashing a `UInt64` costs a fraction of hashing a `String`.
///
/// Because each packed scalar is at least 1, a gram of n scalars lies in [2^(21(n-1)), 2^(21n)): sorting
/// the keys sorts the grams by length first, then scalar by scalar, which is the order of the model file.
enum NGram {
    /// The longest gram that fits in a key.
    static let longest = 3
    static let bits: UInt64 = 21
    static let mask: UInt64 = (1 << 21) - 1

    /// Calls `body` with the key of every gram of `minimum...maximum` scalars of `text` in normal form
    /// (`TextNormalizer`, folded here scalar by scalar rather than into a new string first), position by
    /// position (at each scalar, the grams ending there, shortest first).
    @inline(__always)
    static func forEach(in text: String, _ minimum: Int, _ maximum: Int, _ body: (UInt64) -> Void) {
        // keys[n - 1] is the gram of the last n scalars; valid once n scalars have been seen.
        var k1: UInt64 = 0, k2: UInt64 = 0, k3: UInt64 = 0
        var seen = 0
        for original in text.unicodeScalars {
            guard let scalar = TextNormalizer.fold(original) else { continue }
            let value = UInt64(scalar.value) + 1
            k3 = (k2 << bits) | value
            k2 = (k1 << bits) | value
            k1 = value
            seen += 1
            if minimum <= 1 { body(k1) }
            if maximum >= 2, minimum <= 2, seen >= 2 { body(k2) }
            if maximum >= 3, seen >= 3 { body(k3) }
        }
    }

    /// The text of a key.
    static func text(_ key: UInt64) -> String {
        var scalars: [Unicode.Scalar] = []
        var rest = key
        while rest != 0 {
            scalars.append(Unicode.Scalar(UInt32((rest & mask) - 1)) ?? "\u{FFFD}")
            rest >>= bits
        }
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars.reversed())
        return String(text)
    }

    /// The key of a gram's text, or nil when it is empty, longer than three scalars or not normalised.
    static func key(_ text: String) -> UInt64? {
        var key: UInt64 = 0
        var count = 0
        for scalar in text.unicodeScalars {
            count += 1
            guard count <= longest, TextNormalizer.fold(scalar) == scalar else { return nil }
            key = (key << bits) | (UInt64(scalar.value) + 1)
        }
        return count == 0 ? nil : key
    }

    /// The number of scalars in a key.
    static func length(_ key: UInt64) -> Int {
        key >= 1 << (2 * bits) ? 3 : key >= 1 << bits ? 2 : 1
    }
}
