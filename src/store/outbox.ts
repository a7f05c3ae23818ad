import type { Db } from './db.ts';

export type OutboxState = 'pending' | 'sending' | 'sent' | 'failed' | 'uncertain';

export interface OutboxMessage {
  id: number;
  dedupeKey: string;
  channel: string;
  kind: string;
  payload: unknown;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  externalRef: string | null;
}

interface OutboxRow {
  id: number;
  dedupe_key: string;
  channel: string;
  kind: string;
  payload: string;
  state: OutboxState;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
  external_ref: string | null;
}

/**
 * Outgoing messages. Enqueueing is idempotent by `dedupeKey`; a message is marked `sending` before
 * the transport is called, so a crash mid-send leaves it `uncertain` rather than sending it twice.
 */
export function createOutboxRepo(db: Db) {
  const insert = db.prepare(`
    INSERT INTO outbox (dedupe_key, channel, kind, payload, state, attempts, next_attempt_at, created_at)
    VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)
    ON CONFLICT (dedupe_key) DO NOTHING`);
  const due = db.prepare(
    "SELECT * FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?",
  );
  const claim = db.prepare(
    "UPDATE outbox SET state = 'sending', attempts = attempts + 1 WHERE id = ? AND state = 'pending'",
  );
  const byKey = db.prepare('SELECT id FROM outbox WHERE dedupe_key = ?').pluck();
  const sent = db.prepare("UPDATE outbox SET state = 'sent', sent_at = ?, external_ref = ?, last_error = NULL WHERE id = ?");
  const retry = db.prepare("UPDATE outbox SET state = ?, next_attempt_at = ?, last_error = ? WHERE id = ?");

  return {
    enqueue(message: { dedupeKey: string; channel: string; kind: string; payload: unknown }, now: string): boolean {
      return insert.run(message.dedupeKey, message.channel, message.kind, JSON.stringify(message.payload), now, now).changes > 0;
    },

    /** Like `enqueue`, returning the message's id (the existing one when the key was already queued). */
    add(message: { dedupeKey: string; channel: string; kind: string; payload: unknown }, now: string): { id: number; added: boolean } {
      const r = insert.run(message.dedupeKey, message.channel, message.kind, JSON.stringify(message.payload), now, now);
      if (r.changes > 0) return { id: Number(r.lastInsertRowid), added: true };
      return { id: Number(byKey.get(message.dedupeKey)), added: false };
    },

    byKey(dedupeKey: string): OutboxMessage | undefined {
      const row = db.prepare('SELECT * FROM outbox WHERE dedupe_key = ?').get(dedupeKey) as OutboxRow | undefined;
      return row ? fromRow(row) : undefined;
    },

    get(id: number): OutboxMessage | undefined {
      const row = db.prepare('SELECT * FROM outbox WHERE id = ?').get(id) as OutboxRow | undefined;
      return row ? fromRow(row) : undefined;
    },

    /** Puts a message back in the queue unchanged (e.g. its thread parent is not posted yet). */
    defer(id: number, nextAttemptAt: string): void {
      db.prepare("UPDATE outbox SET state = 'pending', attempts = MAX(attempts - 1, 0), next_attempt_at = ? WHERE id = ?").run(nextAttemptAt, id);
    },

    due(now: string, limit = 100): OutboxMessage[] {
      return (due.all(now, limit) as OutboxRow[]).map(fromRow);
    },

    /** Claims a message for sending; false when another sender got there first. */
    claim(id: number): boolean {
      return claim.run(id).changes > 0;
    },

    markSent(id: number, now: string, externalRef: string | null): void {
      sent.run(now, externalRef, id);
    },

    /** A definite failure: retried at `nextAttemptAt`, or given up as `failed`. */
    markFailed(id: number, error: string, nextAttemptAt: string | null): void {
      retry.run(nextAttemptAt ? 'pending' : 'failed', nextAttemptAt ?? '', error, id);
    },

    /** After a crash, messages left `sending` may or may not have arrived: never resend them blindly. */
    recoverInterrupted(): number {
      return db
        .prepare("UPDATE outbox SET state = 'uncertain', last_error = 'interrupted while sending' WHERE state = 'sending'")
        .run().changes;
    },

    /** Messages per state, for reporting what is still queued, failed or uncertain. */
    counts(): Record<OutboxState, number> {
      const out: Record<OutboxState, number> = { pending: 0, sending: 0, sent: 0, failed: 0, uncertain: 0 };
      for (const r of db.prepare('SELECT state, count(*) AS n FROM outbox GROUP BY state').all() as Array<{ state: OutboxState; n: number }>) out[r.state] = r.n;
      return out;
    },

    list(state?: OutboxState): OutboxMessage[] {
      const rows = (
        state ? db.prepare('SELECT * FROM outbox WHERE state = ? ORDER BY id').all(state) : db.prepare('SELECT * FROM outbox ORDER BY id').all()
      ) as OutboxRow[];
      return rows.map(fromRow);
    },
  };
}

export type OutboxRepo = ReturnType<typeof createOutboxRepo>;

function fromRow(r: OutboxRow): OutboxMessage {
  return {
    id: r.id,
    dedupeKey: r.dedupe_key,
    channel: r.channel,
    kind: r.kind,
    payload: JSON.parse(r.payload) as unknown,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    createdAt: r.created_at,
    sentAt: r.sent_at,
    externalRef: r.external_ref,
  };
}
