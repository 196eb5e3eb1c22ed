import Mustache
import SLAActions

/// One page the public listener answers with: what happened, in Chinese, and the link's details. Drawn
/// from `ActionPageTemplate`; all text is plain and escaped when rendered.
struct ActionPage: Sendable {
    struct Row: Sendable {
        var label: String
        var value: String
    }

    struct Button: Sendable {
        var label: String
        var formValue: String
        var hint: String
    }

    enum Tone: String, Sendable {
        case neutral, ok, warn, bad
    }

    var title: String
    var heading: String
    var message: String?
    var tone: Tone = .neutral
    var drill = false
    var rows: [Row] = []
    var button: Button?

    init(heading: String, message: String?, tone: Tone, view: ActionView? = nil) {
        self.heading = heading
        self.message = message
        self.tone = tone
        title = heading
        if let view {
            drill = view.isDrill
            rows = Self.rows(view)
            title = (view.isDrill ? "【演练】" : "") + heading + " · " + view.subject
        }
    }

    /// The details of the thing the link acts on, in the order a person on site reads them.
    static func rows(_ view: ActionView) -> [Row] {
        var rows = [Row(label: "事项", value: view.subject)]
        if let place = view.place { rows.append(Row(label: "地点", value: place)) }
        if let summary = view.summary { rows.append(Row(label: view.stepTitle == nil ? "报事内容" : "事件", value: summary)) }
        if let step = view.stepTitle { rows.append(Row(label: "步骤", value: step)) }
        if let deadline = view.deadline {
            rows.append(Row(label: "时限", value: deadline + (view.timeLeft.map { "（\($0)）" } ?? "")))
        } else if let left = view.timeLeft {
            rows.append(Row(label: "时限", value: left))
        }
        rows.append(Row(label: "发送给", value: view.sentTo))
        rows.append(Row(label: "有效期至", value: view.expires))
        return rows
    }

    /// The page as HTML.
    func html() -> String {
        Self.template.render(Model(page: self))
    }

    /// What the template reads: the page, with its tone as text and a flag for the detail list.
    private struct Model {
        let title: String, heading: String, message: String?, tone: String, drill: Bool
        let rows: [Row], hasRows: Bool, button: Button?

        init(page: ActionPage) {
            title = page.title
            heading = page.heading
            message = page.message
            tone = page.tone.rawValue
            drill = page.drill
            rows = page.rows
            hasRows = !page.rows.isEmpty
            button = page.button
        }
    }

    private static let template: MustacheTemplate = {
        do {
            return try MustacheTemplate(string: ActionPageTemplate.text)
        } catch {
            fatalError("the action page template does not parse: \(error)")
        }
    }()
}
