@testable import SLADaemon
import SLAEngine
@testable import SLARules
import Testing

/// The self-watch's judgement on virtual time (issue 15, item 2): each trouble raised once when it
/// crosses its line, cleared once when it is back, with margins so that a value on the line does not flap.
struct SelfWatchTests {
    let t0 = Instant(seconds: 1_796_000_000)
    let zone = ZoneTable(identifier: "Asia/Shanghai")!

    func settings(_ change: (inout WatchSettings) -> Void = { _ in }) -> WatchSettings {
        var settings = WatchSettings(targets: [.person("duty")], channels: ["pager", "console"], location: SourceRange(file: 0, start: 0, end: 0))
        change(&settings)
        return settings
    }

    func fault(since: Instant, failures: Int = 3) -> ScanFault {
        ScanFault(code: "storage_full", message: "the disk holding the state folder is full", since: since, failures: failures)
    }

    @Test func scansFailingLongEnoughRaiseOnceAndClearOnce() {
        var watch = SelfWatch(settings: settings(), zone: zone)
        var seen = WatchObservation(now: t0 + 299, storageFault: fault(since: t0))
        #expect(watch.look(seen).isEmpty, "not yet five minutes")
        seen.now = t0 + 300
        let raised = watch.look(seen)
        #expect(raised.map(\.kind) == [.raised] && raised.first?.key == "scans_failing")
        #expect(raised.first?.text.contains("scans_failing") == true && raised.first?.text.contains("storage_full") == true)
        #expect(raised.first?.idempotencyKey == "slad-watch-scans_failing-\(t0.seconds)-raised")
        seen.now = t0 + 900
        #expect(watch.look(seen).isEmpty, "sent once per trouble, not once per look")
        let cleared = watch.look(WatchObservation(now: t0 + 960))
        #expect(cleared.map(\.kind) == [.cleared] && cleared.first?.since == t0)
        #expect(cleared.first?.text.contains("已解除") == true)
        #expect(watch.look(WatchObservation(now: t0 + 1000)).isEmpty)
    }

    @Test func aShortFailingIsNoTroubleAndOffWatchesNothing() {
        var watch = SelfWatch(settings: settings(), zone: zone)
        #expect(watch.look(WatchObservation(now: t0 + 120, storageFault: fault(since: t0))).isEmpty)
        #expect(watch.look(WatchObservation(now: t0 + 180)).isEmpty, "no all-clear for what was never raised")
        var off = SelfWatch(settings: settings { $0.scansFailingFor = nil }, zone: zone)
        #expect(off.look(WatchObservation(now: t0 + 86_400, storageFault: fault(since: t0))).isEmpty)
    }

    @Test func aChannelDownIsNeverToldThroughItself() {
        // The channels come from delivery's ChannelHealth with the watch's threshold, as the service gathers them.
        var watch = SelfWatch(settings: settings { $0.channelDownFor = 600 }, zone: zone)
        var health = ChannelHealth()
        func seen(_ now: Instant) -> WatchObservation { WatchObservation(now: now, channels: health.stalled(at: now, failingFor: 600)) }
        health.record(channel: "pager", result: .retry, reason: "HTTP 503", at: t0)
        #expect(watch.look(seen(t0 + 599)).isEmpty)
        let raised = watch.look(seen(t0 + 600))
        #expect(raised.count == 1 && raised[0].key == "channel_down:pager" && raised[0].avoid == "pager")
        #expect(raised[0].text.contains("HTTP 503") && raised[0].since == t0)
        // A dead letter is a trouble at once, until a notice gets through.
        health.record(channel: "robot", result: .dead, reason: "errcode 93000", at: t0 + 700)
        let second = watch.look(seen(t0 + 700))
        #expect(second.map(\.key) == ["channel_down:robot"])
        health.record(channel: "pager", result: .sent, reason: nil, at: t0 + 800)
        let back = watch.look(seen(t0 + 800))
        #expect(back.map(\.key) == ["channel_down:pager"] && back.first?.kind == .cleared)
    }

    @Test func theOutboxClearsBelowNineTenthsOfItsLine() {
        var watch = SelfWatch(settings: settings { $0.outboxJobs = 100; $0.outboxAge = 1800 }, zone: zone)
        #expect(watch.look(WatchObservation(now: t0, outbox: (100, t0))).isEmpty)
        #expect(watch.look(WatchObservation(now: t0 + 10, outbox: (101, t0))).map(\.kind) == [.raised])
        #expect(watch.look(WatchObservation(now: t0 + 20, outbox: (95, t0))).isEmpty, "inside the margin: still a trouble")
        #expect(watch.look(WatchObservation(now: t0 + 30, outbox: nil)).isEmpty, "unknown: kept as it was")
        #expect(watch.look(WatchObservation(now: t0 + 40, outbox: (90, t0))).map(\.kind) == [.cleared])
        // By age: the oldest pending notice waits longer than 30 minutes.
        let old = watch.look(WatchObservation(now: t0 + 1841, outbox: (3, t0 + 40)))
        #expect(old.map(\.kind) == [.raised] && old[0].text.contains("30分钟"))
    }

