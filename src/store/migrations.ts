/**
 * Versioned schema migrations, applied in order inside one transaction each; `PRAGMA user_version`
 * records the last one applied. Append new migrations; never edit a released one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'core tables: sync state, work items, transitions, sprints, quarantine, findings, audit',
    sql: `
      CREATE TABLE sync_state (
        source            TEXT PRIMARY KEY,
        watermark         TEXT,
        cursor            TEXT,
        last_full_sync_at TEXT,
        last_sync_at      TEXT
      );

      CREATE TABLE work_items (
        key             TEXT PRIMARY KEY,
        source          TEXT NOT NULL,
        native_key      TEXT NOT NULL,
        project         TEXT NOT NULL,
        team            TEXT,
        type_category   TEXT NOT NULL,
        status_category TEXT NOT NULL,
        assignee_email  TEXT,
        sprint_key      TEXT,
        parent_key      TEXT,
        updated_at      TEXT NOT NULL,
        synced_at       TEXT NOT NULL,
        removed_at      TEXT,
        data            TEXT NOT NULL
      );
      CREATE INDEX work_items_source_project ON work_items (source, project);
      CREATE INDEX work_items_assignee ON work_items (assignee_email) WHERE assignee_email IS NOT NULL;
      CREATE INDEX work_items_parent ON work_items (parent_key) WHERE parent_key IS NOT NULL;
      CREATE INDEX work_items_sprint ON work_items (sprint_key) WHERE sprint_key IS NOT NULL;

      CREATE TABLE transitions (
        item_key      TEXT NOT NULL,
        seq           INTEGER NOT NULL,
        at            TEXT NOT NULL,
        from_status   TEXT,
        to_status     TEXT NOT NULL,
        from_category TEXT,
        to_category   TEXT NOT NULL,
        actor         TEXT,
        PRIMARY KEY (item_key, seq)
      ) WITHOUT ROWID;

      CREATE TABLE sprints (
        key           TEXT PRIMARY KEY,
        source        TEXT NOT NULL,
        native_id     TEXT NOT NULL,
        name          TEXT NOT NULL,
        state         TEXT NOT NULL,
        start_date    TEXT,
        end_date      TEXT,
        complete_date TEXT,
        goal          TEXT,
        project       TEXT,
        team          TEXT
      );

      CREATE TABLE quarantine (
        source        TEXT NOT NULL,
        native_key    TEXT NOT NULL,
        error         TEXT NOT NULL,
        payload       TEXT NOT NULL,
        first_seen_at TEXT NOT NULL,
        last_seen_at  TEXT NOT NULL,
        PRIMARY KEY (source, native_key)
      );

      CREATE TABLE findings (
        id             TEXT PRIMARY KEY,
        rule_id        TEXT NOT NULL,
        category       TEXT NOT NULL,
        severity       TEXT NOT NULL,
        subject_kind   TEXT NOT NULL,
        subject_key    TEXT NOT NULL,
        source         TEXT,
        project        TEXT,
        team           TEXT,
        owner_email    TEXT,
        state          TEXT NOT NULL,
        message        TEXT NOT NULL,
        data           TEXT NOT NULL,
        first_seen_at  TEXT NOT NULL,
        last_seen_at   TEXT NOT NULL,
        resolved_at    TEXT,
        snoozed_until  TEXT,
        last_seen_run  INTEGER NOT NULL,
        changed_run    INTEGER NOT NULL
      );
      CREATE INDEX findings_state ON findings (state);
      CREATE INDEX findings_changed_run ON findings (changed_run);
      CREATE INDEX findings_subject ON findings (subject_kind, subject_key);

      CREATE TABLE finding_events (
        id         INTEGER PRIMARY KEY,
        finding_id TEXT NOT NULL,
        at         TEXT NOT NULL,
        type       TEXT NOT NULL,
        actor      TEXT NOT NULL,
        reason     TEXT,
        data       TEXT
      );
      CREATE INDEX finding_events_finding ON finding_events (finding_id, at);
    `,
  },
  {
    version: 2,
    name: 'outbox for outgoing messages and a log of worker cycles',
    sql: `
      CREATE TABLE outbox (
        id              INTEGER PRIMARY KEY,
        dedupe_key      TEXT NOT NULL UNIQUE,
        channel         TEXT NOT NULL,
        kind            TEXT NOT NULL,
        payload         TEXT NOT NULL,
        state           TEXT NOT NULL DEFAULT 'pending',
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT NOT NULL,
        last_error      TEXT,
        created_at      TEXT NOT NULL,
        sent_at         TEXT,
        external_ref    TEXT
      );
      CREATE INDEX outbox_due ON outbox (state, next_attempt_at);

      CREATE TABLE runs (
        id          INTEGER PRIMARY KEY,
        kind        TEXT NOT NULL,
        started_at  TEXT NOT NULL,
        finished_at TEXT,
        ok          INTEGER,
        summary     TEXT
      );
    `,
  },
  {
    version: 3,
    name: 'indexes for incremental rule evaluation: items synced or removed since a mark',
    sql: `
      CREATE INDEX work_items_synced_at ON work_items (synced_at);
      CREATE INDEX work_items_removed_at ON work_items (removed_at) WHERE removed_at IS NOT NULL;
    `,
  },
  {
    version: 4,
    name: 'slack: alert notices per finding (message ts for threads), prompts, user cache, digest snapshots',
    sql: `
      -- How each finding was announced: the alert message (outbox id, then its Slack ts), when, and
      -- whether it was held (quiet hours) or left to the digest (channel cap).
      CREATE TABLE finding_notices (
        finding_id     TEXT PRIMARY KEY,
        channel        TEXT NOT NULL,
        state          TEXT NOT NULL,
        outbox_id      INTEGER,
        message_ts     TEXT,
        notified_at    TEXT,
        notify_count   INTEGER NOT NULL DEFAULT 0,
        resolved_reply INTEGER
      );
      CREATE INDEX finding_notices_outbox ON finding_notices (outbox_id) WHERE outbox_id IS NOT NULL;
      CREATE INDEX finding_notices_state ON finding_notices (state);

      -- Compliance prompts: one row per finding asked about, batched per person per message.
      CREATE TABLE prompts (
        finding_id       TEXT PRIMARY KEY,
        person           TEXT NOT NULL,
        slack_user       TEXT NOT NULL,
        outbox_id        INTEGER,
        prompted_at      TEXT NOT NULL,
        reminders        INTEGER NOT NULL DEFAULT 0,
        last_reminded_at TEXT,
        escalated_at     TEXT,
        answered_at      TEXT,
        answer           TEXT
      );
      CREATE INDEX prompts_open ON prompts (slack_user) WHERE answered_at IS NULL;

      CREATE TABLE slack_users (
        email      TEXT PRIMARY KEY,
        user_id    TEXT,
        checked_at TEXT NOT NULL
      );

      CREATE TABLE digest_snapshots (
        week       TEXT NOT NULL,
        project    TEXT NOT NULL,
        rag        TEXT NOT NULL,
        compliance REAL NOT NULL,
        open       INTEGER NOT NULL,
        PRIMARY KEY (week, project)
      ) WITHOUT ROWID;

    `,
  },
  {
    version: 5,
    name: 'weekly KPI snapshots (per team and overall) for week-over-week deltas and trends',
    sql: `
      CREATE TABLE kpi_snapshots (
        week     TEXT NOT NULL,
        scope    TEXT NOT NULL,
        subject  TEXT NOT NULL,
        kpi      TEXT NOT NULL,
        value    REAL,
        origin   TEXT NOT NULL,
        taken_at TEXT NOT NULL,
        PRIMARY KEY (week, scope, subject, kpi)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 6,
    name: 'rule engine: findings by rule, and the time of the last evaluation (lastSeenAt of untouched findings)',
    sql: `
      -- IF NOT EXISTS: databases made by an interim build of this branch already have both.
      CREATE INDEX IF NOT EXISTS findings_rule ON findings (rule_id, state);
      CREATE TABLE IF NOT EXISTS engine_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
  {
    version: 7,
    name: 'health per project, team, person and portfolio, one row per change, for trends',
    sql: `
      CREATE TABLE health_snapshots (
        scope         TEXT NOT NULL,
        subject       TEXT NOT NULL,
        at            TEXT NOT NULL,
        run_id        INTEGER NOT NULL,
        rag           TEXT NOT NULL,
        score         REAL NOT NULL,
        compliance    REAL NOT NULL,
        items         INTEGER NOT NULL,
        non_compliant INTEGER NOT NULL,
        critical      INTEGER NOT NULL,
        warning       INTEGER NOT NULL,
        info          INTEGER NOT NULL,
        PRIMARY KEY (scope, subject, at, run_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 8,
    name: 'sprints: a change number, so an incremental evaluation re-judges only the sprints a sync changed',
    sql: `
      -- 0 for every sprint stored before: the first evaluation after this migration is a full one anyway.
      ALTER TABLE sprints ADD COLUMN changed_seq INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX sprints_changed_seq ON sprints (changed_seq);
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;
