/// What an action link does. The raw value is what the token and the `action_link` table hold.
public enum LinkAction: String, Sendable, Hashable, Codable, CaseIterable {
    /// A ticket: 接单 (the `acknowledged` event).
    case acknowledge = "ack"
    /// A ticket: 已处理 (the `resolved` event).
    case resolve
    /// A ticket: 不是我的: assigned back to the person's supervisor, with a note.
    case notMine = "not-mine"
    /// An incident or drill step: 确认完成 (the `confirmed` event for that step).
    case confirm

    /// The button's and the link's label, as operators read it.
    public var label: String {
        switch self {
        case .acknowledge: "接单"
        case .resolve: "已处理"
        case .notMine: "不是我的"
        case .confirm: "确认完成"
        }
    }
}
