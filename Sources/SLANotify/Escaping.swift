/// Escaping per channel. The whole composed message is treated as untrusted: it carries what a resident
/// typed, so nothing in it may become markup, a mention or a link. The notifier adds its own markup
/// around the escaped text. JSON is always written by `JSONSerialization` (see `JSONBody`).
public enum Escaping {
    /// For robot Markdown (WeCom, DingTalk): every character Markdown or the robots' HTML subset gives a
    /// meaning to becomes its full-width twin, which reads the same to a person in Chinese text.
    /// Mentions (`@all`, `<@id>`, `<at user_id="all">`), links (`[x](y)`, `<url>`, bare `scheme://`),
    /// images, emphasis, headings, quotes, code and `<font>` tags are all disarmed.
    public static func robotMarkdown(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var lineStart = true
        for scalar in normalizedLines(text).unicodeScalars {
            if scalar == "\n" {
                // A Markdown line break the robots honour: two spaces do not survive WeCom, a blank line does.
                out += "\n"
                lineStart = true
                continue
            }
            if lineStart, scalar == "-" || scalar == "+" || scalar == "=" { out += fullWidth(scalar); lineStart = false; continue }
            lineStart = false
            switch scalar {
            case "[", "]", "(", ")", "<", ">", "@", "`", "*", "_", "#", "|", "!", "~", "\\", "&":
                out += fullWidth(scalar)
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return disarmSchemes(out)
    }

    /// For robot plain text (WeCom/DingTalk/Feishu `text`): no mention syntax, no `<at …>` tags, no
    /// clickable `scheme://` (Markdown is not rendered in text messages).
    public static func robotText(_ text: String) -> String {
        var out = ""
        for scalar in normalizedLines(text).unicodeScalars {
            switch scalar {
            case "<", ">", "@": out += fullWidth(scalar)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return disarmSchemes(out)
    }

    /// Controls other than newline and tab removed (they can end a field in some gateways' parsers),
    /// CR/LF normalised, the bidirectional overrides that can disguise text removed.
    public static func normalizedLines(_ text: String) -> String {
        if !needsNormalizing(text) { return text }
        var out = ""
        for scalar in text.replacingOccurrences(of: "\r\n", with: "\n").unicodeScalars {
            switch scalar.value {
            case 0x0A, 0x09: out.unicodeScalars.append(scalar)
            case 0x0D: out += "\n"
            case 0x00...0x1F, 0x7F: continue
            case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// False when `normalizedLines` would return the text as it is: no control character but newline and
    /// tab, no DEL, no bidirectional control (U+200E/F: E2 80 8E/8F; U+202A–202E: E2 80 AA–AE; U+2066–2069:
    /// E2 81 A6–A9). Most texts pass; they are not copied scalar by scalar.
    static func needsNormalizing(_ text: String) -> Bool {
        var utf8 = text.utf8.makeIterator()
        var previous: (UInt8, UInt8) = (0, 0)
        while let byte = utf8.next() {
            switch byte {
            case 0x0A, 0x09: break
            case 0x00..<0x20, 0x7F: return true
            case 0x8E...0xAE where previous == (0xE2, 0x80) && (byte <= 0x8F || byte >= 0xAA): return true
            case 0xA6...0xA9 where previous == (0xE2, 0x81): return true
            default: break
            }
            previous = (previous.1, byte)
        }
        return false
    }

    /// For plain text that clients turn into links (SMS, e-mail, the console) when the notice carries
    /// slad's own links: lines normalised and `scheme://` disarmed, so the only tappable links are slad's.
    public static func plainText(_ text: String) -> String {
        disarmSchemes(normalizedLines(text))
    }

    /// Cuts text to at most `bytes` bytes of UTF-8 at a character boundary, ending with "…" when cut.
    public static func truncate(_ text: String, bytes: Int) -> String {
        truncate(text, to: bytes) { $0.utf8.count }
    }

    /// Cuts text to at most `limit` as measured by `size` (UTF-8 bytes, UTF-16 units for SMS) at a
    /// character boundary, ending with "…" when cut; empty when not even "…" fits.
    public static func truncate(_ text: String, to limit: Int, size: (String) -> Int) -> String {
        if size(text) <= limit { return text }
        let budget = limit - size("…")
        guard budget >= 0 else { return "" }
        var out = ""
        var used = 0
        for character in text {
            let width = size(String(character))
            if used + width > budget { break }
            out.append(character)
            used += width
        }
        return out + "…"
    }

    private static func fullWidth(_ scalar: Unicode.Scalar) -> String {
        // The full-width forms block (U+FF01…U+FF5E) mirrors ASCII 0x21…0x7E.
        String(Unicode.Scalar(scalar.value - 0x21 + 0xFF01)!)
    }

    /// `http://x` → `http：//x`: a robot cannot turn it into a link.
    private static func disarmSchemes(_ text: String) -> String {
        text.contains("://") ? text.replacingOccurrences(of: "://", with: "：//") : text
    }
}
