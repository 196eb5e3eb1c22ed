#!/usr/bin/env python3
"""Writes docs/examples/month.jsonl: a month (March 2026) of sample tickets for the shipped rules.

The first tickets (M-001 .. M-007) are written by hand, each to show one behaviour of the rules, and
docs/simulate.md walks through them; the rest are drawn at random (fixed seed) to fill the month with
the ordinary mix: most tickets handled in time, some late, a few never finished. Times are local
(Asia/Shanghai, the rules' display zone). Run from the repository root:  python3 scripts/gen-month.py
"""
import json
import random
from datetime import datetime, timedelta

FMT = "%Y-%m-%d %H:%M"


def t(text):
    return datetime.strptime(text, FMT)


def ticket(id, kind, created, events, **fields):
    out = {"id": id, "kind": kind}   # id first, so that the file reads well
    out.update(fields)
    out["created"] = created.strftime(FMT)
    out["events"] = [dict(kind=k, at=at.strftime(FMT), **extra) for (k, at, extra) in events]
    return out


def e(kind, at, **extra):
    return (kind, at, extra)


HAND = [
    # Everything in time: no escalation.
    ticket("M-001", "complaint", t("2026-03-02 09:00"), [
        e("acknowledged", t("2026-03-02 10:00")), e("assessed", t("2026-03-02 15:00")),
        e("resolved", t("2026-03-04 10:00")), e("revisited", t("2026-03-05 10:00")), e("closed", t("2026-03-05 10:05"))],
        grade="A", building="3栋", unit="1201", assignee="zhang-wei", text="楼上漏水，物业未及时处理"),
    # Grade A answered 3.5 hours after it came in: warned at 10:30, supervisor at 11:00, manager at 12:00.
    ticket("M-002", "complaint", t("2026-03-02 09:00"), [
        e("acknowledged", t("2026-03-02 12:30")), e("assessed", t("2026-03-02 16:00")),
        e("resolved", t("2026-03-03 17:00")), e("revisited", t("2026-03-05 11:00")), e("closed", t("2026-03-05 11:05"))],
        grade="A", building="5栋", unit="0803", assignee="zhang-wei", text="电梯噪音扰民"),
    # Urgent repair at night, answered after 50 minutes: the engineer on call is warned, the supervisor told twice.
    ticket("M-003", "repair", t("2026-03-03 22:00"), [
        e("acknowledged", t("2026-03-03 22:50")), e("resolved", t("2026-03-04 10:00")), e("closed", t("2026-03-04 10:30"))],
        priority="urgent", building="2栋", unit="0101", assignee="wang-qiang", text="水管爆裂"),
    # Regular repair nobody was assigned to, closed after 6 hours.
    ticket("M-004", "repair", t("2026-03-04 09:00"), [
        e("acknowledged", t("2026-03-04 09:30")), e("resolved", t("2026-03-04 14:00")), e("closed", t("2026-03-04 15:00"))],
        priority="regular", building="7栋", unit="0402", text="楼道灯不亮"),
    # Enquiry at 17:30 on a Friday: the 17:00 warning is already past, so it goes out at once, late.
    ticket("M-005", "enquiry", t("2026-03-06 17:30"), [
        e("resolved", t("2026-03-09 10:00")), e("closed", t("2026-03-09 10:05"))],
        building="1栋", assignee="liu-yang", text="停车费如何缴纳"),
    # Grade B waiting for the resident for 10 hours: the clocks stand still, the deadline moves to 03:00.
    ticket("M-006", "complaint", t("2026-03-09 09:00"), [
        e("paused", t("2026-03-09 10:00"), status="waiting-customer"), e("resumed", t("2026-03-09 20:00")),
        e("acknowledged", t("2026-03-10 02:30")), e("assessed", t("2026-03-10 09:00")),
        e("resolved", t("2026-03-11 16:00")), e("revisited", t("2026-03-13 10:00")), e("closed", t("2026-03-13 10:05"))],
        grade="B", building="6栋", unit="1502", assignee="liu-yang", text="邻居装修噪音"),
    # Graded C, then regraded A at 13:00: the A ladder is already overdue and fires at once, late.
    ticket("M-007", "complaint", t("2026-03-11 09:00"), [
        e("regraded", t("2026-03-11 13:00"), grade="A"), e("acknowledged", t("2026-03-11 13:20")),
        e("assessed", t("2026-03-11 17:00")), e("resolved", t("2026-03-12 15:00")),
        e("revisited", t("2026-03-16 10:00")), e("closed", t("2026-03-16 10:05"))],
        grade="C", building="4栋", unit="0602", assignee="zhang-wei", text="保安态度差"),
]


