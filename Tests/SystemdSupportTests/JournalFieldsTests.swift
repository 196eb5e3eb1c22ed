import Logging
import SystemdSupport
import Testing

struct JournalFieldsTests {
    @Test func fieldsCarryMessagePriorityIdentifierSourceAndMetadata() {
        let fields = JournalFields.make(level: .notice, message: "escalation: fast respond → 值班员",
                                        metadata: ["ticket_id": "C1", "policy": "fast", "step": "respond + 1s", "channel": "console"],
                                        label: "slad", source: "SLADaemon", file: "SLADaemon/EscalationLoop.swift",
                                        function: "scanOnce()", line: 84)
        #expect(fields == [
            "MESSAGE=escalation: fast respond → 值班员",
            "PRIORITY=5",
            "SYSLOG_IDENTIFIER=slad",
            "CODE_FILE=SLADaemon/EscalationLoop.swift",
            "CODE_LINE=84",
            "CODE_FUNC=scanOnce()",
            "LOGGER=slad",
            "CHANNEL=console",
            "POLICY=fast",
            "STEP=respond + 1s",
            "TICKET_ID=C1",
        ])
    }

    @Test func everyLevelHasItsSyslogPriority() {
        let expected: [(Logger.Level, Int)] = [(.trace, 7), (.debug, 7), (.info, 6), (.notice, 5), (.warning, 4), (.error, 3), (.critical, 2)]
        for (level, priority) in expected {
            #expect(SyslogPriority.of(level) == priority)
            let fields = JournalFields.make(level: level, message: "m", metadata: [:], label: "l", source: "s", file: "f", function: "g", line: 1)
            #expect(fields.contains("PRIORITY=\(priority)"))
        }
    }

    @Test func metadataKeysBecomeValidFieldNames() {
        #expect(JournalFields.fieldName("ticket_id") == "TICKET_ID")
        #expect(JournalFields.fieldName("late-seconds") == "LATE_SECONDS")
        #expect(JournalFields.fieldName("_private") == "M__PRIVATE")
        #expect(JournalFields.fieldName("2fa") == "M_2FA")
        #expect(JournalFields.fieldName("") == "M_")
        #expect(JournalFields.fieldName("工单") == "M___")
        #expect(JournalFields.fieldName(String(repeating: "a", count: 100)).count == 64)
    }

    @Test func metadataCannotOverrideTheMessageOrPriority() {
        let fields = JournalFields.make(level: .error, message: "real", metadata: ["message": "fake", "priority": "7"],
                                        label: "slad", source: "s", file: "f", function: "g", line: 1)
        #expect(fields.first == "MESSAGE=real")
        #expect(fields.contains("PRIORITY=3"))
        #expect(fields.contains("SLAD_MESSAGE=fake"))
        #expect(fields.contains("SLAD_PRIORITY=7"))
        #expect(!fields.contains("MESSAGE=fake"))
    }

    @Test func nestedMetadataIsWrittenAsText() {
        let fields = JournalFields.make(level: .info, message: "m", metadata: ["people": ["a", "b"]],
                                        label: "slad", source: "s", file: "f", function: "g", line: 1)
        #expect(fields.contains(#"PEOPLE=["a", "b"]"#))
    }

    @Test func stderrLinesCarryPriorityPrefixes() {
        #expect(StderrLogHandler.format(level: .notice, message: "listening on http://127.0.0.1:8080", metadata: [:])
                == "<5>listening on http://127.0.0.1:8080\n")
        #expect(StderrLogHandler.format(level: .warning, message: "cannot reach", metadata: ["ticket_id": "C1", "step": "respond"])
                == "<4>cannot reach step=respond ticket_id=C1\n")
        // On a terminal a multi-line message keeps its lines, each with the prefix.
        #expect(StderrLogHandler.format(level: .error, message: "reload refused:\nrules.sla:1: error", metadata: [:], keepLines: true)
                == "<3>reload refused:\n<3>rules.sla:1: error\n")
        // Elsewhere (a journal stream, a pipe, a file) it is one line, so one record with its priority.
        #expect(StderrLogHandler.format(level: .error, message: "reload refused:\nrules.sla:1: error\n  | a\\b", metadata: [:])
                == "<3>reload refused:\\nrules.sla:1: error\\n  | a\\\\b\n")
    }

    @Test func notificationsFollowSdNotify() {
        #expect(Systemd.Notification.ready.line == "READY=1")
        #expect(Systemd.Notification.reloading(monotonicMicroseconds: 123).line == "RELOADING=1\nMONOTONIC_USEC=123")
        #expect(Systemd.Notification.stopping.line == "STOPPING=1")
        #expect(Systemd.Notification.watchdog.line == "WATCHDOG=1")
        #expect(Systemd.Notification.extendTimeout(.seconds(90)).line == "EXTEND_TIMEOUT_USEC=90000000")
        #expect(Systemd.Notification.errno(2).line == "ERRNO=2")
        #expect(Systemd.Notification.status("a\n  b\n\nc").line == "STATUS=a | b | c")
        #expect(Systemd.Notification.status(String(repeating: "x", count: 1000)).line.count == "STATUS=".count + 400)
    }

    @Test func withoutANotifySocketNothingIsSent() {
        // The test runner is not a systemd service; sd_notify returns 0 and nothing happens.
        if !Systemd.isNotifySocketSet {
            #expect(Systemd.notify("READY=1") == false)
            #expect(Systemd.watchdogInterval() == nil)
        }
        #expect(Systemd.monotonicMicroseconds() > 0)
    }

    @Test func theJournalIsChosenOnlyWhenStderrIsTheJournalStream() {
        #expect(SystemdLogging.target(environment: [:]) == .stderr)
        #expect(SystemdLogging.target(environment: ["JOURNAL_STREAM": "1:2"]) == .stderr)
        #expect(SystemdLogging.target(environment: ["SLAD_LOG": "journal"]) == .journal)
        #expect(SystemdLogging.target(environment: ["SLAD_LOG": "stderr", "JOURNAL_STREAM": "1:2"]) == .stderr)
    }
}
