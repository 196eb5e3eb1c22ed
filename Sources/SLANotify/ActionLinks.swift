import SLARules

/// slad's own action links (`Notice.actions`) as the notifiers render them: at `Notice.actionsAt`, between
/// the two escaped halves of the message, so that nothing a resident typed can pose as one or change
/// where they go. Only URLs that cannot carry markup are rendered (defence in depth: a link is composed
/// by slad, never from a resident's text, but a broken minting must not become an injection).
public enum ActionLinks {
    /// One person's links. `name` is set only when the notice reaches several people.
    public struct Group: Sendable, Equatable {
        public let person: String
        public let name: String?
        public let actions: [NoticeAction]
    }

    /// An `http(s)://host…` URL of printable ASCII without space, quotes, angle brackets, parentheses,
    /// backslash, braces, `|`, `^` or backtick: nothing that could end a Markdown link or an HTML attribute.
    public static func isSafe(_ url: String) -> Bool {
        let lowered = url.lowercased()
        guard let scheme = ["https://", "http://"].first(where: { lowered.hasPrefix($0) }), url.utf8.count > scheme.utf8.count,
              !url.dropFirst(scheme.count).hasPrefix("/") else { return false }
        return url.unicodeScalars.allSatisfy(LinkBaseURL.isURLCharacter)
    }

    /// The notice's renderable links, grouped by person in the order they come.
    public static func groups(_ notice: Notice) -> [Group] {
        var order: [String] = []
        var byPerson: [String: [NoticeAction]] = [:]
        for action in notice.actions where isSafe(action.url) {
            if byPerson[action.person] == nil { order.append(action.person) }
            byPerson[action.person, default: []].append(action)
        }
        let several = order.count > 1
        return order.map { person in
            let actions = byPerson[person] ?? []
            let name = actions.first?.name ?? notice.recipients.first { $0.person == person }?.name ?? person
            return Group(person: person, name: several ? name : nil, actions: actions)
        }
    }

    /// The one link an SMS to `person` carries: their first (the store mints the most useful first:
    /// 接单 for a ticket, 确认完成 for a step).
    public static func primary(_ notice: Notice, for person: String) -> NoticeAction? {
        notice.actions.first { $0.person == person && isSafe($0.url) }
    }

    /// Plain lines, one per link: `接单 URL`, or `张伟：接单 URL` when several people are reached; with
    /// `separator: "："` (e-mail) `接单：URL` and `张伟 接单：URL`. `escape` makes a name or label (slad's
    /// own words) safe for the channel's text.
    public static func plainLines(_ groups: [Group], separator: String = " ", escape: (String) -> String = singleLine) -> [String] {
        let afterName = separator == " " ? "：" : " "
        return groups.flatMap { group in
            group.actions.map { (group.name.map { escape($0) + afterName } ?? "") + escape($0.label) + separator + $0.url }
        }
    }

    /// Plain lines for robot text (WeCom with `mention`, Feishu): `@`, `<`, `>` in names and labels disarmed.
    public static func robotTextLines(_ notice: Notice) -> [String] {
        plainLines(groups(notice)) { Escaping.robotText(singleLine($0)) }
    }

    /// Robot Markdown: one line per person, `[接单](URL)　[已处理](URL)`, names and labels escaped.
    public static func markdownLines(_ groups: [Group]) -> [String] {
        groups.map { group in
            let links = group.actions.map { "[\(Escaping.robotMarkdown(singleLine($0.label)))](\($0.url))" }.joined(separator: "　")
            return (group.name.map { Escaping.robotMarkdown(singleLine($0)) + "：" } ?? "") + links
        }
    }

    /// Robot Markdown (WeCom, DingTalk): the message escaped, the links as real Markdown links at their place.
    public static func robotMarkdown(_ notice: Notice, limit: Int) -> String {
        place(markdownLines(groups(notice)), in: notice.text, at: notice.actionsAt, escape: Escaping.robotMarkdown, gap: "\n\n", limit: limit)
    }

    /// Robot text (WeCom with `mention`, Feishu): the message escaped, the links as `接单 URL` lines at their place.
    public static func robotText(_ notice: Notice, limit: Int) -> String {
        place(robotTextLines(notice), in: notice.text, at: notice.actionsAt, escape: Escaping.robotText, limit: limit)
    }

    /// A name or label on one line: controls and line breaks removed.
    public static func singleLine(_ text: String) -> String {
        Escaping.normalizedLines(text).replacingOccurrences(of: "\n", with: " ")
    }

    /// The message escaped with `escape`, the `lines` placed at `offset` (a UTF-8 offset into `text`; nil or
    /// not a character boundary: the end), `gap` between them and the text, cut to `limit` as measured by
    /// `size`. The text is cut, never the links. Without lines: exactly `escape(text)`, cut to `limit`.
    public static func place(_ lines: [String], in text: String, at offset: Int?, escape: (String) -> String, gap: String = "\n",
                             limit: Int? = nil, size: (String) -> Int = { $0.utf8.count }) -> String {
        guard !lines.isEmpty else {
            let escaped = escape(text)
            return limit.map { Escaping.truncate(escaped, to: $0, size: size) } ?? escaped
        }
        let (rawBefore, rawAfter) = split(text, at: offset)
        let before = escape(rawBefore), after = escape(rawAfter)
        let block = (before.isEmpty || before.hasSuffix("\n") ? "" : gap) + lines.joined(separator: "\n")
            + (after.isEmpty || after.hasPrefix("\n") ? "" : gap)
        guard let limit, size(before) + size(block) + size(after) > limit else { return before + block + after }
        let room = limit - size(block)
        // Links that do not fit even alone would arrive cut, which is worse than none.
        guard room > size("…") else { return Escaping.truncate(escape(text), to: limit, size: size) }
        if size(before) >= room { return Escaping.truncate(before, to: room, size: size) + block }
        return before + block + Escaping.truncate(after, to: room - size(before), size: size)
    }

    /// `text` cut at a UTF-8 offset that falls on a scalar boundary; otherwise (or nil) all of it comes first.
    public static func split(_ text: String, at offset: Int?) -> (before: String, after: String) {
        guard let offset, offset >= 0, offset <= text.utf8.count else { return (text, "") }
        let index = text.utf8.index(text.utf8.startIndex, offsetBy: offset)
        guard index.samePosition(in: text.unicodeScalars) != nil else { return (text, "") }
        return (String(text.unicodeScalars[..<index]), String(text.unicodeScalars[index...]))
    }

    /// The links as JSON objects `{person, label, url}` for the webhook and exec kinds.
    public static func jsonObjects(_ notice: Notice) -> [[String: Any]] {
        notice.actions.filter { isSafe($0.url) }.map { ["person": $0.person, "label": $0.label, "url": $0.url] }
    }
}
