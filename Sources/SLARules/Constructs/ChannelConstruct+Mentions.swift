/// The robots' `mention` setting, checked the way each vendor reads it: a mention the robot cannot @
/// (a user id on DingTalk, a phone written with dashes, `all` where the vendor says `@all`) is W015.
extension ChannelConstruct {
    static func checkMentions(_ channel: Channel, at range: SourceRange, into builder: inout RuleBuilder) {
        let entries: [String]
        switch channel.settings["mention"] {
        case let .list(items): entries = items
        case let .text(text), let .word(text): entries = [text]
        default: return
        }
        for entry in entries {
            if let found = problem(entry, kind: channel.kind) {
                builder.diagnostics.warning(.mentionNotDelivered, at: range, "\(channel.kind.rawValue) channel '\(channel.name)': \(found.message)",
                                            hint: found.hint)
            }
        }
    }

    private static func problem(_ entry: String, kind: ChannelKind) -> (message: String, hint: String)? {
        if RobotMention.isPunctuatedMobile(entry) {
            let digits = entry.filter { $0 != "-" && $0 != " " && $0 != "(" && $0 != ")" }
            return ("mention '\(entry)' is a phone number with separators; the robot would read it as a user id and @ nobody",
                    "write the digits only: \"\(digits)\"")
        }
        switch (kind, RobotMention(entry)) {
        case (.dingtalk, .user):
            return ("DingTalk robots @ only mobile numbers; mention '\(entry)' would be ignored",
                    "write the person's mobile number (\"13800000001\"), or \"all\" for everyone")
        case (.dingtalk, .everyone) where entry == "@all":
            return ("DingTalk writes everyone as 'all', not '@all'; it is read as 'all'", "write \"all\"")
        case (.wecom, .everyone) where entry == "all":
            return ("WeCom writes everyone as '@all', not 'all'; it is read as '@all'", "write \"@all\"")
        default:
            return nil
        }
    }
}
