import SLAActions

/// The pages for each answer the desk can give, and for requests refused before the desk is asked.
extension ActionPage {
    /// A valid, unused link: the details and one large button.
    static func ready(_ view: ActionView, formValue: String) -> ActionPage {
        var page = ActionPage(heading: (view.isDrill ? "【演练】" : "") + view.action.label, message: nil, tone: .neutral, view: view)
        page.button = Button(label: view.action.label, formValue: formValue,
                             hint: "点按钮才会\(view.action.label)；只打开此页不会改变任何内容。")
        return page
    }

    static func done(_ view: ActionView, note: String) -> ActionPage {
        ActionPage(heading: "已完成：\(view.action.label)", message: note, tone: .ok, view: view)
    }

    static func alreadyDone(_ view: ActionView, by: String, at: String) -> ActionPage {
        ActionPage(heading: "已经处理过了", message: "\(by) 已于 \(at) 处理，无需再点。", tone: .warn, view: view)
    }

    static func expired(_ view: ActionView) -> ActionPage {
        ActionPage(heading: "链接已过期", message: "此链接已于 \(view.expires) 失效，没有做任何改动。请在工作系统里处理，或联系值班主管。",
                   tone: .bad, view: view)
    }

    static func notApplicable(_ view: ActionView, reason: String) -> ActionPage {
        ActionPage(heading: "无法\(view.action.label)", message: (reason.hasSuffix("。") ? reason : reason + "。") + "没有做任何改动。", tone: .warn, view: view)
    }

    static let invalid = ActionPage(heading: "链接无效", message: "此链接无效、不完整或已被改动，没有做任何改动。请打开通知里的原始链接。", tone: .bad)
    static let notFound = ActionPage(heading: "页面不存在", message: "这里只有通知里的操作链接。", tone: .bad)
    static let refused = ActionPage(heading: "请求未通过校验",
                                    message: "没有做任何改动。请回到通知，重新打开链接，再点页面上的按钮。", tone: .bad)
    static let tooLarge = ActionPage(heading: "请求过大", message: "没有做任何改动。", tone: .bad)
    static let methodNotAllowed = ActionPage(heading: "不支持此操作", message: "请打开通知里的链接，再点页面上的按钮。", tone: .bad)

    static func tooMany(retryAfter seconds: Int) -> ActionPage {
        ActionPage(heading: "请求过于频繁", message: "请 \(seconds) 秒后再试。", tone: .warn)
    }
}