def random_tickets(count, rng):
    kinds = [("complaint", {"grade": "A"}), ("complaint", {"grade": "B"}), ("complaint", {"grade": "C"}),
             ("complaint", {}), ("repair", {"priority": "urgent"}), ("repair", {"priority": "regular"}),
             ("repair", {"priority": "regular"}), ("repair", {"priority": "regular"}), ("enquiry", {}),
             ("enquiry", {}), ("suggestion", {})]
    staff = {"complaint": ["zhang-wei", "liu-yang", None], "enquiry": ["zhang-wei", "liu-yang"],
             "suggestion": ["liu-yang"], "repair": ["wang-qiang", "zhao-lei", None]}
    start = t("2026-03-01 00:00")
    out = []
    for n in range(count):
        kind, fields = rng.choice(kinds)
        created = start + timedelta(minutes=rng.randrange(0, 31 * 24 * 60 - 3 * 24 * 60))
        # Daytime tickets are the most common.
        if created.hour < 7 and rng.random() < 0.7:
            created += timedelta(hours=9)
        roll = rng.random()
        slow = 1 if roll < 0.7 else (4 if roll < 0.92 else None)   # in time, late, or never finished
        events = []
        at = created
        if slow is not None and kind == "repair":
            # Answered within minutes, fixed and closed within the hour or two the rules allow.
            at += timedelta(minutes=rng.randrange(5, 25) * slow)
            events.append(e("acknowledged", at))
            at += timedelta(minutes=rng.randrange(20, 70) * slow)
            events.append(e("resolved", at))
            at += timedelta(minutes=rng.randrange(1, 15))
            events.append(e("closed", at))
        elif slow is not None:
            at += timedelta(minutes=rng.randrange(5, 60) * slow)
            events.append(e("acknowledged", at))
            if kind == "complaint":
                events.append(e("assessed", at + timedelta(hours=rng.randrange(1, 8) * slow)))
            at += timedelta(minutes=rng.randrange(30, 600) * slow)
            if kind == "complaint":
                at = max(at, events[-1][1]) + timedelta(hours=rng.randrange(2, 20) * slow)
            events.append(e("resolved", at))
            if kind == "complaint" and rng.random() < 0.9:
                at += timedelta(hours=rng.randrange(2, 72) * slow)
                events.append(e("revisited", at))
            at += timedelta(minutes=rng.randrange(1, 60))
            events.append(e("closed", at))
        assignee = rng.choice(staff[kind])
        extra = dict(fields)
        extra["building"] = f"{rng.randrange(1, 12)}栋"
        if assignee:
            extra["assignee"] = assignee
        out.append(ticket("", kind, created, events, **extra))
    out.sort(key=lambda x: x["created"])
    for n, item in enumerate(out):
        item["id"] = f"M-{n + 8:03d}"
    return out


def main():
    rng = random.Random(20260301)
    tickets = HAND + random_tickets(113, rng)
    with open("docs/examples/month.jsonl", "w", encoding="utf-8") as f:
        for item in tickets:
            f.write(json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"wrote {len(tickets)} tickets to docs/examples/month.jsonl")


if __name__ == "__main__":
    main()
