import type { Finding } from '../model/finding.ts';
import type { Db } from './db.ts';
import { findingFromRow, type FindingRow } from './findings.ts';

/** How a finding was announced: `announced` in an alert, `held` for quiet hours, `overflow` left to the digest. */
export type NoticeState = 'announced' | 'held' | 'overflow';

export interface Notice {
  findingId: string;
  channel: string;
  state: NoticeState;
  outboxId: number | null;
  messageTs: string | null;
  notifiedAt: string | null;
  notifyCount: number;
  resolvedReply: boolean;
}

export interface FindingWithNotice {
  finding: Finding;
  changedRun: number;
  notice: Notice | null;
  /** Whether (and how) its owner was asked about it. */
  prompt: { answeredAt: string | null; answer: string | null } | null;
}

export interface Prompt {
  findingId: string;
  person: string;
  slackUser: string;
  outboxId: number | null;
  promptedAt: string;
  reminders: number;
  lastRemindedAt: string | null;
  escalatedAt: string | null;
  answeredAt: string | null;
  answer: string | null;
}

export interface DigestSnapshot {
  week: string;
  project: string;
  rag: 'red' | 'amber' | 'green';
  compliance: number;
  open: number;
}

interface NoticeRow {
  finding_id: string;
  channel: string;
  state: NoticeState;
  outbox_id: number | null;
  message_ts: string | null;
  notified_at: string | null;
  notify_count: number;
  resolved_reply: number | null;
}

interface PromptRow {
  finding_id: string;
  person: string;
  slack_user: string;
  outbox_id: number | null;
  prompted_at: string;
  reminders: number;
  last_reminded_at: string | null;
  escalated_at: string | null;
  answered_at: string | null;
  answer: string | null;
}

const noticeFromRow = (r: NoticeRow): Notice => ({
  findingId: r.finding_id,
  channel: r.channel,
  state: r.state,
  outboxId: r.outbox_id,
  messageTs: r.message_ts,
  notifiedAt: r.notified_at,
  notifyCount: r.notify_count,
  resolvedReply: r.resolved_reply === 1,
});

const promptFromRow = (r: PromptRow): Prompt => ({
  findingId: r.finding_id,
  person: r.person,
  slackUser: r.slack_user,
  outboxId: r.outbox_id,
  promptedAt: r.prompted_at,
  reminders: r.reminders,
  lastRemindedAt: r.last_reminded_at,
  escalatedAt: r.escalated_at,
  answeredAt: r.answered_at,
  answer: r.answer,
});

