/// The row of each n-gram key of a model: an open-addressing hash table with a multiplicative hash,
/// built once when the model is made. A route decision looks up a hundred n-grams; the standard
/// `Dictionary` hashes each `UInt64` with seeded SipHash, this with one multiplication, about four times
/// faster (docs/performance.md). Keys are never 0 (`NGram` packs each scalar plus one), so 0 marks a free slot.
struct NGramTable: Sendable {
    private let keys: [UInt64]
    private let rows: [Int32]
    private let shift: UInt64

    init(_ vocabulary: [UInt64]) {
        var bits: UInt64 = 4
        while (1 << bits) < vocabulary.count * 2 { bits += 1 }
        let capacity = 1 << Int(bits)
        var keys = [UInt64](repeating: 0, count: capacity)
        var rows = [Int32](repeating: -1, count: capacity)
        shift = 64 - bits
        let mask = capacity - 1
        for (row, key) in vocabulary.enumerated() {
            var slot = Self.slot(key, shift)
            while keys[slot] != 0 { slot = (slot + 1) & mask }
            keys[slot] = key
            rows[slot] = Int32(row)
        }
        self.keys = keys
        self.rows = rows
    }

    @inline(__always)
    private static func slot(_ key: UInt64, _ shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The row of `key`, or nil when the model has never seen it.
    @inline(__always)
    func row(_ key: UInt64) -> Int? {
        keys.withUnsafeBufferPointer { keys in
            let mask = keys.count - 1
            var slot = Self.slot(key, shift)
            while true {
                let found = keys[slot]
                if found == key { return Int(rows[slot]) }
                if found == 0 { return nil }
                slot = (slot + 1) & mask
            }
        }
    }
}
