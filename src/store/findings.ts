import { createHash } from 'node:crypto';
import { RULE_SCOPES, type Finding, type FindingEvent, type FindingEventType, type FindingState, type FindingSubject, type Severity } from '../model/finding.ts';
import type { Db } from './db.ts';

/** What the engine hands the store: a finding's content, without its lifecycle. */
export type ReportedFinding = Omit<Finding, 'state' | 'firstSeenAt' | 'lastSeenAt' | 'resolvedAt' | 'snoozedUntil'>;

/**
 * A finding as the store writes it: its columns and its JSON (`data`), computed once where the rule
 * reported it (possibly on an item-pass thread; flat strings cross threads cheaply).
 */
export interface PreparedFinding {
  id: string;
  ruleId: string;
  category: string;
  severity: Severity;
  subjectKind: string;
  subjectKey: string;
  source: string | null;
  project: string | null;
  team: string | null;
  ownerEmail: string | null;
  message: string;
  /** `JSON.stringify` of the whole `ReportedFinding`. */
  data: string;
}

export function prepareFinding(f: ReportedFinding): PreparedFinding {
  return {
    id: f.id,
    ruleId: f.ruleId,
    category: f.category,
    severity: f.severity,
    subjectKind: f.subject.kind,
    subjectKey: f.subject.key,
    source: f.source,
    project: f.project,
    team: f.team,
    ownerEmail: f.owner?.email?.toLowerCase() ?? null,
    message: f.message,
    data: JSON.stringify(f),
  };
}

export interface RecordTally {
  opened: number;
  reopened: number;
  ongoing: number;
}

export interface FindingQuery {
  state?: FindingState | undefined;
  ruleId?: string | undefined;
  changedInRun?: number | undefined;
}

/** Stable across runs: the same rule on the same subject is the same finding. */
export function findingId(ruleId: string, subject: FindingSubject): string {
  return createHash('sha1').update(`${ruleId}\0${subject.kind}\0${subject.key}`).digest('hex').slice(0, 16);
}

export interface FindingRow {
  id: string;
  state: FindingState;
  severity: string;
  message: string;
  data: string;
  first_seen_at: string;
  last_seen_at: string;
  resolved_at: string | null;
  snoozed_until: string | null;
}

const SYSTEM = 'pmo-bot';

interface LiveRow {
  rowid: number;
  id: string;
  rule_id: string;
  state: FindingState;
}

