import type { SyncState } from '../model/connector.ts';
import { openDb, type Db, type OpenDbOptions } from './db.ts';
import { createFindingRepo } from './findings.ts';
import { createItemRepo } from './items.ts';
import { createOutboxRepo } from './outbox.ts';
import { createSlackRepo } from './slack.ts';

export interface RunRecord {
  id: number;
  kind: string;
  startedAt: string;
  finishedAt: string | null;
  ok: boolean | null;
  summary: unknown;
}

/** The one SQLite store: repositories over a shared connection, and transactions spanning them. */
export function openStore(path: string, options: OpenDbOptions = {}) {
  const opened = openDb(path, options);
  return { ...createStore(opened.db), path, close: opened.close };
}

export function createStore(db: Db) {
  const getState = db.prepare('SELECT * FROM sync_state WHERE source = ?');
  const putState = db.prepare(`
    INSERT INTO sync_state (source, watermark, cursor, last_full_sync_at, last_sync_at)
    VALUES (@source, @watermark, @cursor, @lastFullSyncAt, @lastSyncAt)
    ON CONFLICT (source) DO UPDATE SET watermark = excluded.watermark, cursor = excluded.cursor,
      last_full_sync_at = excluded.last_full_sync_at, last_sync_at = excluded.last_sync_at`);

  return {
    db,
    items: createItemRepo(db),
    findings: createFindingRepo(db),
    outbox: createOutboxRepo(db),
    slack: createSlackRepo(db),

    /** Runs `fn` in one immediate transaction; it must not await. */
    transaction<T>(fn: () => T): T {
      return db.transaction(fn).immediate();
    },

    syncState(source: string): SyncState {
      const row = getState.get(source) as
        | { source: string; watermark: string | null; cursor: string | null; last_full_sync_at: string | null; last_sync_at: string | null }
        | undefined;
      return {
        source,
        watermark: row?.watermark ?? null,
        cursor: row?.cursor ?? null,
        lastFullSyncAt: row?.last_full_sync_at ?? null,
        lastSyncAt: row?.last_sync_at ?? null,
      };
    },

    putSyncState(state: SyncState): void {
      putState.run(state);
    },

    startRun(kind: string, at: string): number {
      return Number(db.prepare('INSERT INTO runs (kind, started_at) VALUES (?, ?)').run(kind, at).lastInsertRowid);
    },

    finishRun(id: number, at: string, ok: boolean, summary: unknown): void {
      db.prepare('UPDATE runs SET finished_at = ?, ok = ?, summary = ? WHERE id = ?').run(at, ok ? 1 : 0, JSON.stringify(summary), id);
    },

    lastRuns(limit = 10): RunRecord[] {
      const rows = db.prepare('SELECT * FROM runs ORDER BY id DESC LIMIT ?').all(limit) as Array<{
        id: number;
        kind: string;
        started_at: string;
        finished_at: string | null;
        ok: number | null;
        summary: string | null;
      }>;
      return rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        startedAt: r.started_at,
        finishedAt: r.finished_at,
        ok: r.ok === null ? null : r.ok === 1,
        summary: r.summary ? (JSON.parse(r.summary) as unknown) : null,
      }));
    },
  };
}

export type Store = ReturnType<typeof createStore> & { path?: string; close?: () => void };
export type OpenedStore = ReturnType<typeof openStore>;
