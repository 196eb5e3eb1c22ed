import Foundation
import SLAEngine
import SLARules

extension ExplainText {
    /// The routing section: which route took the ticket and why each earlier one did not.
    func routingLines(_ routing: RouteExplanation) -> [String] {
        if routing.arrivedAssigned { return ["route: none (the ticket came with an assignee)", ""] }
        var lines: [String] = []
        for trial in routing.trials where trial.outcome != "took" {
            let name = "route \(trial.route)\(trial.title.map { " \"\($0)\"" } ?? "")"
            if trial.outcome == "nobody" {
                lines.append("not \(name): \(trial.reasoning), but \(trial.detail ?? "its target reached nobody")")
            } else {
                lines.append("not \(name): \(trial.reasoning)")
            }
        }
        if let route = routing.route {
            let took = routing.trials.first { $0.route == route }
            lines.append("route \(route)\(took?.title.map { " \"\($0)\"" } ?? "") → \(routing.assignee.map(person) ?? "?")"
                + (took == nil ? " (a route these rules no longer have)" : took?.detail.map { " (\($0))" } ?? ""))
            if let took { lines.append("  because \(took.reasoning)") }
        } else {
            lines.append("no route took this ticket when it came: it waits for someone to assign it by hand")
        }
        if let prediction = routing.prediction {
            lines.append("  model \(prediction.path): \(prediction.label) \(ModelTarget.format(prediction.confidence)) (needs \(ModelTarget.format(prediction.threshold))) — \(prediction.note)")
        }
        lines.append("")
        return lines
    }
}
