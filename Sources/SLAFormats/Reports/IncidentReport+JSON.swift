import SLAEngine

extension IncidentReport {
    /// The report as JSON: pretty, keys sorted, times as ISO 8601 with the zone's offset, durations in
    /// seconds (`target`, `actual`, `margin` from the declaration; negative margin = late).
    public func json() -> String { jsonValue.rendered }

    var jsonValue: ReportJSON {
        let zone = zone.table
        let steps = steps.map { step -> ReportJSON in
            var fields: [String: ReportJSON] = [
                "name": .string(step.name),
                "title": .optional(step.title),
                "owner": .string(step.owner),
                "since": .time(step.since, zone: zone),
                "clockStart": .int(step.since - openedAt),
                "within": .int(step.within),
                "deadline": .time(step.deadline, zone: zone),
                "target": .int(step.target(from: openedAt)),
                "confirmedAt": .time(step.confirmedAt, zone: zone),
                "actual": .optional(step.actual(from: openedAt)),
                "margin": .optional(step.margin),
                "confirmedBy": .optional(step.confirmedBy),
                "note": .optional(step.note),
                "result": .string(step.result.rawValue),
            ]
            // Only when present, so reports of confirmations through the API and the CLI keep their shape.
            if let via = step.confirmedVia { fields["confirmedVia"] = .string(via) }
            if let owner = step.confirmedInsteadOf { fields["confirmedInsteadOf"] = .string(owner) }
            return .object(fields)
        }
        let notifications = notifications.map { record -> ReportJSON in
            var fields: [String: ReportJSON] = [
                "step": .string(record.step),
                "kind": .string(record.kind),
                "channel": .string(record.channel),
                "recipients": .array(record.recipients.map(ReportJSON.string)),
                "queuedAt": .time(record.queuedAt, zone: zone),
                "state": .string(record.state),
                "deliveredAt": .time(record.deliveredAt, zone: zone),
                "deliveryDelay": .optional(record.deliveryDelay),
                "attempts": .int(record.attempts),
            ]
            if let reason = record.reason { fields["reason"] = .string(reason) }
            return .object(fields)
        }
        let levels = levelChanges.map { change -> ReportJSON in
            .object(["level": .string(change.level.rawValue), "at": .time(change.at, zone: zone), "by": .optional(change.by)])
        }
        return .object([
            "incident": .string(incidentID),
            "plan": .string(plan),
            "planTitle": .optional(planTitle),
            "drill": .bool(isDrill),
            "site": .optional(site),
            "building": .optional(building),
            "level": .string(level.rawValue),
            "levelChanges": .array(levels),
            "openedAt": .time(openedAt, zone: zone),
            "openedBy": .optional(openedBy),
            "closedAt": .time(closedAt, zone: zone),
            "closedBy": .optional(closedBy),
            "closeReason": .optional(closeReason),
            "duration": .int(duration),
            "durationEnd": .string(durationEnd.rawValue),
            "steps": .array(steps),
            "notifications": .array(notifications),
            "notificationCounts": .object(notificationCounts.mapValues(ReportJSON.int)),
            "totals": .object([
                "steps": .int(self.steps.count),
                "passed": .int(count(.pass)),
                "failed": .int(count(.fail)),
                "open": .int(count(.open)),
                "result": .string(result.rawValue),
            ]),
            "generatedAt": .time(generatedAt, zone: zone),
            "timeZone": .string(zone.identifier),
        ])
    }
}
