/// The one normal form free text is compared in, by keyword routes and by the text classifier alike:
/// full-width ASCII (`ＡＢＣ１２３！`) becomes half-width, Latin letters lower case, and every space —
/// ASCII, ideographic (U+3000), no-break — is dropped, so that `水 管 爆 裂`, `水管爆裂` and `水管　爆裂`
/// are the same text. Chinese has no spaces between words, so dropping them loses nothing a keyword needs.
///
/// Written by scalar rather than through Foundation's NFKC: a route decision has a budget of 20 µs, and
/// this is the only compatibility folding operators' keywords need (docs/dispatch.md).
public enum TextNormalizer {
    public static func normalize(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if let folded = fold(scalar) { scalars.append(folded) }
        }
        return String(scalars)
    }

    /// The scalar in normal form, or nil when it is a space.
    @inline(__always)
    static func fold(_ scalar: Unicode.Scalar) -> Unicode.Scalar? {
        var value = scalar.value
        if value >= 0xFF01, value <= 0xFF5E { value -= 0xFEE0 }  // full-width ASCII
        switch value {
        case 0x41...0x5A:
            return Unicode.Scalar(value + 0x20)
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200B, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF:
            return nil
        default:
            return value == scalar.value ? scalar : Unicode.Scalar(value)
        }
    }
}
