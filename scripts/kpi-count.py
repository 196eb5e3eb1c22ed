#!/usr/bin/env python3
"""An independent count of a month of a city 311 export, to check `slad report --tickets` against.

Shares no code with slad: it reads the CSV with Python's csv module, the mapping file's column names,
categories and time zone with a few lines of its own, and counts what docs/kpi.md defines for the shipped
repair policies (rules/repairs.sla: `complete` within 24h, regular repairs' `close` within 2h, wall time):

  tickets             rows that become tickets (id, readable creation time, closure not before creation,
                      first row of a duplicated id) created before the period's end
  resolution          of tickets created in the period, those closed before its end
  on-time complete    repairs whose 24h clock stopped (closed) in the period: met when closed within 24h;
                      plus repairs still open at the period's end whose deadline passed in it: breached
  on-time close       the same for regular repairs (not urgent) and 2h
  median complete     nearest-rank median of closed - created (seconds) over repairs closed in the period

Usage: scripts/kpi-count.py EXPORT.csv MAPPING.map YYYY-MM   (prints JSON)
"""
import csv
import json
import re
import sys
from datetime import datetime, timezone
from zoneinfo import ZoneInfo


def read_mapping(path):
    mapping = {"map": [], "default": None}
    for raw in open(path, encoding="utf-8"):
        line = re.sub(r"\s+#.*$", "", raw.rstrip("\n"))
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = re.match(r'\s*map\s+"([^"]*)"\s*=\s*(.*)$', line)
        if m:
            mapping["map"].append((m.group(1), m.group(2).split()))
            continue
        key, _, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if key == "default":
            mapping["default"] = value.split()
        else:
            mapping[key] = value
    return mapping


def classify(words):
    """`repair priority=urgent` -> ("repair", {"priority": "urgent"})."""
    fields = dict(word.split("=", 1) for word in words[1:])
    return words[0], fields


def parse_time(text, zone):
    """M/D/YY H:MM (or a bare M/D/YY, midnight) in the export's zone, as Unix seconds; None if unreadable."""
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2})(?: (\d{1,2}):(\d{2}))?", text)
    if not m:
        return None
    month, day, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    year += 2000 if year < 70 else 1900
    hour, minute = int(m.group(4) or 0), int(m.group(5) or 0)
    try:
        return int(datetime(year, month, day, hour, minute, tzinfo=zone).timestamp())
    except ValueError:
        return None


def nearest_rank(values, percentile):
    values = sorted(values)
    rank = max(1, -(-percentile * len(values) // 100))
    return values[rank - 1]


def count(export, mapping_path, month):
    mapping = read_mapping(mapping_path)
    zone = ZoneInfo(mapping["time zone"])
    year, number = (int(part) for part in month.split("-"))
    start = int(datetime(year, number, 1, tzinfo=zone).timestamp())
    end = int(datetime(year + (number == 12), number % 12 + 1, 1, tzinfo=zone).timestamp())
    categories = {pattern: classify(words) for pattern, words in mapping["map"]}
    default = classify(mapping["default"]) if mapping["default"] else None

    tickets, seen = [], set()
    with open(export, newline="", encoding="utf-8") as handle:
        rows = csv.reader(handle)
        header = [name.strip() for name in next(rows)]
        column = {name: header.index(name) for name in header}
        id_at, created_at = column[mapping["id"]], column[mapping["created"]]
        closed_at, category_at = column[mapping["closed"]], column[mapping["category"]]
        needed = max(id_at, created_at, closed_at, category_at, column[mapping["acknowledged"]], column[mapping["source"]]) + 1
        for row in rows:
            if len(row) < needed:
                continue
            ident = row[id_at].strip()
            created = parse_time(row[created_at].strip(), zone)
            if not ident or created is None:
                continue
            closed_text = row[closed_at].strip()
            closed = parse_time(closed_text, zone) if closed_text else None
            if closed_text and (closed is None or closed < created):
                continue    # an unreadable or impossible closure rejects the row
            kind, fields = categories.get(row[category_at].strip(), default)
            if ident in seen:
                continue
            seen.add(ident)
            tickets.append((created, closed, kind, fields.get("priority")))

    tickets = [t for t in tickets if t[0] < end]
    created_in = [t for t in tickets if start <= t[0] < end]
    resolved = [t for t in created_in if t[1] is not None and t[1] < end]

    def on_time(selected, limit):
        met = sample = 0
        for created, closed, _, _ in selected:
            if closed is not None and start <= closed < end:
                sample += 1
                met += closed - created <= limit
            elif (closed is None or closed > end) and start <= created + limit < end:
                sample += 1     # still running at the end, past its deadline: breached
        return {"sample": sample, "count": met}

    repairs = [t for t in tickets if t[2] == "repair"]
    regular = [t for t in repairs if t[3] != "urgent"]
    durations = [closed - created for created, closed, _, _ in repairs if closed is not None and start <= closed < end]
    return {
        "period": {"start": start, "end": end},
        "tickets": len(tickets),
        "resolution": {"sample": len(created_in), "count": len(resolved)},
        "onTimeComplete": on_time(repairs, 24 * 3600),
        "onTimeClose": on_time(regular, 2 * 3600),
        "medianComplete": nearest_rank(durations, 50) if durations else None,
    }


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    print(json.dumps(count(*sys.argv[1:]), indent=2, sort_keys=True))
