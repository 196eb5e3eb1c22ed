import SLAClassify
import SLAEngine
import SLARules
import Testing

/// A route by a trained classifier: the label names a route (by title here: the history is labelled with
/// trade names), confident predictions are followed, the rest go to the dispatcher with a note.
@Suite struct ModelRouteTests {
    static let history: [LabelledText] = [
        ("水电", "厨房水管漏水"), ("水电", "卫生间下水道堵塞"), ("水电", "家里突然停电了"), ("水电", "插座没电跳闸"),
        ("水电", "水龙头一直滴水"), ("水电", "热水器没有热水"),
        ("电梯", "电梯困人"), ("电梯", "电梯门关不上"), ("电梯", "电梯运行有异响"), ("电梯", "电梯按钮失灵"),
        ("绿化", "草坪枯黄需要修剪"), ("绿化", "树枝太长挡住窗户"), ("绿化", "花坛里杂草丛生"), ("绿化", "大树倒伏"),
    ].map { LabelledText(text: $0.1, label: $0.0) }

    static let model = String(decoding: TextClassifier.train(history).encoded(), as: UTF8.self)

    func modelEngine(threshold: String) throws -> Engine {
        let text = officeRules + """

        person a { phone "1" }
        person b { phone "2" }
        person desk { phone "3" }
        team garden "绿化" { members b }
        route plumbing "水电" { when kind = enquiry; to person a }
        route guess { when kind = repair; to model "trades.model" at least \(threshold) else person desk }
        """
        let result = RuleLoader.check([SourceFile(path: "r.sla", text: text)]) { path, _ in
            path == "trades.model" ? SourceFile(path: path, text: Self.model) : nil
        }
        let rules = try #require(result.ruleSet, "\(result.diagnostics)")
        return try Engine(rules: rules)
    }

    func decide(_ text: String, threshold: String) throws -> RouteDecision {
        try modelEngine(threshold: threshold).route(TicketFields(kind: "repair", text: text), at: at("2025-09-22 10:00"), workload: FixedWorkload())
    }

    @Test func aConfidentLabelNamingARouteByTitleTakesThatRoutesTarget() throws {
        let decision = try decide("卫生间水管漏水了", threshold: "0.5")
        #expect(decision.route == "guess")
        #expect(decision.assignee == "a")
        let prediction = try #require(decision.prediction)
        #expect(prediction.label == "水电" && prediction.followed)
        #expect(prediction.note.hasPrefix("模型预测 水电（置信度 "))
    }

    @Test func aLabelNamingATeamByTitlePicksFromTheTeam() throws {
        #expect(try decide("草坪需要修剪", threshold: "0.5").assignee == "b")
    }

    @Test func belowTheThresholdTheTicketGoesToTheDispatcherAndSaysSo() throws {
        // Nothing in the history resembles it: the model has little more than its priors to go on.
        let decision = try decide("快递柜屏幕坏了", threshold: "0.95")
        #expect(decision.assignee == "desk")
        let prediction = try #require(decision.prediction)
        #expect(!prediction.followed)
        #expect(prediction.note.hasPrefix("模型置信度 0."))
        #expect(prediction.note.hasSuffix(" 低于 0.95，转人工派单"))
    }

    @Test func aLabelThatNamesNothingGoesToTheDispatcherAndTheCheckWarns() throws {
        // 电梯 is neither a route nor a team here.
        let decision = try decide("电梯困人了快来", threshold: "0.5")
        #expect(decision.assignee == "desk")
        #expect(decision.prediction?.note.contains("没有同名的路由或班组，转人工派单") == true)
        let text = officeRules + "\nperson desk { phone \"3\" }\nroute guess { to model \"m\" at least 0.5 else person desk }\n"
        let result = RuleLoader.check([SourceFile(path: "r.sla", text: text)]) { _, _ in SourceFile(path: "m", text: Self.model) }
        let warnings = result.diagnostics.filter { $0.code == .routeReachesNobody }.map(\.message)
        #expect(warnings.contains("model 'm' predicts '电梯', which names no route and no team"))
        // The model file counts among the files read: retraining changes the rules' version.
        #expect(result.files.map(\.path).contains("m"))
    }
}
