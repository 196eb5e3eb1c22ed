/// ```
/// plan elevator-trapped "电梯困人" {
///   level I
///   team engineering                      # whose supervisor and manager the plan's steps reach
///   when kind = incident and category = elevator-trapped
///   covers category in [elevator-fault, elevator-trapped] in same building   # tickets it explains
///   drill via ops-drill                   # where a drill's notices go instead
///   step comfort "安抚被困人员" within 5m owner team front-desk via ops
///   step arrive "维保人员到场" within 30m owner roster engineering-oncall via sms
///   step report "上报主管部门" within 2h owner manager via email at level I
///   on overdue notify manager via sms, ops
///   on overdue notify person zhou-min via sms at level I   # only while the incident is at level I
/// }
/// ```
enum PlanConstruct: Construct {
    static let keyword = "plan"

    /// A plan being read, with what its block has said so far.
    struct Reading {
        var plan: Plan
        var seenLevel: SourceRange?
        var seenWhen: SourceRange?
        var seenTeam: SourceRange?
        var seenCovers: SourceRange?
        var seenDrill: SourceRange?
        var stepNames: [String: SourceRange] = [:]
    }

    static func read(_ statement: Statement, into builder: inout RuleBuilder) {
        guard let header = DefinitionHeader.read(statement, kind: .plan, needsBlock: true, into: &builder) else { return }
        var reading = Reading(plan: Plan(name: header.name.text, location: header.name.range))
        reading.plan.title = header.title
        builder.readBlock(of: statement, grammar, into: &reading)
        let plan = reading.plan
        if plan.steps.isEmpty, statement.block?.isSound ?? false {
            builder.diagnostics.error(.missingStatement, at: header.name.range, "plan '\(plan.name)' has no steps",
                                      hint: "add steps: step NAME \"标题\" within 30m owner roster NAME via CHANNEL")
        }
        builder.rules.plans.append(plan)
    }

    private static let grammar = BlockGrammar<Reading>(in: "a plan", [
        ("level", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seenLevel, reader.previous) else { return }
            context.plan.level = try readLevel(&reader)
            try reader.expectEnd()
        }),
        ("when", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seenWhen, reader.previous) else { return }
            context.plan.trigger = try ExpressionReader.read(&reader, into: &builder)
            try reader.expectEnd("join conditions with 'and' or 'or'")
        }),
        ("team", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seenTeam, reader.previous) else { return }
            let name = try reader.expectName("the name of a team")
            try reader.expectEnd()
            builder.refer(.team, name)
            context.plan.team = name.text
        }),
        ("covers", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seenCovers, reader.previous) else { return }
            context.plan.covers = try ExpressionReader.read(&reader, into: &builder)
            if reader.accept("in") {
                _ = try reader.expectWord(["same"], hint: "say where: in same site, or in same building")
                let scope = try reader.expectWord(CoverScope.allCases.map(\.rawValue), hint: "in same site, or in same building")
                context.plan.coverScope = CoverScope(rawValue: scope.text) ?? .site
            }
            try reader.expectEnd("join conditions with 'and' or 'or'; end with 'in same site' or 'in same building'")
        }),
        ("drill", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seenDrill, reader.previous) else { return }
            _ = try reader.expectWord(["via"], hint: "name the channel drills use: drill via ops-drill")
            context.plan.drillChannels = try TargetReader.readChannels(&reader, into: &builder)
            try reader.expectEnd()
        }),
        ("step", { context, reader, builder throws(ParseFailure) in
            let name = try reader.expectName("a name for the step")
            if let first = context.stepNames[name.text] {
                throw ParseFailure(diagnostic: Diagnostic(.duplicateDefinition, at: name.range,
                                                          "step '\(name.text)' is defined twice in plan '\(context.plan.name)'",
                                                          hint: "rename one of them", related: first))
            }
            let title = reader.optionalString()?.text
            _ = try reader.expectWord(["within"], hint: "give the deadline from the start: within 30m")
            let (within, withinRange) = try reader.expectDuration()
            guard within.seconds > 0 else {
                throw ParseFailure(diagnostic: Diagnostic(.valueOutOfRange, at: withinRange, "a step's deadline must be after the start"))
            }
            _ = try reader.expectWord(["owner"], hint: "name who does it: owner roster NAME")
            let owner = try TargetReader.read(&reader, into: &builder)
            var step = PlanStep(name: name.text, title: title, within: within, owner: owner, location: name.range)
            if reader.accept("via") { step.channels = try TargetReader.readChannels(&reader, into: &builder) }
            if reader.accept("at") {
                _ = try reader.expectWord(["level"])
                step.minimumLevel = try readLevel(&reader)
            }
            try reader.expectEnd()
            context.stepNames[name.text] = name.range
            context.plan.steps.append(step)
        }),
        ("on", { context, reader, builder throws(ParseFailure) in
            let start = reader.tokens[0].range
            _ = try reader.expectWord(["overdue"])
            _ = try reader.expectWord(["notify"])
            let targets = try TargetReader.readList(&reader, into: &builder)
            _ = try reader.expectWord(["via"], hint: "name the channels: notify … via sms, ops")
            let channels = try TargetReader.readChannels(&reader, into: &builder)
            var template: String?
            if reader.accept("using") {
                let name = try reader.expectName("the name of a template")
                builder.refer(.template, name)
                template = name.text
            }
            var level: IncidentLevel?
            if reader.accept("at") {
                _ = try reader.expectWord(["level"])
                level = try readLevel(&reader)
            }
            try reader.expectEnd()
            var rule = PlanNotification(targets: targets, channels: channels, template: template,
                                        location: start.through(reader.previous.range))
            rule.minimumLevel = level
            context.plan.onOverdue.append(rule)
        }),
    ])

    static func readLevel(_ reader: inout StatementReader) throws(ParseFailure) -> IncidentLevel {
        let names = IncidentLevel.allCases.map(\.rawValue)
        guard let token = reader.peek, token.kind == .word else { throw reader.failure("a level: \(Suggestion.list(names))") }
        _ = reader.advance()
        guard let level = IncidentLevel(rawValue: token.text) else {
            throw ParseFailure(diagnostic: Diagnostic(.unknownValue, at: token.range, "'\(token.text)' is not a response level",
                                                      hint: "levels are I (most serious), II and III"))
        }
        return level
    }
}