/** Findings and their audit trail; every state change writes a `finding_events` row. */
export function createFindingRepo(db: Db) {
  const select = db.prepare('SELECT id, state, severity, snoozed_until, data, message FROM findings WHERE id = ?');
  const getState = db.prepare("SELECT value FROM engine_state WHERE key = 'last_evaluation_at'").pluck();
  const putState = db.prepare(
    "INSERT INTO engine_state (key, value) VALUES ('last_evaluation_at', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
  );
  // Positional parameters: binding fourteen named ones from an object per finding cost more than the insert.
  const insertSql = `
    INSERT INTO findings (id, rule_id, category, severity, subject_kind, subject_key, source, project, team,
                          owner_email, state, message, data, first_seen_at, last_seen_at, resolved_at,
                          snoozed_until, last_seen_run, changed_run)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, NULL, NULL, ?, ?)`;
  const insert = db.prepare(insertSql);
  // A finding of a rule that had none stored when the run began is written without a look-up first.
  const insertNew = db.prepare(`${insertSql} ON CONFLICT (id) DO NOTHING`);
  const refresh = db.prepare(`
    UPDATE findings SET severity = ?, message = ?, data = ?, owner_email = ?, project = ?, team = ?,
                        last_seen_at = ?, last_seen_run = ?
    WHERE id = ?`);
  const ruleIds = db.prepare('SELECT DISTINCT rule_id FROM findings').pluck();
  const LIVE = "state IN ('open','snoozed','waived')";
  const liveAll = db.prepare(`SELECT rowid, id, rule_id, state FROM findings WHERE ${LIVE}`);
  const liveOfRule = db.prepare(`SELECT rowid, id, rule_id, state FROM findings WHERE rule_id = ? AND ${LIVE}`);
  // Subjects go in as one JSON array per query: a statement run per subject cost more than the look-ups (tens of thousands at 1M items).
  const liveOfItems = db.prepare(
    `SELECT rowid, id, rule_id, state FROM findings INDEXED BY findings_subject WHERE subject_kind = 'item' AND subject_key IN (SELECT value FROM json_each(?)) AND ${LIVE}`,
  );
  const liveOfRuleSubjects = db.prepare(
    // The rule index would walk every live finding of the rule; each subject kind listed costs a probe per subject.
    `SELECT rowid, id, rule_id, state FROM findings INDEXED BY findings_subject
     WHERE subject_kind IN (SELECT value FROM json_each(?)) AND subject_key IN (SELECT value FROM json_each(?)) AND rule_id = ? AND ${LIVE}`,
  );
  const liveOfRuleNotItems = db.prepare(`SELECT rowid, id, rule_id, state FROM findings WHERE rule_id = ? AND subject_kind != 'item' AND ${LIVE}`);
  const setOpen = db.prepare(`
    UPDATE findings SET state = 'open', resolved_at = NULL, snoozed_until = NULL, changed_run = @run WHERE id = @id`);
  const insertEvent = db.prepare(
    'INSERT INTO finding_events (finding_id, at, type, actor, reason, data) VALUES (?, ?, ?, ?, ?, ?)',
  );
  // A live finding was seen by the last evaluation that kept it live, even when no write touched it.
  const resolveSeen = db.prepare(`
    UPDATE findings SET state = 'resolved', resolved_at = @now, snoozed_until = NULL, changed_run = @run,
                        last_seen_at = max(last_seen_at, coalesce(@lastSeen, last_seen_at))
    WHERE id = @id`);
  const lastEvaluation = (): string | null => (getState.get() as string | undefined) ?? null;
  const withSeen = (f: Finding, lastEval: string | null): Finding =>
    f.state !== 'resolved' && lastEval !== null && lastEval > f.lastSeenAt ? { ...f, lastSeenAt: lastEval } : f;

  const event = (id: string, at: string, type: FindingEventType, reason: string | null, data?: unknown, actor = SYSTEM) =>
    insertEvent.run(id, at, type, actor, reason, data === undefined ? null : JSON.stringify(data));

  return {
    /**
     * Records what a run saw (call inside a transaction): new, reopened or still-open findings.
     * `known`: the rules that had findings stored when the run began (`ruleIds()`); a finding of any
     * other rule is inserted straight away, and looked up only when this run already wrote it.
     */
    record(findings: ReadonlyArray<PreparedFinding | ReportedFinding>, run: number, now: string, known?: ReadonlySet<string>): RecordTally {
      const tally: RecordTally = { opened: 0, reopened: 0, ongoing: 0 };
      for (const given of findings) {
        const f = 'subjectKey' in given ? given : prepareFinding(given);
        const { data, ownerEmail: owner } = f;
        const params = [f.id, f.ruleId, f.category, f.severity, f.subjectKind, f.subjectKey, f.source, f.project, f.team, owner, f.message, data, now, now, run, run];
        if (known !== undefined && !known.has(f.ruleId) && insertNew.run(params).changes === 1) {
          event(f.id, now, 'opened', null, { severity: f.severity, message: f.message });
          tally.opened++;
          continue;
        }
        const existing = select.get(f.id) as Pick<FindingRow, 'id' | 'state' | 'severity' | 'snoozed_until' | 'data' | 'message'> | undefined;
        if (!existing) {
          insert.run(params);
          event(f.id, now, 'opened', null, { severity: f.severity, message: f.message });
          tally.opened++;
          continue;
        }
        const parked = existing.state === 'snoozed' || existing.state === 'waived';
        const expired = parked && existing.snoozed_until !== null && existing.snoozed_until <= now;
        // A snooze or waiver covers the finding as it was: when its condition changes it returns.
        const changed = parked && !expired && conditionOf(existing.message) !== conditionOf(f.message);
        if (existing.state !== 'resolved' && !expired && !changed && existing.severity === f.severity && existing.data === data) {
          // Unchanged and still live: nothing to write (its lastSeenAt follows the evaluations).
          tally.ongoing++;
          continue;
        }
        refresh.run(f.severity, f.message, data, owner, f.project, f.team, now, run, f.id);
        if (existing.severity !== f.severity) {
          event(f.id, now, 'severity_changed', null, { from: existing.severity, to: f.severity });
        }
        if (existing.state === 'resolved') {
          setOpen.run({ id: f.id, run });
          event(f.id, now, 'reopened', null, { message: f.message });
          tally.reopened++;
        } else if (expired || changed) {
          setOpen.run({ id: f.id, run });
          const type: FindingEventType = existing.state === 'waived' ? 'unwaived' : 'unsnoozed';
          const why = expired ? `${existing.state === 'waived' ? 'waiver' : 'snooze'} expired` : 'its condition changed';
          event(f.id, now, type, why, changed ? { from: existing.message, to: f.message } : undefined);
          tally.ongoing++;
        } else {
          tally.ongoing++;
        }
      }
      return tally;
    },

    /** Rules with at least one stored finding (in any state). */
    ruleIds(): Set<string> {
      return new Set(ruleIds.all() as string[]);
    },

    /**
     * Resolves live findings not seen by this run among those it re-derived: everything (`all`, a full
     * run), or every finding of the `rules` re-run in full plus item findings of the `items`
     * re-evaluated (an incremental run); never findings of the rules in `keep`, cut short this run.
     */
    resolveUnseenIn(
      run: number,
      now: string,
      scope: {
        all?: boolean;
        rules: readonly string[];
        /**
         * Rules re-judged over some groups only: their findings about these subjects (see
         * `RuleVisitor.groups`), of these kinds (default: any).
         */
        groups?: ReadonlyArray<{ rule: string; subjects: readonly string[]; kinds?: readonly string[] }>;
        items: readonly string[];
        keep: readonly string[];
        seen: ReadonlySet<string>;
        /** Rules whose findings about non-item subjects are all re-derived (e.g. rule errors of aggregates). */
        subjectsOf?: readonly string[];
      },
    ): string[] {
      const lastSeen = lastEvaluation();
      const keep = new Set(scope.keep);
      let rows: LiveRow[];
      if (scope.all) {
        rows = liveAll.all() as LiveRow[];
      } else {
        // An incremental run re-derives a few rules and items: indexed look-ups instead of a walk
        // of every live finding (a third of a second at 1M items).
        const byRowid = new Map<number, LiveRow>();
        const take = (found: LiveRow[]) => {
          for (const r of found) byRowid.set(r.rowid, r);
        };
        for (const rule of scope.rules) take(liveOfRule.all(rule) as LiveRow[]);
        for (const { rule, subjects, kinds = RULE_SCOPES } of scope.groups ?? []) {
          if (subjects.length > 0 && kinds.length > 0) take(liveOfRuleSubjects.all(JSON.stringify(kinds), JSON.stringify(subjects), rule) as LiveRow[]);
        }
        if (scope.items.length > 0) take(liveOfItems.all(JSON.stringify(scope.items)) as LiveRow[]);
        for (const rule of scope.subjectsOf ?? []) take(liveOfRuleNotItems.all(rule) as LiveRow[]);
        // In the order the single query walked them (the state index: state, then rowid).
        rows = [...byRowid.values()].sort((a, b) => (a.state < b.state ? -1 : a.state > b.state ? 1 : a.rowid - b.rowid));
      }
      const ids = rows.filter((r) => !keep.has(r.rule_id) && !scope.seen.has(r.id)).map((r) => r.id);
      for (const id of ids) {
        resolveSeen.run({ id, now, run, lastSeen });
        event(id, now, 'resolved', 'no longer reported by its rule');
      }
      return ids;
    },

    /** Opens again every snooze and waiver whose time has ended (call inside a transaction); returns their ids. */
    expireParked(now: string, run: number): string[] {
      const rows = db
        .prepare("SELECT id, state FROM findings WHERE state IN ('snoozed','waived') AND snoozed_until IS NOT NULL AND snoozed_until <= ?")
        .all(now) as Array<{ id: string; state: 'snoozed' | 'waived' }>;
      for (const r of rows) {
        setOpen.run({ id: r.id, run });
        event(r.id, now, r.state === 'waived' ? 'unwaived' : 'unsnoozed', `${r.state === 'waived' ? 'waiver' : 'snooze'} expired`);
      }
      return rows.map((r) => r.id);
    },

    /** Records that an evaluation finished at `at`: every finding still live was seen then. */
    markEvaluated(at: string): void {
      putState.run(at);
    },

    /**
     * A person's decision on a finding, with the reason kept in the audit trail: snooze until a date,
     * waive (optionally until an expiry), or open again. `origin: 'config'` marks a waiver that
     * comes from the `waivers:` section (it is lifted when the entry is removed).
     */
    setState(
      id: string,
      change: { state: 'open' | 'snoozed' | 'waived'; actor: string; reason: string | null; until?: string | null; origin?: 'config' },
      now: string,
    ): boolean {
      const existing = select.get(id) as Pick<FindingRow, 'state'> | undefined;
      if (!existing || existing.state === 'resolved') return false;
      db.prepare('UPDATE findings SET state = ?, snoozed_until = ? WHERE id = ?').run(
        change.state,
        change.state === 'open' ? null : (change.until ?? null),
        id,
      );
      const type: FindingEventType =
        change.state === 'snoozed' ? 'snoozed' : change.state === 'waived' ? 'waived' : existing.state === 'waived' ? 'unwaived' : 'unsnoozed';
      const data = change.until || change.origin ? { ...(change.until ? { until: change.until } : {}), ...(change.origin ? { origin: change.origin } : {}) } : undefined;
      event(id, now, type, change.reason, data, change.actor);
      return true;
    },

    /**
     * A person's answer recorded without changing the state (a hand-over, a failed write-back), or a
     * fix that made the rule stop reporting: then the finding is resolved at once.
     */
    recordAnswer(
      id: string,
      change: { type: 'fixed' | 'handed_over' | 'write_back_failed'; actor: string; reason: string | null; data?: unknown; resolve?: boolean },
      now: string,
    ): boolean {
      const existing = select.get(id) as Pick<FindingRow, 'state'> | undefined;
      if (!existing) return false;
      if (change.resolve) {
        if (existing.state === 'resolved') return false;
        db.prepare("UPDATE findings SET state = 'resolved', resolved_at = ?, snoozed_until = NULL WHERE id = ?").run(now, id);
      }
      event(id, now, change.type, change.reason, change.data, change.actor);
      return true;
    },

    /** Ids of findings currently waived by a `waivers:` entry of the config. */
    configWaived(): string[] {
      return db
        .prepare(
          `SELECT f.id FROM findings f
           WHERE f.state = 'waived'
             AND (SELECT json_extract(e.data, '$.origin') FROM finding_events e
                  WHERE e.finding_id = f.id AND e.type = 'waived' ORDER BY e.id DESC LIMIT 1) = 'config'`,
        )
        .pluck()
        .all() as string[];
    },

    get(id: string): Finding | undefined {
      const row = db.prepare('SELECT * FROM findings WHERE id = ?').get(id) as FindingRow | undefined;
      return row ? withSeen(findingFromRow(row), lastEvaluation()) : undefined;
    },

    list(query: FindingQuery = {}): Finding[] {
      return [...this.iterate(query)];
    },

    *iterate(query: FindingQuery = {}): Generator<Finding> {
      const parts: string[] = [];
      const params: Array<string | number> = [];
      if (query.state) {
        parts.push('state = ?');
        params.push(query.state);
      }
      if (query.ruleId) {
        parts.push('rule_id = ?');
        params.push(query.ruleId);
      }
      if (query.changedInRun !== undefined) {
        parts.push('changed_run = ?');
        params.push(query.changedInRun);
      }
      const where = parts.length ? `WHERE ${parts.join(' AND ')}` : '';
      const order = "ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, rule_id, subject_key";
      const stmt = db.prepare(`SELECT * FROM findings ${where} ${order}`);
      const lastEval = lastEvaluation();
      for (const row of stmt.iterate(...params) as Iterable<FindingRow>) yield withSeen(findingFromRow(row), lastEval);
    },

    count(state?: FindingState): number {
      const stmt = state
        ? db.prepare('SELECT count(*) FROM findings WHERE state = ?').pluck()
        : db.prepare('SELECT count(*) FROM findings').pluck();
      return Number(state ? stmt.get(state) : stmt.get());
    },

    events(findingId?: string): FindingEvent[] {
      const rows = (
        findingId
          ? db.prepare('SELECT * FROM finding_events WHERE finding_id = ? ORDER BY id').all(findingId)
          : db.prepare('SELECT * FROM finding_events ORDER BY id').all()
      ) as Array<{ id: number; finding_id: string; at: string; type: FindingEventType; actor: string; reason: string | null; data: string | null }>;
      return rows.map((r) => ({
        id: r.id,
        findingId: r.finding_id,
        at: r.at,
        type: r.type,
        actor: r.actor,
        reason: r.reason,
        data: r.data ? (JSON.parse(r.data) as Record<string, unknown>) : null,
      }));
    },
  };
}

export type FindingRepo = ReturnType<typeof createFindingRepo>;

/** What a snooze or waiver was given for: the message with its running numbers (days, counts) left out. */
function conditionOf(message: string): string {
  return message.replace(/\d+(\.\d+)?/g, '#');
}

/** A `findings` row (at least `data` and the lifecycle columns) as a Finding. */
export function findingFromRow(row: FindingRow): Finding {
  const content = JSON.parse(row.data) as ReportedFinding;
  return {
    ...content,
    state: row.state,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    resolvedAt: row.resolved_at,
    snoozedUntil: row.snoozed_until,
  };
}