/** What the Slack side remembers: alert notices (with the message ts for threads), prompts, users, digest history. */
export function createSlackRepo(db: Db) {
  const upsertNotice = db.prepare(`
    INSERT INTO finding_notices (finding_id, channel, state, outbox_id, message_ts, notified_at, notify_count, resolved_reply)
    VALUES (@findingId, @channel, @state, @outboxId, NULL, @notifiedAt, @count, NULL)
    ON CONFLICT (finding_id) DO UPDATE SET channel = excluded.channel, state = excluded.state,
      outbox_id = COALESCE(excluded.outbox_id, finding_notices.outbox_id),
      message_ts = CASE WHEN excluded.outbox_id IS NULL THEN finding_notices.message_ts ELSE NULL END,
      notified_at = COALESCE(excluded.notified_at, finding_notices.notified_at),
      notify_count = finding_notices.notify_count + excluded.notify_count, resolved_reply = NULL`);
  const insertPrompt = db.prepare(`
    INSERT INTO prompts (finding_id, person, slack_user, outbox_id, prompted_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (finding_id) DO UPDATE SET person = excluded.person, slack_user = excluded.slack_user,
      outbox_id = excluded.outbox_id, prompted_at = excluded.prompted_at, reminders = 0,
      last_reminded_at = NULL, escalated_at = NULL, answered_at = NULL, answer = NULL`);

  const promptStmt = db.prepare('SELECT * FROM prompts WHERE finding_id = ?');
  const noticeStmt = db.prepare('SELECT * FROM finding_notices WHERE finding_id = ?');
  const userStmt = db.prepare('SELECT user_id, checked_at FROM slack_users WHERE email = ?');

  return {
    /** Open findings with how they were announced so far; streamed, most severe first. */
    *openWithNotices(): Generator<FindingWithNotice> {
      const stmt = db.prepare(`
        SELECT f.*, n.finding_id AS n_id, n.channel AS n_channel, n.state AS n_state, n.outbox_id AS n_outbox_id,
               n.message_ts AS n_message_ts, n.notified_at AS n_notified_at, n.notify_count AS n_notify_count,
               n.resolved_reply AS n_resolved_reply, p.finding_id AS p_id, p.answered_at AS p_answered_at, p.answer AS p_answer
        FROM findings f LEFT JOIN finding_notices n ON n.finding_id = f.id LEFT JOIN prompts p ON p.finding_id = f.id
        WHERE f.state = 'open'
        ORDER BY CASE f.severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, f.rule_id, f.subject_key`);
      for (const row of stmt.iterate() as Iterable<FindingRow & Record<string, unknown> & { changed_run: number }>) {
        const notice =
          row['n_id'] === null
            ? null
            : noticeFromRow({
                finding_id: String(row['n_id']),
                channel: String(row['n_channel']),
                state: row['n_state'] as NoticeState,
                outbox_id: row['n_outbox_id'] as number | null,
                message_ts: row['n_message_ts'] as string | null,
                notified_at: row['n_notified_at'] as string | null,
                notify_count: Number(row['n_notify_count']),
                resolved_reply: row['n_resolved_reply'] as number | null,
              });
        const prompt = row['p_id'] === null ? null : { answeredAt: row['p_answered_at'] as string | null, answer: row['p_answer'] as string | null };
        yield { finding: findingFromRow(row), changedRun: row.changed_run, notice, prompt };
      }
    },

    /** Findings resolved in a run whose alert has not had its thread reply yet. */
    resolvedAwaitingReply(runId: number): Array<{ finding: Finding; notice: Notice }> {
      const rows = db
        .prepare(`
          SELECT f.*, n.* FROM findings f JOIN finding_notices n ON n.finding_id = f.id
          WHERE f.state = 'resolved' AND f.changed_run = ? AND n.state = 'announced' AND n.outbox_id IS NOT NULL
            AND n.resolved_reply IS NULL
          ORDER BY n.outbox_id, f.subject_key`)
        .all(runId) as Array<FindingRow & NoticeRow>;
      return rows.map((r) => ({ finding: findingFromRow(r), notice: noticeFromRow(r) }));
    },

    notice(findingId: string): Notice | undefined {
      const row = noticeStmt.get(findingId) as NoticeRow | undefined;
      return row ? noticeFromRow(row) : undefined;
    },

    /** Records an announcement (or a hold / overflow); call inside the transaction that enqueues the message. */
    putNotice(findingId: string, channel: string, state: NoticeState, outboxId: number | null, at: string | null): void {
      upsertNotice.run({ findingId, channel, state, outboxId, notifiedAt: state === 'announced' ? at : null, count: state === 'announced' ? 1 : 0 });
    },

    markResolvedReplied(findingIds: readonly string[]): void {
      const stmt = db.prepare('UPDATE finding_notices SET resolved_reply = 1 WHERE finding_id = ?');
      for (const id of findingIds) stmt.run(id);
    },

    /** Copies Slack's ts onto the notices of an alert once it is posted (threads need it). */
    recordMessageTs(outboxId: number, ts: string): void {
      db.prepare('UPDATE finding_notices SET message_ts = ? WHERE outbox_id = ?').run(ts, outboxId);
    },

    /** Findings an alert message announced (for its "show all" button). */
    findingsOfMessage(outboxId: number): Finding[] {
      const rows = db
        .prepare(`
          SELECT f.* FROM findings f JOIN finding_notices n ON n.finding_id = f.id WHERE n.outbox_id = ?
          ORDER BY CASE f.severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, f.rule_id, f.subject_key`)
        .all(outboxId) as FindingRow[];
      return rows.map(findingFromRow);
    },

    /**
     * A person's open findings, most severe first: the ones they own, plus unanswered prompts put to
     * them (items handed over with "Not mine", unowned items sent to them as project lead).
     */
    openOwnedBy(email: string, slackUser: string | null = null): Finding[] {
      const rows = db
        .prepare(`
          SELECT * FROM findings WHERE state = 'open' AND (owner_email = ? OR id IN (
            SELECT finding_id FROM prompts WHERE answered_at IS NULL AND (person = ? OR slack_user = ?)))
          ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, rule_id, subject_key`)
        .all(email.toLowerCase(), email.toLowerCase(), slackUser ?? '') as FindingRow[];
      return rows.map(findingFromRow);
    },

    /** Findings about one item, by its native key (PAY-12) or full key (demo:PAY-12). */
    aboutItem(key: string): Finding[] {
      const rows = db
        .prepare("SELECT * FROM findings WHERE subject_key = ? OR (subject_kind = 'item' AND subject_key LIKE ? ESCAPE '\\') ORDER BY state, rule_id")
        .all(key, `%:${key.replace(/[\\%_]/g, (c) => `\\${c}`)}`) as FindingRow[];
      return rows.map(findingFromRow);
    },

    /** Open findings left to the digest by a channel cap. */
    overflow(channel?: string): Finding[] {
      const rows = db
        .prepare(`
          SELECT f.* FROM findings f JOIN finding_notices n ON n.finding_id = f.id
          WHERE n.state = 'overflow' AND f.state = 'open' ${channel ? 'AND n.channel = ?' : ''}
          ORDER BY CASE f.severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, f.rule_id, f.subject_key`)
        .all(...(channel ? [channel] : [])) as FindingRow[];
      return rows.map(findingFromRow);
    },

    putPrompt(findingId: string, person: string, slackUser: string, outboxId: number | null, at: string): void {
      insertPrompt.run(findingId, person, slackUser, outboxId, at);
    },

    prompt(findingId: string): Prompt | undefined {
      const row = promptStmt.get(findingId) as PromptRow | undefined;
      return row ? promptFromRow(row) : undefined;
    },

    /** Prompts not answered yet whose finding is still open. */
    openPrompts(): Array<{ prompt: Prompt; finding: Finding }> {
      const rows = db
        .prepare(`
          SELECT f.*, p.* FROM prompts p JOIN findings f ON f.id = p.finding_id
          WHERE p.answered_at IS NULL AND f.state = 'open' ORDER BY p.slack_user, f.subject_key`)
        .all() as Array<FindingRow & PromptRow>;
      return rows.map((r) => ({ prompt: promptFromRow(r), finding: findingFromRow(r) }));
    },

    answerPrompt(findingId: string, answer: string, at: string): boolean {
      return db.prepare('UPDATE prompts SET answered_at = ?, answer = ? WHERE finding_id = ? AND answered_at IS NULL').run(at, answer, findingId).changes > 0;
    },

    remindPrompt(findingId: string, at: string): void {
      db.prepare('UPDATE prompts SET reminders = reminders + 1, last_reminded_at = ? WHERE finding_id = ?').run(at, findingId);
    },

    escalatePrompt(findingId: string, at: string): void {
      db.prepare('UPDATE prompts SET escalated_at = ? WHERE finding_id = ?').run(at, findingId);
    },

    /** A cached e-mail → Slack user id answer (`null`: Slack knows no such user). */
    cachedUser(email: string): { userId: string | null; checkedAt: string } | undefined {
      const row = userStmt.get(email.toLowerCase()) as
        | { user_id: string | null; checked_at: string }
        | undefined;
      return row ? { userId: row.user_id, checkedAt: row.checked_at } : undefined;
    },

    cacheUser(email: string, userId: string | null, at: string): void {
      db.prepare(
        'INSERT INTO slack_users (email, user_id, checked_at) VALUES (?, ?, ?) ON CONFLICT (email) DO UPDATE SET user_id = excluded.user_id, checked_at = excluded.checked_at',
      ).run(email.toLowerCase(), userId, at);
    },

    /** The e-mail a Slack user is known by (reverse of the cache), for "my findings". */
    emailOfUser(userId: string): string | undefined {
      return (db.prepare('SELECT email FROM slack_users WHERE user_id = ?').pluck().get(userId) as string | undefined) ?? undefined;
    },

    putSnapshot(s: DigestSnapshot): void {
      db.prepare(
        'INSERT INTO digest_snapshots (week, project, rag, compliance, open) VALUES (?, ?, ?, ?, ?) ON CONFLICT (week, project) DO UPDATE SET rag = excluded.rag, compliance = excluded.compliance, open = excluded.open',
      ).run(s.week, s.project, s.rag, s.compliance, s.open);
    },

    /** Snapshots of earlier weeks, oldest first (for week-over-week change and sparklines). */
    snapshots(beforeWeek: string, weeks: number): DigestSnapshot[] {
      return db
        .prepare(
          'SELECT * FROM digest_snapshots WHERE week IN (SELECT DISTINCT week FROM digest_snapshots WHERE week < ? ORDER BY week DESC LIMIT ?) ORDER BY week, project',
        )
        .all(beforeWeek, weeks) as DigestSnapshot[];
    },
  };
}

export type SlackRepo = ReturnType<typeof createSlackRepo>;
