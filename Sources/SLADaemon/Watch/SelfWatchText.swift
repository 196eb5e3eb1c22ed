import Foundation
import SLAEngine
import SLARules

/// What a self-alert says, to the people on duty (Chinese, like every notice), with the trouble's
/// machine name first so that a script behind an `exec` channel can act on it.
struct SelfWatchText {
    let zone: ZoneTable

    func scans(_ fault: ScanFault, now: Instant) -> Trouble {
        Trouble(key: "scans_failing", since: fault.since, title: "slad 自检：扫描失败（\(fault.code)）",
                text: "【slad 自检】scans_failing：自 \(zone.formatShort(fault.since)) 起扫描（或记录投递、接收工单）失败 \(fault.failures) 次，"
                    + "已持续 \(Self.span(now - fault.since))（\(fault.code)：\(fault.message)）。升级通知暂停，恢复后会补发并标记迟发；"
                    + "请检查状态目录所在磁盘与 /healthz。")
    }

    func channel(_ trouble: StalledChannel, since: Instant) -> Trouble {
        var what: [String] = []
        if let failing = trouble.failingSince { what.append("自 \(zone.formatShort(failing)) 起投递均未成功") }
        if let dead = trouble.deadLetteredAt { what.append("\(zone.formatShort(dead)) 有通知转入死信") }
        let reason = trouble.lastReason.map { "（\($0.prefix(160))）" } ?? ""
        return Trouble(key: "channel_down:\(trouble.channel)", since: since, title: "slad 自检：通道 \(trouble.channel) 无法送达",
                       text: "【slad 自检】channel_down:\(trouble.channel)：\(what.joined(separator: "，"))\(reason)。"
                           + "经此通道的升级通知可能未送达，请检查通道配置与对方服务；slad outbox 可查看与重发。",
                       avoid: trouble.channel)
    }

    func outbox(pending: Int, age: Int, settings: WatchSettings, now: Instant) -> Trouble {
        var lines: [String] = []
        if let jobs = settings.outboxJobs { lines.append("上限 \(jobs) 条") }
        if let limit = settings.outboxAge { lines.append("最长等待 \(Self.span(limit))") }
        return Trouble(key: "outbox_backlog", since: now, title: "slad 自检：待发通知积压 \(pending) 条",
                       text: "【slad 自检】outbox_backlog：待发通知 \(pending) 条，最早一条已等待 \(Self.span(age))"
                           + "（\(lines.joined(separator: "，"))）。请查看 /healthz 与 slad outbox。")
    }

    func calendar(_ gap: CalendarDataGap, now: Instant) -> Trouble {
        let until = gap.dataUntil.map { "（现有数据至 \($0)）" } ?? ""
        let effect = gap.isCurrentYear ? "本年按工作日计算的时限已把节假日和调休当作普通日"
                                       : "跨入 \(gap.year) 年的时限会把节假日算作工作日"
        return Trouble(key: "calendar_running_out:\(gap.calendar):\(gap.year)", since: now, title: "slad 自检：日历 \(gap.calendar) 缺 \(gap.year) 年数据",
                       text: "【slad 自检】calendar_running_out:\(gap.calendar):\(gap.year)：缺少 \(gap.year) 年的节假日与调休数据\(until)，\(effect)。"
                           + "请导入国务院办公厅通知：slad calendar import \(gap.year).json，加入日历的 include，slad check 后重新加载。")
    }

    func disk(_ disk: (free: Int, total: Int), line: DiskFreeLine, now: Instant) -> Trouble {
        let percent = disk.total > 0 ? Double(disk.free) * 100 / Double(disk.total) : 0
        return Trouble(key: "disk_low", since: now, title: "slad 自检：磁盘空间不足",
                       text: "【slad 自检】disk_low：状态目录所在文件系统剩余 \(Self.bytes(disk.free))（\(String(format: "%.1f", percent))%），"
                           + "低于 \(line)。磁盘写满后无法记录工单与升级，请清理或扩容。")
    }

    func clock(_ seconds: Int, at: Instant) -> Trouble {
        Trouble(key: "clock_jump", since: at, title: "slad 自检：系统时钟跳变",
                text: "【slad 自检】clock_jump：\(zone.formatShort(at)) 系统时钟相对单调时钟跳变 \(seconds > 0 ? "+" : "-")\(Self.span(abs(seconds)))。"
                    + "到期判断以新时钟为准，可能提前或集中发出升级；请检查 NTP（timedatectl）。")
    }

    func rulesNotLoaded(_ refusal: ReloadRefusal, running version: String) -> Trouble {
        Trouble(key: "rules_not_loaded", since: refusal.at, title: "slad 自检：规则重新加载被拒绝",
                text: "【slad 自检】rules_not_loaded：\(zone.formatShort(refusal.at)) 的重新加载被拒绝（\(refusal.errors) 个错误：\(refusal.reason.prefix(200))），"
                    + "仍按旧规则 \(version) 运行，新写的规则没有生效。请用 slad check 找出错误，修正后再重新加载。")
    }

    /// The all-clear: the trouble's key, as its alert, `/healthz` and the log name it.
    func cleared(key: String, since: Instant, now: Instant) -> (title: String, text: String) {
        var text = "【slad 自检·恢复】\(key)：自 \(zone.formatShort(since)) 起的问题已解除（持续 \(Self.span(now - since))）。"
        if key.hasPrefix("channel_down:") { text += "转入死信的通知不会自动重发：请用 slad outbox list --state dead 查看，slad outbox retry 重发。" }
        return ("slad 自检恢复：\(key)", text)
    }

    /// `3天2小时`, `5分钟`, `40秒`: the two largest units.
    static func span(_ seconds: Int) -> String {
        let units = [(86_400, "天"), (3600, "小时"), (60, "分钟"), (1, "秒")]
        var rest = max(0, seconds)
        var parts: [String] = []
        for (size, name) in units where rest >= size && parts.count < 2 {
            parts.append("\(rest / size)\(name)")
            rest %= size
        }
        return parts.isEmpty ? "0秒" : parts.joined()
    }

    static func bytes(_ count: Int) -> String {
        count >= 1 << 30 ? String(format: "%.1f GB", Double(count) / Double(1 << 30)) : "\(count >> 20) MB"
    }
}
