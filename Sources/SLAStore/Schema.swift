import GRDB

/// The database schema, as versioned migrations. Never edit a shipped migration: add the next one.
/// docs/architecture.md shows the resulting tables.
enum Schema {
    /// The newest schema this build knows. A database migrated by a newer slad is refused.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: tickets, events, firings, outbox, audit") { db in
            try db.execute(sql: """
            CREATE TABLE ticket (
              id TEXT PRIMARY KEY NOT NULL,
              created_at INTEGER NOT NULL,
              fields TEXT NOT NULL,            -- the fields at creation, as JSON
              kind TEXT NOT NULL,
              site TEXT, building TEXT, assignee TEXT,
              status TEXT NOT NULL,
              policy TEXT,
              cycle INTEGER NOT NULL DEFAULT 0,
              overdue INTEGER NOT NULL DEFAULT 0,
              next_due INTEGER,                -- the next instant the engine must look at it; NULL: nothing pending
              updated_at INTEGER NOT NULL
            ) STRICT;
            CREATE INDEX ticket_next_due ON ticket(next_due) WHERE next_due IS NOT NULL;
            CREATE INDEX ticket_status ON ticket(status, policy);
            CREATE TABLE ticket_event (
              ticket_id TEXT NOT NULL REFERENCES ticket(id),
              seq INTEGER NOT NULL,
              kind TEXT NOT NULL,
              at INTEGER NOT NULL,
              actor TEXT, note TEXT,
              changes TEXT,                    -- JSON object, for assigned/paused/regraded
              recorded_at INTEGER NOT NULL,
              PRIMARY KEY (ticket_id, seq)
            ) STRICT, WITHOUT ROWID;
            CREATE TABLE firing (
              id INTEGER PRIMARY KEY,
              ticket_id TEXT NOT NULL REFERENCES ticket(id),
              policy TEXT NOT NULL, step TEXT NOT NULL, cycle INTEGER NOT NULL, repeat_index INTEGER NOT NULL,
              due_at INTEGER NOT NULL, fired_at INTEGER NOT NULL,
              lateness INTEGER NOT NULL, missed INTEGER NOT NULL,
              people TEXT NOT NULL,            -- JSON array of the people reached
              unreached TEXT NOT NULL,         -- JSON array of reasons
              UNIQUE (ticket_id, policy, step, cycle, repeat_index)
            ) STRICT;
            CREATE TABLE outbox (
              id INTEGER PRIMARY KEY,
              firing_id INTEGER NOT NULL REFERENCES firing(id),
              ticket_id TEXT NOT NULL,
              channel TEXT NOT NULL, channel_kind TEXT NOT NULL,
              recipients TEXT NOT NULL,        -- JSON array of {person, name, address}
              message TEXT NOT NULL,
              state TEXT NOT NULL DEFAULT 'pending',   -- pending | sent | dead
              attempts INTEGER NOT NULL DEFAULT 0,
              next_attempt_at INTEGER NOT NULL,
              last_error TEXT,
              created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL
            ) STRICT;
            CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE state = 'pending';
            CREATE TABLE audit (
              id INTEGER PRIMARY KEY,
              at INTEGER NOT NULL,
              actor TEXT, action TEXT NOT NULL, ticket_id TEXT,
              detail TEXT
            ) STRICT;
            CREATE TABLE idempotency (
              key TEXT PRIMARY KEY NOT NULL,
              ticket_id TEXT NOT NULL,
              created_at INTEGER NOT NULL
            ) STRICT, WITHOUT ROWID;
            """)
        }
        migrator.registerMigration("v2: meta") { db in
            try db.execute(sql: "CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) STRICT, WITHOUT ROWID")
        }
        migrator.registerMigration("v3: delivery attempts") { db in
            try db.execute(sql: """
            CREATE TABLE delivery_attempt (
              id INTEGER PRIMARY KEY,
              outbox_id INTEGER NOT NULL REFERENCES outbox(id),
              ticket_id TEXT NOT NULL,
              channel TEXT NOT NULL,
              attempt INTEGER NOT NULL,        -- 1 for the first try
              at INTEGER NOT NULL,
              result TEXT NOT NULL,            -- sent | retry | failed | dead | retried | dropped
              detail TEXT,
              duration_ms INTEGER NOT NULL DEFAULT 0
            ) STRICT;
            CREATE INDEX delivery_attempt_ticket ON delivery_attempt(ticket_id, id);
            CREATE INDEX delivery_attempt_outbox ON delivery_attempt(outbox_id, id);
            """)
        }
        migrator.registerMigration("v4: incidents") { db in
            // GRDB runs a migration with foreign keys off and checks them all before it commits, so the
            // firing table can be rebuilt (SQLite's documented way to drop a constraint): a firing now
            // belongs to a ticket or to an incident, and its foreign key to ticket goes.
            try db.execute(sql: """
            CREATE TABLE incident (
              id TEXT PRIMARY KEY NOT NULL,
              plan TEXT NOT NULL,
              drill INTEGER NOT NULL DEFAULT 0,
              site TEXT, building TEXT,
              level TEXT NOT NULL,             -- the level now
              status TEXT NOT NULL,            -- open | closed
              origin_ticket TEXT,              -- the ticket that declared it, when a plan's `when` matched
              opened_at INTEGER NOT NULL,
              closed_at INTEGER,
              next_due INTEGER,
              updated_at INTEGER NOT NULL
            ) STRICT;
            CREATE INDEX incident_next_due ON incident(next_due) WHERE next_due IS NOT NULL;
            CREATE INDEX incident_plan ON incident(plan, opened_at);
            CREATE TABLE incident_event (
              incident_id TEXT NOT NULL REFERENCES incident(id),
              seq INTEGER NOT NULL,
              kind TEXT NOT NULL,              -- opened | raised | confirmed | closed
              at INTEGER NOT NULL,
              actor TEXT, level TEXT, step TEXT, note TEXT,
              recorded_at INTEGER NOT NULL,
              PRIMARY KEY (incident_id, seq)
            ) STRICT, WITHOUT ROWID;
            ALTER TABLE ticket ADD COLUMN incident_id TEXT;   -- the incident that explains it (inhibition)
            CREATE INDEX ticket_incident ON ticket(incident_id) WHERE incident_id IS NOT NULL;
            CREATE TABLE firing_v4 (
              id INTEGER PRIMARY KEY,
              subject TEXT NOT NULL DEFAULT 'ticket',  -- ticket | incident
              ticket_id TEXT NOT NULL,                 -- the ticket's or the incident's id
              policy TEXT NOT NULL, step TEXT NOT NULL, cycle INTEGER NOT NULL, repeat_index INTEGER NOT NULL,
              due_at INTEGER NOT NULL, fired_at INTEGER NOT NULL,
              lateness INTEGER NOT NULL, missed INTEGER NOT NULL,
              people TEXT NOT NULL,
              unreached TEXT NOT NULL,
              held_by TEXT,                            -- the open incident that held it: nothing was sent
              UNIQUE (subject, ticket_id, policy, step, cycle, repeat_index)
            ) STRICT;
            INSERT INTO firing_v4 (id, ticket_id, policy, step, cycle, repeat_index, due_at, fired_at, lateness, missed, people, unreached)
              SELECT id, ticket_id, policy, step, cycle, repeat_index, due_at, fired_at, lateness, missed, people, unreached FROM firing;
            DROP TABLE firing;
            ALTER TABLE firing_v4 RENAME TO firing;
            ALTER TABLE outbox ADD COLUMN subject TEXT NOT NULL DEFAULT 'ticket';
            ALTER TABLE delivery_attempt ADD COLUMN subject TEXT NOT NULL DEFAULT 'ticket';
            CREATE INDEX outbox_incident ON outbox(ticket_id) WHERE subject = 'incident';   -- ticket rows pay nothing for it
            """)
        }
        migrator.registerMigration("v5: outbox title") { db in
            // The template's `title` for channels that show one (DingTalk markdown, e-mail subject, webhook).
            try db.execute(sql: "ALTER TABLE outbox ADD COLUMN title TEXT")
        }
        migrator.registerMigration("v6: action links") { db in
            // Issue 13: a link's fields live here, keyed by the token's nonce; the token carries only the
            // nonce and a tag over these fields (docs/adr/0006). `via` marks events done through a link.
            try db.execute(sql: """
            CREATE TABLE action_link (
              id TEXT PRIMARY KEY NOT NULL,    -- the token's nonce, base64url (not a secret on its own)
              subject TEXT NOT NULL,           -- ticket | incident
              subject_id TEXT NOT NULL,
              step TEXT NOT NULL,              -- the escalation step, or the plan step
              action TEXT NOT NULL,            -- ack | resolve | not-mine | confirm
              person TEXT NOT NULL,            -- whom the notice went to: the action is recorded as theirs
              expires_at INTEGER NOT NULL,
              created_at INTEGER NOT NULL,
              firing_id INTEGER,
              outbox_id INTEGER,
              used_at INTEGER,                 -- set once, by the press that acted
              used_by TEXT,
              result TEXT                      -- what the press did (已接单 / 已改派给 …)
            ) STRICT, WITHOUT ROWID;
            CREATE INDEX action_link_subject ON action_link(subject, subject_id);
            ALTER TABLE outbox ADD COLUMN actions TEXT;        -- JSON array of {person, name, action, label, url}
            ALTER TABLE outbox ADD COLUMN actions_at INTEGER;  -- UTF-8 offset into message where the links go
            ALTER TABLE ticket_event ADD COLUMN via TEXT;      -- 'link' for an action link's press
            ALTER TABLE incident_event ADD COLUMN via TEXT;
            ALTER TABLE incident_event ADD COLUMN owner TEXT;  -- the step's owner, when someone else confirmed it
            """)
        }
        migrator.registerMigration("v7: revisit scores and repeats") { db in
            // Issue 14: the owner's satisfaction at a return visit (1–5), and repeat marking. A closed
            // ticket keeps its repeat key (site, building, unit, kind, category: `RepeatKey.text`) and when it
            // was closed, so that a new ticket finds the ticket it repeats with one index lookup; open
            // tickets have neither, and the partial index holds only closed ones.
            try db.execute(sql: """
            ALTER TABLE ticket_event ADD COLUMN score INTEGER;   -- revisited: 1..5
            ALTER TABLE ticket ADD COLUMN repeat_of TEXT;        -- the ticket this one repeats
            ALTER TABLE ticket ADD COLUMN repeat_key TEXT;       -- set while closed
            ALTER TABLE ticket ADD COLUMN closed_at INTEGER;     -- set while closed
            CREATE INDEX ticket_repeat ON ticket(repeat_key, closed_at, id) WHERE repeat_key IS NOT NULL;
            """)
            try SQLiteTicketStore.backfillRepeatKeys(db)
        }
        migrator.registerMigration("v8: board deadlines") { db in
            // The 看板's at-risk and breached lists (docs/dashboard.md) read these through their indexes instead
            // of evaluating every open ticket. Forgetting the rules version makes the next start re-evaluate
            // the open tickets, which fills them.
            try db.execute(sql: """
            ALTER TABLE ticket ADD COLUMN deadline INTEGER;        -- the soonest deadline of a running clock not yet run out
            ALTER TABLE ticket ADD COLUMN deadline_clock TEXT;
            ALTER TABLE ticket ADD COLUMN breached_at INTEGER;     -- the earliest deadline a still-running clock ran out at
            ALTER TABLE ticket ADD COLUMN breached_clock TEXT;
            CREATE INDEX ticket_deadline ON ticket(deadline) WHERE deadline IS NOT NULL;
            CREATE INDEX ticket_breached ON ticket(breached_at) WHERE breached_at IS NOT NULL;
            CREATE INDEX ticket_open_policy ON ticket(policy, overdue, status) WHERE status != 'closed';   -- covers the per-policy counts
            DELETE FROM meta WHERE key = 'rules_version';
            """)
        }
        migrator.registerMigration("v9: kpi alarms") { db in
            // Issue 14: one row per KPI group that has ever been across its line; `open` while it is.
            // The row outlives its all-clear so that the next alarm's sequence (part of each notice's
            // firing key) never repeats. Tickets changed since the last KPI refresh are found by updated_at.
            try db.execute(sql: """
            CREATE TABLE kpi_alarm (
              kpi TEXT NOT NULL,
              grp TEXT NOT NULL,               -- the site, team or assignee; '' for the whole company
              open INTEGER NOT NULL,
              level TEXT NOT NULL,             -- warning | breached
              sequence INTEGER NOT NULL,       -- 1, 2, …: which alarm of this group
              since INTEGER NOT NULL,
              last_sent INTEGER NOT NULL,
              sent INTEGER NOT NULL,
              last_value REAL,
              updated_at INTEGER NOT NULL,
              PRIMARY KEY (kpi, grp)
            ) STRICT, WITHOUT ROWID;
            CREATE INDEX ticket_updated ON ticket(updated_at);
            """)
        }
        migrator.registerMigration("v10: intake deliveries") { db in
            // Issue 17: each delivery an intake source made that was acted on, by its delivery id, with
            // the answer given, so that a replay gets the first answer and nothing is stored twice. Refused
            // deliveries are stored nowhere (counted in /metrics only).
            try db.execute(sql: """
            CREATE TABLE intake_delivery (
              source TEXT NOT NULL,
              delivery TEXT NOT NULL,
              ticket_id TEXT NOT NULL,
              outcome TEXT NOT NULL,           -- created | event | unchanged
              status INTEGER NOT NULL,         -- the HTTP status answered
              answer TEXT NOT NULL,            -- the JSON answered
              at INTEGER NOT NULL,
              PRIMARY KEY (source, delivery)
            ) STRICT, WITHOUT ROWID;
            """)
        }
        migrator.registerMigration("v11: route turns") { db in
            // Issue 17: the person each team last gave a routed ticket to (round robin), and the open tickets
            // per assignee that "least open" counts inside the create's transaction.
            try db.execute(sql: """
            CREATE TABLE route_turn (
              team TEXT PRIMARY KEY NOT NULL,
              person TEXT NOT NULL,
              at INTEGER NOT NULL
            ) STRICT, WITHOUT ROWID;
            CREATE INDEX ticket_assignee_open ON ticket(assignee, status) WHERE assignee IS NOT NULL AND status NOT IN ('resolved', 'closed');
            """)
        }
        migrator.registerMigration("v12: retention indexes") { db in
            // Issue 19: retention deletes a closed ticket's outbox jobs by firing, and its idempotency keys and
            // intake deliveries by ticket; without these, each batch (and each firing's foreign-key check
            // against outbox) would read the whole table.
            try db.execute(sql: """
            CREATE INDEX outbox_firing ON outbox(firing_id);
            CREATE INDEX idempotency_ticket ON idempotency(ticket_id);
            CREATE INDEX intake_delivery_ticket ON intake_delivery(ticket_id);
            """)
        }
        migrator.registerMigration("v13: closed tickets by closing time") { db in
            // Issue 19: retention walks the closed tickets oldest first. With only ticket_status (status,
            // policy), every batch read all closed tickets and sorted them by id: at 1,000,000 closed, a
            // batch took seconds and the adaptive batch shrank to one ticket (0.5 tickets a second).
            try db.execute(sql: """
            CREATE INDEX ticket_closed ON ticket(COALESCE(closed_at, updated_at)) WHERE status = 'closed';
            """)
        }
        return migrator
    }
}
