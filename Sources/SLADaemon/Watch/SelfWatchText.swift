import Foundation
import SLAEngine
import SLARules

/// What a self-alert says, to the people on duty (Chinese, like every notice), with the trouble's
/// machine name first so that a script behind an `exec` channel can act on it.
struct SelfWatchText {
    let zone: ZoneTable

    func scans(_ fault: ScanFault, now: Instant) -> Trouble {
        Trouble(key: "scans", since: fault.since, title: "slad 自检：扫描失败（\(fault.code)）",
                text: "【slad 自检】scans_failing：自 \(zone.formatShort(fault.since)) 起扫描（或记录投递）失败 \(fault.failures) 次，"
                    + "已持续 \(Self.span(now - fault.since))（\(fault.code)：\(fault.message)）。升级通知暂停，恢复后会补发并标记迟发；"
                    + "请检查状态目录所在磁盘与 /healthz。")
    }

    func channel(_ trouble: ChannelTrouble, since: Instant) -> Trouble {
        var what: [String] = []
        if let failing = trouble.failingSince { what.append("自 \(zone.formatShort(failing)) 起投递均未成功") }
        if let dead = trouble.deadLetteredAt { what.append("\(zone.formatShort(dead)) 有通知转入死信") }
        let reason = trouble.lastReason.map { "（\($0.prefix(160))）" } ?? ""
        return Trouble(key: "channel:\(trouble.channel)", since: since, title: "slad 自检：通道 \(trouble.channel) 无法送达",
                       text: "【slad 自检】channel_down \(trouble.channel)：\(what.joined(separator: "，"))\(reason)。"
                           + "经此通道的升级通知可能未送达，请检查通道配置与对方服务；slad outbox 可查看与重发。",
                       avoid: trouble.channel)
    }

    func outbox(pending: Int, age: Int, settings: WatchSettings, now: Instant) -> Trouble {
        var lines: [String] = []
        if let jobs = settings.outboxJobs { lines.append("上限 \(jobs) 条") }
        if let limit = settings.outboxAge { lines.append("最长等待 \(Self.span(limit))") }
        return Trouble(key: "outbox", since: now, title: "slad 自检：待发通知积压 \(pending) 条",
                       text: "【slad 自检】outbox_backlog：待发通知 \(pending) 条，最早一条已等待 \(Self.span(age))"
                           + "（\(lines.joined(separator: "，"))）。请查看 /healthz 与 slad outbox。")
    }

    func calendar(_ gap: CalendarDataGap, now: Instant) -> Trouble {
        let until = gap.dataUntil.map { "（现有数据至 \($0)）" } ?? ""
        let effect = gap.isCurrentYear ? "本年按工作日计算的时限已把节假日和调休当作普通日"
                                       : "跨入 \(gap.year) 年的时限会把节假日算作工作日"
        return Trouble(key: "calendar:\(gap.calendar):\(gap.year)", since: now, title: "slad 自检：日历 \(gap.calendar) 缺 \(gap.year) 年数据",
                       text: "【slad 自检】calendar_running_out \(gap.calendar)：缺少 \(gap.year) 年的节假日与调休数据\(until)，\(effect)。"
                           + "请导入国务院办公厅通知：slad calendar import \(gap.year).json，加入日历的 include，slad check 后重新加载。")
    }

    func disk(_ disk: (free: Int, total: Int), line: DiskFreeLine, now: Instant) -> Trouble {
        let percent = disk.total > 0 ? Double(disk.free) * 100 / Double(disk.total) : 0
        return Trouble(key: "disk", since: now, title: "slad 自检：磁盘空间不足",
                       text: "【slad 自检】disk_low：状态目录所在文件系统剩余 \(Self.bytes(disk.free))（\(String(format: "%.1f", percent))%），"
                           + "低于 \(line)。磁盘写满后无法记录工单与升级，请清理或扩容。")
    }

    func clock(_ seconds: Int, at: Instant) -> Trouble {
        Trouble(key: "clock", since: at, title: "slad 自检：系统时钟跳变",
                text: "【slad 自检】clock_jump：\(zone.formatShort(at)) 系统时钟相对单调时钟跳变 \(seconds > 0 ? "+" : "-")\(Self.span(abs(seconds)))。"
                    + "到期判断以新时钟为准，可能提前或集中发出升级；请检查 NTP（timedatectl）。")
    }

    func cleared(key: String, since: Instant, now: Instant) -> (title: String, text: String) {
        let name = key.replacingOccurrences(of: ":", with: " ")
        return ("slad 自检恢复：\(name)",
                "【slad 自检·恢复】\(name)：自 \(zone.formatShort(since)) 起的问题已解除（持续 \(Self.span(now - since))）。")
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