    @Test func diskFreeBelowItsLineWithAMargin() {
        var watch = SelfWatch(settings: settings { $0.diskFree = .percent(5) }, zone: zone)
        let total = 100 << 30
        #expect(watch.look(WatchObservation(now: t0, disk: (5 << 30, total))).isEmpty)
        let raised = watch.look(WatchObservation(now: t0 + 15, disk: ((5 << 30) - 1, total)))
        #expect(raised.map(\.key) == ["disk_low"] && raised[0].text.contains("低于 5%"))
        #expect(watch.look(WatchObservation(now: t0 + 30, disk: ((5 << 30) + 1, total))).isEmpty, "back over 5 % but not 6 %")
        #expect(watch.look(WatchObservation(now: t0 + 45, disk: (6 << 30, total))).map(\.kind) == [.cleared])
        var bytes = SelfWatch(settings: settings { $0.diskFree = .bytes(500 << 20) }, zone: zone)
        #expect(bytes.look(WatchObservation(now: t0, disk: (499 << 20, total))).map(\.kind) == [.raised])
    }

    @Test func aClockJumpIsToldOnceAndSettles() {
        var watch = SelfWatch(settings: settings { $0.clockJump = 300 }, zone: zone)
        #expect(watch.look(WatchObservation(now: t0, clockJump: 299)).isEmpty)
        let raised = watch.look(WatchObservation(now: t0 + 15, clockJump: -3 * 3600))
        #expect(raised.map(\.key) == ["clock_jump"] && raised[0].text.contains("-3小时"))
        #expect(watch.look(WatchObservation(now: t0 + 300)).isEmpty)
        #expect(watch.look(WatchObservation(now: t0 + 15 + SelfWatch.clockSettles)).map(\.kind) == [.cleared])
    }

    @Test func aCalendarRunningOutIsATroubleUntilItsDataIsLoaded() {
        var watch = SelfWatch(settings: settings(), zone: zone)
        let gap = CalendarDataGap(calendar: "cn", year: 2027, isCurrentYear: false, dataUntil: nil)
        let raised = watch.look(WatchObservation(now: t0, calendarGaps: [gap]))
        #expect(raised.map(\.key) == ["calendar_running_out:cn:2027"] && raised[0].text.contains("slad calendar import 2027.json"))
        #expect(watch.look(WatchObservation(now: t0 + 86_400, calendarGaps: [gap])).isEmpty)
        #expect(watch.look(WatchObservation(now: t0 + 90_000)).map(\.kind) == [.cleared])
        var off = SelfWatch(settings: settings { $0.calendarRunningOut = false }, zone: zone)
        #expect(off.look(WatchObservation(now: t0, calendarGaps: [gap])).isEmpty)
    }

    @Test func aReloadKeepsWhatWasRaised() {
        var watch = SelfWatch(settings: settings(), zone: zone)
        _ = watch.look(WatchObservation(now: t0 + 300, storageFault: fault(since: t0)))
        var reloaded = SelfWatch(settings: settings { $0.channels = ["console"] }, zone: zone, active: watch.active)
        #expect(reloaded.look(WatchObservation(now: t0 + 315, storageFault: fault(since: t0))).isEmpty)
        #expect(reloaded.look(WatchObservation(now: t0 + 330)).map(\.kind) == [.cleared])
    }

    @Test func aRefusedReloadIsATroubleAtOnceUntilAGoodReload() throws {
        var watch = SelfWatch(settings: settings(), zone: zone)
        let refusal = ReloadRefusal(at: t0, failure: .invalid(errors: 2, rendered: "rules/x.sla:3:7: error: unknown channel 'smss'\nmore"))
        let raised = watch.look(WatchObservation(now: t0 + 1, refusal: (refusal, "v1")))
        #expect(raised.map(\.key) == ["rules_not_loaded"] && raised[0].since == t0)
        #expect(raised[0].text.hasPrefix("【slad 自检】rules_not_loaded：") && raised[0].text.contains("2 个错误") && raised[0].text.contains("smss"))
        #expect(watch.look(WatchObservation(now: t0 + 60, refusal: (refusal, "v1"))).isEmpty)
        let cleared = watch.look(WatchObservation(now: t0 + 120))
        #expect(cleared.map(\.kind) == [.cleared])
    }

    /// One name for each trouble: its alert, its all-clear, /healthz and the log all say the key.
    @Test func theAlertAndItsAllClearNameTheTroubleAlike() {
        var watch = SelfWatch(settings: settings(), zone: zone)
        let dead = StalledChannel(channel: "robot", deadLetters: 1, failingSince: nil, deadLetteredAt: t0, lastReason: "errcode 93000")
        let raised = watch.look(WatchObservation(now: t0, channels: [dead]))
        let cleared = watch.look(WatchObservation(now: t0 + 60))
        #expect(raised[0].text.hasPrefix("【slad 自检】channel_down:robot："))
        #expect(cleared[0].text.hasPrefix("【slad 自检·恢复】channel_down:robot："))
        #expect(cleared[0].text.contains("slad outbox retry"), "dead letters are not sent again by themselves")
    }

    @Test func spansReadAsPeopleSayThem() {
        #expect(SelfWatchText.span(40) == "40秒")
        #expect(SelfWatchText.span(1800) == "30分钟")
        #expect(SelfWatchText.span(86_400 + 300) == "1天5分钟")
        #expect(SelfWatchText.span(3 * 86_400 + 2 * 3600 + 59) == "3天2小时")
    }
}
