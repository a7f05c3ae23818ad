import type { Store } from '../store/index.ts';

/**
 * The audit trail as one time-ordered stream: every finding transition, waiver, snooze, answer and
 * write-back (`finding_events`) and every compliance prompt sent, escalated and answered (`prompts`).
 * Nothing here is ever pruned: the trail lasts as long as the database does.
 */
export interface AuditEntry {
  at: string;
  /** A finding event type (`opened`, `waived`, `fixed` …) or a prompt event (`prompted`, `escalated`, `prompt_answered`). */
  type: string;
  actor: string;
  reason: string | null;
  findingId: string;
  ruleId: string | null;
  subjectKind: string | null;
  subjectKey: string | null;
  project: string | null;
  /** The state, severity or field value before the event (null where there was none). */
  before: string | null;
  /** … and after it. */
  after: string | null;
  data: Record<string, unknown> | null;
}

export interface AuditQuery {
  /** ISO instant or date: only entries at or after it. */
  since?: string | undefined;
}

/** The lifecycle state each state-changing event leaves a finding in. */
const STATE_AFTER: Record<string, string> = {
  opened: 'open',
  reopened: 'open',
  unsnoozed: 'open',
  unwaived: 'open',
  resolved: 'resolved',
  snoozed: 'snoozed',
  waived: 'waived',
};
const STATE_EVENTS = Object.keys(STATE_AFTER)
  .map((t) => `'${t}'`)
  .join(', ');

interface Row {
  at: string;
  type: string;
  actor: string;
  reason: string | null;
  finding_id: string;
  data: string | null;
  prior: string | null;
  rule_id: string | null;
  subject_kind: string | null;
  subject_key: string | null;
  project: string | null;
  seq: number;
}

/** Streams the trail in time order (ties in the order they were written). */
export function* auditTrail(store: Store, query: AuditQuery = {}): Generator<AuditEntry> {
  const since = query.since ?? '';
  // The state before a finding event is the state its previous state-changing event left; at the
  // same instant a decision's finding event comes before the prompt row it answered (rank).
  const stmt = store.db.prepare(`
    SELECT * FROM (
      SELECT e.at, e.type, e.actor, e.reason, e.finding_id, e.data, e.id AS seq, 0 AS rank,
             (SELECT p.type FROM finding_events p
               WHERE p.finding_id = e.finding_id AND p.id < e.id AND p.type IN (${STATE_EVENTS})
               ORDER BY p.id DESC LIMIT 1) AS prior,
             f.rule_id, f.subject_kind, f.subject_key, f.project
        FROM finding_events e LEFT JOIN findings f ON f.id = e.finding_id
       WHERE e.at >= @since
      UNION ALL
      SELECT p.prompted_at, 'prompted', 'pmo-bot', 'asked ' || p.person, p.finding_id,
             json_object('slackUser', p.slack_user, 'reminders', p.reminders), 0, 1, NULL,
             f.rule_id, f.subject_kind, f.subject_key, f.project
        FROM prompts p LEFT JOIN findings f ON f.id = p.finding_id
       WHERE p.prompted_at >= @since
      UNION ALL
      SELECT p.escalated_at, 'escalated', 'pmo-bot', 'unanswered after ' || p.reminders || ' reminders', p.finding_id,
             NULL, 0, 1, NULL, f.rule_id, f.subject_kind, f.subject_key, f.project
        FROM prompts p LEFT JOIN findings f ON f.id = p.finding_id
       WHERE p.escalated_at IS NOT NULL AND p.escalated_at >= @since
      UNION ALL
      SELECT p.answered_at, 'prompt_answered', 'slack:' || p.slack_user, NULL, p.finding_id,
             json_object('answer', p.answer), 0, 1, NULL, f.rule_id, f.subject_kind, f.subject_key, f.project
        FROM prompts p LEFT JOIN findings f ON f.id = p.finding_id
       WHERE p.answered_at IS NOT NULL AND p.answered_at >= @since
    ) ORDER BY at, rank, seq`);
  for (const row of stmt.iterate({ since }) as Iterable<Row>) {
    const data = row.data === null ? null : parseData(row.data);
    const { before, after } = change(row, data);
    yield {
      at: row.at,
      type: row.type,
      actor: row.actor,
      reason: row.reason,
      findingId: row.finding_id,
      ruleId: row.rule_id,
      subjectKind: row.subject_kind,
      subjectKey: row.subject_key,
      project: row.project,
      before,
      after,
      data,
    };
  }
}

function parseData(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { value };
  } catch {
    return { raw: text };
  }
}

const shown = (v: unknown): string | null => (v === undefined || v === null ? null : Array.isArray(v) ? v.join(', ') : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** Before and after of one event: a state, a severity, a field's value or an answer. */
function change(row: Row, data: Record<string, unknown> | null): { before: string | null; after: string | null } {
  const priorState = row.prior === null ? null : (STATE_AFTER[row.prior] ?? null);
  const next = STATE_AFTER[row.type];
  if (next !== undefined) return { before: row.type === 'opened' ? null : priorState, after: next };
  switch (row.type) {
    case 'severity_changed':
      return { before: shown(data?.['from']), after: shown(data?.['to']) };
    case 'fixed':
    case 'write_back_failed':
      return { before: shown(data?.['before']), after: shown(data?.['value']) };
    case 'handed_over':
      return { before: null, after: shown(data?.['to']) };
    case 'prompt_answered':
      return { before: null, after: shown(data?.['answer']) };
    default:
      return { before: null, after: null };
  }
}

const CSV_COLUMNS: ReadonlyArray<keyof AuditEntry> = ['at', 'type', 'actor', 'reason', 'findingId', 'ruleId', 'subjectKind', 'subjectKey', 'project', 'before', 'after', 'data'];

export function csvHeader(): string {
  return CSV_COLUMNS.join(',') + '\r\n';
}

/** One RFC 4180 line; text that a spreadsheet would run as a formula is prefixed with a quote. */
export function csvLine(entry: AuditEntry): string {
  return CSV_COLUMNS.map((c) => csvCell(entry[c])).join(',') + '\r\n';
}

function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  // Reasons and answers are typed by people in Slack: never let them become spreadsheet formulas.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
