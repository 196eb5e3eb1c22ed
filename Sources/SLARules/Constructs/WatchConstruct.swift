/// ```
/// watch {
///   notify person duty, roster on-call via pager, console
///   team desk
///   scans failing for 5m
///   channel down for 10m
///   outbox above 1000 jobs or older than 30m
///   calendar running out
///   disk free below 5%
///   clock jump above 5m
/// }
/// ```
/// One block in the whole rule set: who is told when slad itself is in trouble (`WatchSettings`). Only
/// `notify` is required; a trouble line left out keeps its default, `off` drops it. The line readers are
/// in `WatchLines`; the channels and the team are judged by `Checker+Watch` once every file is read.
enum WatchConstruct: Construct {
    static let keyword = "watch"

    static let example = "watch { notify person NAME via CHANNEL }"

    /// What the block has said so far.
    struct Reading {
        var targets: [NotifyTarget] = []
        var channels: [String] = []
        var team: String?
        var scansFailingFor: Int? = WatchSettings.defaults.scansFailingFor
        var channelDownFor: Int? = WatchSettings.defaults.channelDownFor
        var outbox = WatchLines.Outbox(jobs: WatchSettings.defaults.outboxJobs, age: WatchSettings.defaults.outboxAge)
        var calendarRunningOut = true
        var diskFree: DiskFreeLine? = WatchSettings.defaults.diskFree
        var clockJump: Int? = WatchSettings.defaults.clockJump
        var places = WatchPlaces()
        /// Each line's first keyword: a repeat is E107. Set by the line itself, so that a rejected line
        /// does not also count as a missing one.
        var seen: [String: SourceRange] = [:]
    }

    static func read(_ statement: Statement, into builder: inout RuleBuilder) {
        let keyword = statement.keyword
        guard builder.readSingleBlockHeader(statement, example: example, first: \.watchLocation) else { return }
        var reading = Reading()
        reading.places.keyword = keyword.range
        builder.readBlock(of: statement, grammar, into: &reading)
        guard statement.block?.isSound ?? false else { return }
        guard reading.seen["notify"] != nil else {
            builder.diagnostics.error(.missingStatement, at: keyword.range, "the watch block has no 'notify'",
                                      hint: "add 'notify person NAME via CHANNEL': whom slad tells when it is in trouble, "
                                          + "and through which channels (a log or exec channel among them)")
            return
        }
        requireTeam(reading, into: &builder)
        builder.watchPlaces = reading.places
        guard !reading.channels.isEmpty else { return }
        var settings = WatchSettings(targets: reading.targets, channels: reading.channels, team: reading.team, location: keyword.range)
        settings.scansFailingFor = reading.scansFailingFor
        settings.channelDownFor = reading.channelDownFor
        settings.outboxJobs = reading.outbox.jobs
        settings.outboxAge = reading.outbox.age
        settings.calendarRunningOut = reading.calendarRunningOut
        settings.diskFree = reading.diskFree
        settings.clockJump = reading.clockJump
        builder.rules.watch = settings
    }

    /// `supervisor` and `manager` resolve through a team; a self-alert has no ticket and so no assignee's
    /// team: the block must name one.
    private static func requireTeam(_ reading: Reading, into builder: inout RuleBuilder) {
        guard reading.team == nil, reading.seen["team"] == nil else { return }
        for (target, range) in reading.places.teamTargets {
            builder.diagnostics.error(.missingStatement, at: range, "'\(target)' in the watch block needs 'team NAME': "
                                          + "a self-alert has no ticket whose team it could use",
                                      hint: "add 'team NAME' to the watch block (whose \(target) is meant), or notify a person or a roster")
        }
    }

    /// `notify TARGETS via CHANNELS`: targets as in a step, but no `assignee` (there is no ticket).
    private static func readNotify(_ context: inout Reading, _ reader: inout StatementReader,
                                   _ builder: inout RuleBuilder) throws(ParseFailure) {
        let start = reader.previous.range
        var targets: [NotifyTarget] = []
        repeat {
            let first = reader.peek?.range ?? reader.endRange
            let target = try TargetReader.read(&reader, into: &builder)
            let range = first.through(reader.previous.range)
            switch target {
            case .assignee:
                builder.diagnostics.error(.unexpectedToken, at: range, "a self-alert has no ticket, so 'assignee' names nobody",
                                          hint: "notify a person or a roster ('person NAME', 'roster NAME'), or a team's supervisor with 'team NAME'")
            case .supervisor, .manager:
                context.places.teamTargets.append((target, range))
            default:
                break
            }
            targets.append(target)
        } while reader.accept(.comma) != nil
        _ = try reader.expectWord(["via"], hint: "name the channels: notify \(targets.map(\.description).joined(separator: ", ")) via console")
        let channelsStart = reader.peek?.range ?? reader.endRange
        let channels = try TargetReader.readChannels(&reader, into: &builder)
        try reader.expectEnd("a watch's notify ends after its channels (self-alerts are sent once per trouble, with no 'every')")
        context.targets = targets
        context.channels = channels
        context.places.notify = start.through(reader.previous.range)
        context.places.channels = channelsStart.through(reader.previous.range)
    }

    private static let grammar = BlockGrammar<Reading>(in: "a watch block", [
        ("notify", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seen["notify"], reader.previous) else { return }
            try readNotify(&context, &reader, &builder)
        }),
        ("team", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seen["team"], reader.previous) else { return }
            let name = try reader.expectName("the name of a team")
            try reader.expectEnd()
            builder.refer(.team, name)
            context.team = name.text
            context.places.team = name.range
        }),
        ("scans", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seen["scans"], reader.previous) else { return }
            context.scansFailingFor = try WatchLines.duration(&reader, .scansFailing)
        }),
        ("channel", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seen["channel"], reader.previous) else { return }
            context.channelDownFor = try WatchLines.duration(&reader, .channelDown)
        }),
        ("outbox", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seen["outbox"], reader.previous) else { return }
            context.outbox = try WatchLines.outbox(&reader)
        }),
        ("calendar", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seen["calendar"], reader.previous) else { return }
            context.calendarRunningOut = try WatchLines.calendar(&reader)
        }),
        ("disk", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seen["disk"], reader.previous) else { return }
            context.diskFree = try WatchLines.disk(&reader)
        }),
        ("clock", { context, reader, builder throws(ParseFailure) in
            guard builder.once(&context.seen["clock"], reader.previous) else { return }
            context.clockJump = try WatchLines.duration(&reader, .clockJump)
        }),
    ])
}

/// Where the watch block's parts were written, for the checker's diagnostics (`RuleBuilder.watchPlaces`).
struct WatchPlaces {
    var keyword = SourceRange(file: 0, start: 0, end: 0)
    var notify: SourceRange?
    /// The channel names after `via`.
    var channels: SourceRange?
    var team: SourceRange?
    /// Each `supervisor` and `manager` in `notify`, which need `team NAME`.
    var teamTargets: [(NotifyTarget, SourceRange)] = []
}
