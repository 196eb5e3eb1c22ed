/// The contract between the public action pages (the web side: HTTP, HTML, CSRF, rate limits) and what
/// stands behind a token (the store side: looking a link up, verifying it, acting once). The web side
/// knows nothing of tickets or SQL; the store side knows nothing of HTTP.
public protocol ActionDesk: Sendable {
    /// What a token leads to, for the page a GET shows. Never changes anything.
    func look(token: String, now: Int) async -> ActionLookup
    /// Does what the token says, once. A second call for the same token answers `.alreadyDone`.
    func act(token: String, now: Int) async -> ActionResult
    /// The per-page value the POST must carry: bound to the token, unknowable without the key.
    func formValue(token: String) -> String?
}

/// What a page shows about the thing a link acts on. All text is plain (the page escapes it).
public struct ActionView: Sendable, Hashable {
    public var action: LinkAction
    /// 工单 T-20261203-0001 / 电梯困人 I级 (事件 I-…)
    public var subject: String
    /// True for a drill: the page says 【演练】 as loudly as its messages do.
    public var isDrill: Bool
    /// Site, building, unit: 翠湖花园 3栋 1102
    public var place: String?
    /// What the resident reported (a ticket), or the step's title (an incident).
    public var summary: String?
    /// The step's title, for an incident step.
    public var stepTitle: String?
    /// The deadline, in the rules' zone (2026-12-03 14:30), and the time left or overdue (剩余 2 小时 / 已超时 5 分钟).
    public var deadline: String?
    public var timeLeft: String?
    /// Who the link was sent to (the person the action is recorded for): 王强
    public var sentTo: String
    /// When the link stops working, in the rules' zone.
    public var expires: String

    public init(action: LinkAction, subject: String, isDrill: Bool, place: String?, summary: String?, stepTitle: String?, deadline: String?,
                timeLeft: String?, sentTo: String, expires: String) {
        self.action = action
        self.subject = subject
        self.isDrill = isDrill
        self.place = place
        self.summary = summary
        self.stepTitle = stepTitle
        self.deadline = deadline
        self.timeLeft = timeLeft
        self.sentTo = sentTo
        self.expires = expires
    }
}

/// What a token leads to.
public enum ActionLookup: Sendable, Hashable {
    /// A valid, unused link: show the page with its one button.
    case ready(ActionView)
    /// Used already (by this link, or the ticket/step got there another way): who and when, in plain words.
    case alreadyDone(ActionView, by: String, at: String)
    /// Past its expiry: a 410 page.
    case expired(ActionView)
    /// Valid and unused, but nothing it could do makes sense now (the ticket is closed, reassigned, the
    /// incident is over): a 409 page with the reason and no button.
    case notApplicable(ActionView, reason: String)
    /// Forged, altered, unknown, or signed by a key no longer held: a 404 page that says only that.
    case invalid
}

/// What pressing the button came to.
public enum ActionResult: Sendable, Hashable {
    /// Done now; `note` says what happened (已接单 / 已改派给 张主管).
    case done(ActionView, note: String)
    case alreadyDone(ActionView, by: String, at: String)
    case expired(ActionView)
    case invalid
    /// The action no longer applies (the ticket was closed, the incident ended): a 409 page with the reason.
    case notApplicable(ActionView, reason: String)
}

extension ActionDesk {
    /// Whether a posted form value is the one `formValue(token:)` gives, compared in constant time.
    public func checkFormValue(_ value: String, token: String) -> Bool {
        guard let expected = formValue(token: token) else { return false }
        return ConstantTime.equal(Array(expected.utf8), Array(value.utf8))
    }
}
