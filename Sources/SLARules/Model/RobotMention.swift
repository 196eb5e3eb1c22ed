/// One entry of a robot channel's `mention` setting, read the way the vendors read it: WeCom puts mobile
/// numbers in `mentioned_mobile_list` and user ids (and `@all`) in `mentioned_list`; DingTalk @s only
/// mobile numbers (`at.atMobiles`) and `all` (`isAtAll`).
public enum RobotMention: Sendable, Hashable {
    /// A mobile number, as written (digits, an optional leading `+`).
    case mobile(String)
    /// Everyone in the group: `@all` (WeCom) or `all` (DingTalk).
    case everyone
    /// A user id (WeCom only).
    case user(String)

    public init(_ text: String) {
        if text == "@all" || text == "all" {
            self = .everyone
        } else if Self.isMobile(text) {
            self = .mobile(text)
        } else {
            self = .user(text)
        }
    }

    /// Digits with an optional leading `+`, 5 to 15 of them: a phone number, not a user id.
    public static func isMobile(_ text: String) -> Bool {
        let digits = text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        return (5...15).contains(digits.count) && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// A Chinese mobile without its country code (`+8613800000001` → `13800000001`), as WeCom matches
    /// group members by the number they registered; other numbers stay as written.
    public static func domestic(_ mobile: String) -> String {
        for prefix in ["+86", "86"] where mobile.hasPrefix(prefix) && mobile.count == prefix.count + 11 {
            return String(mobile.dropFirst(prefix.count))
        }
        return mobile
    }

    /// Looks like a phone number written with separators (`138-0000-0001`, `138 0000 0001`), which a
    /// robot would read as a user id that matches nobody.
    public static func isPunctuatedMobile(_ text: String) -> Bool {
        let stripped = text.filter { $0 != "-" && $0 != " " && $0 != "(" && $0 != ")" }
        return stripped != text && isMobile(stripped)
    }
}
