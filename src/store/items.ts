import { itemKey, type Sprint, type WorkItem } from '../model/work-item.ts';
import type { Statement } from 'better-sqlite3';
import type { Db } from './db.ts';

export interface ItemFilter {
  source?: string | undefined;
  project?: string | undefined;
  includeRemoved?: boolean;
  /** Items that were not yet removed at this instant (ISO): the live ones and those removed later. */
  liveAt?: string | undefined;
}

/** Keys after `after` (exclusive) up to `through` (inclusive; open-ended when absent or null). */
export interface KeyRange {
  after?: string;
  through?: string | null;
}

export interface QuarantineRow {
  source: string;
  nativeKey: string;
  error: string;
  payload: unknown;
  firstSeenAt: string;
  lastSeenAt: string;
}

/** Rows per multi-row transitions insert (8 columns each: well under SQLite's 32,766 parameters). */
const TRANSITION_ROWS = 16;

/** Work items, their status transitions, sprints and quarantined payloads. */
export function createItemRepo(db: Db) {
  // Positional parameters: binding 13 named ones from an object per row costs more than the insert.
  const upsertItem = db.prepare(`
    INSERT INTO work_items (key, source, native_key, project, team, type_category, status_category,
                            assignee_email, sprint_key, parent_key, updated_at, synced_at, removed_at, data)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)
    ON CONFLICT (key) DO UPDATE SET
      project = excluded.project, team = excluded.team, type_category = excluded.type_category,
      status_category = excluded.status_category, assignee_email = excluded.assignee_email,
      sprint_key = excluded.sprint_key, parent_key = excluded.parent_key, updated_at = excluded.updated_at,
      synced_at = excluded.synced_at, removed_at = NULL, data = excluded.data`);
  const deleteTransitions = db.prepare('DELETE FROM transitions WHERE item_key = ?');
  // Signatures of a whole batch in one statement: one query per item cost a tenth of a bulk write.
  const transitionSigs = db.prepare(
    'SELECT item_key AS key, count(*) AS n, max(at) AS last FROM transitions WHERE item_key IN (SELECT value FROM json_each(?)) GROUP BY item_key',
  );
  const anyQuarantined = db.prepare('SELECT 1 FROM quarantine WHERE source = ? LIMIT 1').pluck();
  // Transitions go in TRANSITION_ROWS rows per statement, across items: one native call per 16 rows
  // instead of per item (half the CPU of one statement per item, measured).
  const insertTransitions: Statement[] = [];
  const insertTransitionRows = (n: number): Statement =>
    (insertTransitions[n] ??= db.prepare(
      `INSERT INTO transitions (item_key, seq, at, from_status, to_status, from_category, to_category, actor) VALUES ${Array(n).fill('(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
    ));
  // By primary key (an item's key is `<source>:<nativeKey>`, which sync enforces): filtering on
  // source and native_key alone walks every row of the source for each removal.
  const markRemovedStmt = db.prepare(
    'UPDATE work_items SET removed_at = ? WHERE key = ? AND source = ? AND native_key = ? AND removed_at IS NULL',
  );
  // Keys in a range come from the primary key index alone, without reading the wide rows.
  const keysBetween = db.prepare('SELECT key FROM work_items WHERE key >= ? AND key < ?').pluck();
  const dropQuarantine = db.prepare('DELETE FROM quarantine WHERE source = ? AND native_key = ?');
  const upsertQuarantine = db.prepare(`
    INSERT INTO quarantine (source, native_key, error, payload, first_seen_at, last_seen_at)
    VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (source, native_key) DO UPDATE SET
      error = excluded.error, payload = excluded.payload, last_seen_at = excluded.last_seen_at`);
  // A sprint gets the next change number when it is new or differs from what is stored; one synced
  // again unchanged is not written at all (every sync sends every sprint of a board or team).
  const upsertSprint = db.prepare(`
    INSERT INTO sprints (key, source, native_id, name, state, start_date, end_date, complete_date, goal, project, team, changed_seq)
    VALUES (@key, @source, @id, @name, @state, @startDate, @endDate, @completeDate, @goal, @project, @team,
            (SELECT coalesce(max(changed_seq), 0) + 1 FROM sprints))
    ON CONFLICT (key) DO UPDATE SET
      name = excluded.name, state = excluded.state, start_date = excluded.start_date, end_date = excluded.end_date,
      complete_date = excluded.complete_date, goal = excluded.goal, project = excluded.project, team = excluded.team,
      changed_seq = excluded.changed_seq
    WHERE (name, state, start_date, end_date, complete_date, goal, project, team)
          IS NOT (excluded.name, excluded.state, excluded.start_date, excluded.end_date, excluded.complete_date, excluded.goal, excluded.project, excluded.team)`);
  const sprintMarkStmt = db.prepare('SELECT coalesce(max(changed_seq), 0) FROM sprints').pluck();
  const sprintsChangedStmt = db.prepare('SELECT * FROM sprints WHERE changed_seq > ? ORDER BY start_date, key');
  const getStmt = db.prepare('SELECT data FROM work_items WHERE key = ?').pluck();
  const getLiveStmt = db.prepare('SELECT data FROM work_items WHERE key = ? AND removed_at IS NULL').pluck();
  const getManyStmt = db.prepare('SELECT data FROM work_items WHERE key IN (SELECT value FROM json_each(?)) ORDER BY key').pluck();
  // Prepared on first use: the indexes come with migration 3.
  let changedStmts: { synced: Statement; removed: Statement } | undefined;
  const changed = () =>
    (changedStmts ??= {
      synced: db.prepare('SELECT key, removed_at IS NOT NULL AS removed FROM work_items INDEXED BY work_items_synced_at WHERE synced_at > ?'),
      removed: db.prepare('SELECT key FROM work_items WHERE removed_at IS NOT NULL AND removed_at > ?').pluck(),
    });
  const sprintStmt = db.prepare('SELECT * FROM sprints WHERE key = ?');

  return {
    /** Writes items (call inside a transaction); their transitions are replaced, not appended. */
    upsert(items: readonly WorkItem[], syncedAt: string): void {
      const quarantined = new Map<string, boolean>();
      for (const item of items) {
        upsertItem.run(
          item.key,
          item.source,
          item.nativeKey,
          item.project,
          item.team,
          item.typeCategory,
          item.statusCategory,
          item.assignee?.email?.toLowerCase() ?? null,
          item.sprint ? `${item.source}:${item.sprint.id}` : null,
          item.parentKey,
          item.updatedAt,
          syncedAt,
          JSON.stringify(item),
        );
        let hasQuarantine = quarantined.get(item.source);
        if (hasQuarantine === undefined) {
          hasQuarantine = anyQuarantined.get(item.source) !== undefined;
          quarantined.set(item.source, hasQuarantine);
        }
        if (hasQuarantine) dropQuarantine.run(item.source, item.nativeKey);
      }
      // Transitions in a second pass: writing them between the wide item rows costs twice as much,
      // and history only grows, so an item with the same count and latest instant is unchanged.
      let params: Array<string | number | null> = [];
      let rows = 0;
      const flush = (): void => {
        if (rows === 0) return;
        insertTransitionRows(rows).run(params);
        params = [];
        rows = 0;
      };
      const sigs = new Map<string, { n: number; last: string | null }>();
      for (const row of transitionSigs.all(JSON.stringify(items.map((i) => i.key))) as Array<{ key: string; n: number; last: string | null }>) sigs.set(row.key, row);
      for (const item of items) {
        const sig = sigs.get(item.key) ?? { n: 0, last: null };
        const last = item.transitions.reduce<string | null>((m, t) => (m === null || t.at > m ? t.at : m), null);
        if (sig.n === item.transitions.length && sig.last === last) continue;
        // Rows waiting for the next statement may be this item's (it came twice): they go first.
        if (sig.n > 0) {
          flush();
          deleteTransitions.run(item.key);
        }
        // The same item twice in one batch: the second copy replaces what the first wrote.
        sigs.set(item.key, { n: item.transitions.length, last });
        for (let seq = 0; seq < item.transitions.length; seq++) {
          const t = item.transitions[seq]!;
          params.push(item.key, seq, t.at, t.from, t.to, t.fromCategory, t.toCategory, t.by ?? null);
          if (++rows === TRANSITION_ROWS) flush();
        }
      }
      flush();
    },

    markRemoved(source: string, nativeKeys: readonly string[], at: string): number {
      let changed = 0;
      for (const k of nativeKeys) changed += markRemovedStmt.run(at, itemKey(source, k), source, k).changes;
      return changed;
    },

    /** Marks removed every live item of `source` whose native key is not in `present`. */
    reconcile(source: string, present: readonly string[], at: string): number {
      const keep = new Set(present);
      // Every key `<source>:…` (';' follows ':'); one of another source whose id starts with
      // `<source>:`, or one already removed, is left alone by markRemoved.
      const prefix = itemKey(source, '');
      const stored = keysBetween.all(prefix, `${source};`) as string[];
      const gone: string[] = [];
      for (const key of stored) {
        const nativeKey = key.slice(prefix.length);
        if (!keep.has(nativeKey)) gone.push(nativeKey);
      }
      return this.markRemoved(source, gone, at);
    },

    quarantine(source: string, nativeKey: string, error: string, payload: unknown, at: string): void {
      upsertQuarantine.run(source, nativeKey, error, safeJson(payload), at, at);
    },

    upsertSprints(sprints: readonly Sprint[]): void {
      for (const s of sprints) upsertSprint.run(s);
    },

    /** The item stored under `key`, removed or not. */
    get(key: string): WorkItem | undefined {
      return storedItem(getStmt.get(key) as string | undefined);
    },

    /**
     * The stored items among `keys` (removed or not), in key order, read `chunk` keys per query (a
     * query per key cost more than the reads of an incremental evaluation's ten thousand items).
     */
    *getMany(keys: readonly string[], chunk = 500): Generator<WorkItem> {
      const sorted = [...keys].sort();
      for (let i = 0; i < sorted.length; i += chunk) {
        for (const data of getManyStmt.all(JSON.stringify(sorted.slice(i, i + chunk))) as string[]) yield JSON.parse(data) as WorkItem;
      }
    },

    /** The item under `key` unless it was removed at its source (what rules see when they look one up). */
    getLive(key: string): WorkItem | undefined {
      return storedItem(getLiveStmt.get(key) as string | undefined);
    },

    /**
     * Streams items in key order, a chunk of rows at a time (keyset paging), so memory stays flat and
     * no statement is left open: callers may write to the store between chunks.
     */
    *iterate(filter: ItemFilter = {}, chunkSize = 2000, range: KeyRange = {}): Generator<WorkItem> {
      const { sql, params } = whereClause(filter);
      const glue = sql ? ' AND' : 'WHERE';
      const through = range.through ?? null;
      const upTo = through === null ? '' : ' AND key <= ?';
      const stmt = db.prepare(`SELECT key, data FROM work_items ${sql}${glue} key > ?${upTo} ORDER BY key LIMIT ?`);
      let after = range.after ?? '';
      for (;;) {
        const rows = (through === null ? stmt.all(...params, after, chunkSize) : stmt.all(...params, after, through, chunkSize)) as Array<{ key: string; data: string }>;
        for (const row of rows) yield JSON.parse(row.data) as WorkItem;
        if (rows.length < chunkSize) return;
        after = rows[rows.length - 1]!.key;
      }
    },

    /** Rows in the item table, removed ones included (a walk of the key index, not of the rows). */
    countKeys(): number {
      return Number(db.prepare('SELECT count(*) FROM work_items').pluck().get());
    },

    /**
     * Keys that cut the table (removed items included) into ranges of about `size` keys each, in key
     * order: range i is `(bounds[i-1], bounds[i]]`, the last one open-ended (see `iterate`'s `range`).
     */
    keyBounds(size: number): string[] {
      const next = db.prepare('SELECT key FROM work_items WHERE key > ? ORDER BY key LIMIT 1 OFFSET ?').pluck();
      const bounds: string[] = [];
      for (let after = ''; ; ) {
        const key = next.get(after, size - 1) as string | undefined;
        if (key === undefined) return bounds;
        bounds.push(key);
        after = key;
      }
    },

    /** The newest `synced_at`/`removed_at` stored: the mark an incremental evaluation starts from. */
    changeMark(): string {
      const row = db
        .prepare("SELECT max(coalesce((SELECT max(synced_at) FROM work_items), ''), coalesce((SELECT max(removed_at) FROM work_items WHERE removed_at IS NOT NULL), '')) AS mark")
        .get() as { mark: string };
      return row.mark;
    },

    /** Keys of items synced or removed after `mark` (see `changeMark`), with whether they are gone. */
    changedSince(mark: string): Array<{ key: string; removed: boolean }> {
      // Two indexed look-ups (a UNION would make SQLite walk the whole table in key order).
      const synced = changed().synced.all(mark) as Array<{ key: string; removed: number }>;
      const removed = changed().removed.all(mark) as string[];
      const out = new Map<string, boolean>();
      for (const r of synced) out.set(r.key, r.removed === 1);
      for (const key of removed) out.set(key, true);
      return [...out].map(([key, isRemoved]) => ({ key, removed: isRemoved }));
    },

    count(filter: ItemFilter = {}): number {
      const { sql, params } = whereClause(filter);
      return Number(db.prepare(`SELECT count(*) FROM work_items ${sql}`).pluck().get(...params));
    },

    sprint(key: string): Sprint | undefined {
      const row = sprintStmt.get(key) as SprintRow | undefined;
      return row ? sprintFromRow(row) : undefined;
    },

    sprintCount(): number {
      return Number(db.prepare('SELECT count(*) FROM sprints').pluck().get());
    },

    /** The newest sprint change number: the mark an incremental evaluation re-judges sprints from. */
    sprintMark(): number {
      return Number(sprintMarkStmt.get());
    },

    /** Sprints new or changed after `mark` (see `sprintMark`), in the order of `sprints()`. */
    sprintsChangedSince(mark: number): Sprint[] {
      return (sprintsChangedStmt.all(mark) as SprintRow[]).map(sprintFromRow);
    },

    sprints(source?: string): Sprint[] {
      const rows = (
        source
          ? db.prepare('SELECT * FROM sprints WHERE source = ? ORDER BY start_date, key').all(source)
          : db.prepare('SELECT * FROM sprints ORDER BY start_date, key').all()
      ) as SprintRow[];
      return rows.map(sprintFromRow);
    },

    quarantined(source?: string): QuarantineRow[] {
      const rows = (
        source
          ? db.prepare('SELECT * FROM quarantine WHERE source = ? ORDER BY source, native_key').all(source)
          : db.prepare('SELECT * FROM quarantine ORDER BY source, native_key').all()
      ) as Array<Record<string, string>>;
      return rows.map((r) => ({
        source: String(r['source']),
        nativeKey: String(r['native_key']),
        error: String(r['error']),
        payload: parseOr(String(r['payload'])),
        firstSeenAt: String(r['first_seen_at']),
        lastSeenAt: String(r['last_seen_at']),
      }));
    },
  };
}

export type ItemRepo = ReturnType<typeof createItemRepo>;

/** A stored item's JSON, read back (validated when it was written). */
function storedItem(data: string | undefined): WorkItem | undefined {
  return data === undefined ? undefined : (JSON.parse(data) as WorkItem);
}

interface SprintRow {
  key: string;
  source: string;
  native_id: string;
  name: string;
  state: Sprint['state'];
  start_date: string | null;
  end_date: string | null;
  complete_date: string | null;
  goal: string | null;
  project: string | null;
  team: string | null;
}

function sprintFromRow(r: SprintRow): Sprint {
  return {
    key: r.key,
    source: r.source,
    id: r.native_id,
    name: r.name,
    state: r.state,
    startDate: r.start_date,
    endDate: r.end_date,
    completeDate: r.complete_date,
    goal: r.goal,
    project: r.project,
    team: r.team,
  };
}

function whereClause(filter: ItemFilter): { sql: string; params: string[] } {
  const parts: string[] = [];
  const params: string[] = [];
  if (filter.liveAt !== undefined) {
    parts.push('(removed_at IS NULL OR removed_at > ?)');
    params.push(filter.liveAt);
  } else if (!filter.includeRemoved) parts.push('removed_at IS NULL');
  if (filter.source) {
    parts.push('source = ?');
    params.push(filter.source);
  }
  if (filter.project) {
    parts.push('project = ?');
    params.push(filter.project);
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return JSON.stringify(String(value));
  }
}

function parseOr(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
