import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDb, schemaVersion } from '../../src/store/db.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/migrations.ts';
import { openStore } from '../../src/store/index.ts';
import { makeSprint, makeWorkItem } from '../helpers/builders.ts';

function tempDb(): string {
  return join(mkdtempSync(join(tmpdir(), 'pmo-store-')), 'pmo.db');
}

describe('store: migrations', () => {
  it('creates every table from an empty file, in WAL mode', () => {
    const path = tempDb();

    const { db, close } = openDb(path);

    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['digest_snapshots', 'engine_state', 'finding_events', 'finding_notices', 'findings', 'health_snapshots', 'kpi_snapshots', 'outbox', 'prompts', 'quarantine', 'runs', 'slack_users', 'sprints', 'sync_state', 'transitions', 'work_items']);
    close();
  });

  it('upgrades a database from the previous schema and keeps its data', () => {
    const path = tempDb();
    const previous = MIGRATIONS.at(-2)!.version; // versions may skip numbers taken by other branches
    const old = openDb(path, { migrateTo: previous });
    expect(schemaVersion(old.db)).toBe(previous);
    old.db.prepare("INSERT INTO sync_state (source, watermark) VALUES ('jira', '2026-11-01T00:00:00Z')").run();
    old.close();

    const store = openStore(path);

    expect(schemaVersion(store.db)).toBe(SCHEMA_VERSION);
    expect(store.syncState('jira').watermark).toBe('2026-11-01T00:00:00Z');
    expect(store.outbox.list()).toEqual([]);
    store.close();
  });

  it('gives a new database 8 KiB pages, and leaves an existing database its page size', () => {
    // A synced item row is over 2 KiB: at 4 KiB a page holds one, and a bulk sync writes twice the bytes.
    const fresh = openStore(tempDb());
    const existingPath = tempDb();
    const raw = new Database(existingPath);
    raw.pragma('page_size = 4096');
    raw.pragma('journal_mode = WAL');
    raw.close();
    const existing = openStore(existingPath);
    const item = makeWorkItem({ description: 'x'.repeat(3000) });
    existing.transaction(() => existing.items.upsert([item], '2026-11-21T00:00:00.000Z'));

    expect(fresh.db.pragma('page_size', { simple: true })).toBe(8192);
    expect(existing.db.pragma('page_size', { simple: true })).toBe(4096);
    expect(existing.items.get(item.key)).toEqual(item);
    fresh.close();
    existing.close();
  });

  it('refuses a database written by a newer pmo-bot', () => {
    const path = tempDb();
    const { db, close } = openDb(path);
    db.pragma('user_version = 999');
    close();

    expect(() => openDb(path)).toThrow(/schema version 999 is newer/);
  });
});

describe('store: refusing files it must not touch', () => {
  it('refuses a file that is not SQLite and leaves it byte for byte as it was', () => {
    const path = tempDb();
    writeFileSync(path, 'these are my notes, not a database\n');

    expect(() => openDb(path)).toThrow(/is not a SQLite database/);

    expect(readFileSync(path, 'utf8')).toBe('these are my notes, not a database\n');
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  it('refuses a second writer while the first holds the lock, and takes over a stale lock', () => {
    const path = tempDb();
    const first = openDb(path, { lock: true });

    expect(() => openDb(path, { lock: true })).toThrow(/in use by another pmo-bot process \(pid \d+/);
    const reader = openDb(path);
    reader.close();
    first.close();

    writeFileSync(`${path}.lock`, JSON.stringify({ pid: 2 ** 22 + 17, host: '', since: 'yesterday' }));
    const second = openDb(path, { lock: true });
    second.close();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });
});

describe('store: items', () => {
  it('upserts items with their transitions and reads them back unchanged', () => {
    const store = openStore(':memory:');
    const item = makeWorkItem({
      transitions: [
        { at: '2026-11-02T10:00:00.000Z', from: 'To Do', to: 'In Progress', fromCategory: 'todo', toCategory: 'in_progress', by: 'u1' },
        { at: '2026-11-05T10:00:00.000Z', from: 'In Progress', to: 'Done', fromCategory: 'in_progress', toCategory: 'done', by: 'u1' },
      ],
    });

    store.transaction(() => store.items.upsert([item], '2026-11-21T00:00:00.000Z'));
    store.transaction(() => store.items.upsert([{ ...item, title: 'renamed', transitions: item.transitions.slice(0, 1) }], '2026-11-21T01:00:00.000Z'));

    expect(store.items.get(item.key)?.title).toBe('renamed');
    expect(store.db.prepare('SELECT count(*) FROM transitions WHERE item_key = ?').pluck().get(item.key)).toBe(1);
    expect(store.items.count()).toBe(1);
  });

  it('writes long histories in order, whatever the rows per insert statement, and replaces them when they grow', () => {
    const store = openStore(':memory:');
    const states = ['To Do', 'In Progress', 'Review'] as const;
    const history = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
        from: i === 0 ? null : states[(i - 1) % 3]!,
        to: states[i % 3]!,
        fromCategory: i === 0 ? null : ('in_progress' as const),
        toCategory: 'in_progress' as const,
        by: i % 2 === 0 ? `u${i}` : null,
      }));
    const a = makeWorkItem({ transitions: history(37) });
    const b = makeWorkItem({ transitions: history(1) });
    const c = makeWorkItem({ transitions: [] });
    store.transaction(() => store.items.upsert([a, b, c], '2026-11-21T00:00:00.000Z'));
    store.transaction(() => store.items.upsert([{ ...b, transitions: history(17) }], '2026-11-21T01:00:00.000Z'));

    const rows = (key: string) => store.db.prepare('SELECT seq, at, from_status AS "from", to_status AS "to", actor FROM transitions WHERE item_key = ? ORDER BY seq').all(key);
    expect(rows(a.key)).toEqual(history(37).map((t, seq) => ({ seq, at: t.at, from: t.from, to: t.to, actor: t.by })));
    expect(rows(b.key)).toEqual(history(17).map((t, seq) => ({ seq, at: t.at, from: t.from, to: t.to, actor: t.by })));
    expect(rows(c.key)).toEqual([]);
  });

  it('writes an item that comes twice in one batch with the transitions of its last copy', () => {
    const store = openStore(':memory:');
    const first = makeWorkItem({
      transitions: [{ at: '2026-11-02T10:00:00.000Z', from: 'To Do', to: 'In Progress', fromCategory: 'todo', toCategory: 'in_progress', by: 'u1' }],
    });
    const second = {
      ...first,
      status: 'Done',
      statusCategory: 'done' as const,
      transitions: [...first.transitions, { at: '2026-11-03T10:00:00.000Z', from: 'In Progress', to: 'Done', fromCategory: 'in_progress' as const, toCategory: 'done' as const, by: 'u2' }],
    };

    store.transaction(() => store.items.upsert([first, second, first], '2026-11-21T00:00:00.000Z'));
    store.transaction(() => store.items.upsert([first, second], '2026-11-21T01:00:00.000Z'));

    const rows = store.db.prepare('SELECT seq, to_status AS "to", actor FROM transitions WHERE item_key = ? ORDER BY seq').all(first.key);
    expect(rows).toEqual([
      { seq: 0, to: 'In Progress', actor: 'u1' },
      { seq: 1, to: 'Done', actor: 'u2' },
    ]);
    expect(store.items.get(first.key)?.status).toBe('Done');
  });

  it('iterates in chunks without holding a statement open, so writes between chunks work', () => {
    const store = openStore(':memory:');
    const items = Array.from({ length: 25 }, (_, i) => makeWorkItem({ nativeKey: `K-${String(i).padStart(3, '0')}` }));
    store.transaction(() => store.items.upsert(items, '2026-11-21T00:00:00.000Z'));

    const seen: string[] = [];
    for (const item of store.items.iterate({}, 4)) {
      seen.push(item.nativeKey);
      store.putSyncState({ source: 'x', watermark: item.key, cursor: null, lastFullSyncAt: null, lastSyncAt: null });
    }

    expect(seen).toEqual(items.map((i) => i.nativeKey));
  });

  it('cuts the key space into ranges that, iterated one by one, give every item once and in order', () => {
    const store = openStore(':memory:');
    const items = Array.from({ length: 23 }, (_, i) => makeWorkItem({ nativeKey: `K-${String(i).padStart(3, '0')}` }));
    store.transaction(() => store.items.upsert(items, '2026-11-21T00:00:00.000Z'));
    store.transaction(() => store.items.markRemoved('test', ['K-005'], '2026-11-21T01:00:00.000Z'));

    const bounds = store.items.keyBounds(5);
    const seen: string[] = [];
    for (let r = 0; r <= bounds.length; r++) {
      for (const item of store.items.iterate({}, 2, { after: r === 0 ? '' : bounds[r - 1]!, through: bounds[r] ?? null })) seen.push(item.nativeKey);
    }

    expect(store.items.countKeys()).toBe(23);
    expect(bounds).toEqual(['test:K-004', 'test:K-009', 'test:K-014', 'test:K-019']);
    expect(seen).toEqual(items.map((i) => i.nativeKey).filter((k) => k !== 'K-005'));
  });

  it('marks removed items and hides them from the default listing', () => {
    const store = openStore(':memory:');
    const a = makeWorkItem({ nativeKey: 'A-1' });
    const b = makeWorkItem({ nativeKey: 'A-2' });
    store.transaction(() => store.items.upsert([a, b], '2026-11-21T00:00:00.000Z'));

    const removed = store.transaction(() => store.items.reconcile('test', ['A-1'], '2026-11-21T02:00:00.000Z'));

    expect(removed).toBe(1);
    expect([...store.items.iterate()].map((i) => i.nativeKey)).toEqual(['A-1']);
    expect(store.items.count({ includeRemoved: true })).toBe(2);
  });

  it('reconciles one source only, counting each removal once, whatever other keys start alike', () => {
    const store = openStore(':memory:');
    const mine = ['1', '2', '3'].map((nativeKey) => makeWorkItem({ source: 'ado', nativeKey }));
    const longer = makeWorkItem({ source: 'ado:x', nativeKey: '9' }); // key `ado:x:9`: in the key range of `ado`
    const other = makeWorkItem({ source: 'adoy', nativeKey: '1' });
    store.transaction(() => store.items.upsert([...mine, longer, other], '2026-11-21T00:00:00.000Z'));

    const first = store.transaction(() => store.items.reconcile('ado', ['1'], '2026-11-21T02:00:00.000Z'));
    const again = store.transaction(() => store.items.reconcile('ado', ['1'], '2026-11-21T03:00:00.000Z'));
    const byMark = store.transaction(() => store.items.markRemoved('ado', ['1', '2', 'missing'], '2026-11-21T04:00:00.000Z'));

    expect(first).toBe(2);
    expect(again).toBe(0);
    expect(byMark).toBe(1);
    expect([...store.items.iterate()].map((i) => i.key)).toEqual(['ado:x:9', 'adoy:1']);
    expect(store.db.prepare("SELECT key, removed_at FROM work_items WHERE source = 'ado' ORDER BY key").all()).toEqual([
      { key: 'ado:1', removed_at: '2026-11-21T04:00:00.000Z' },
      { key: 'ado:2', removed_at: '2026-11-21T02:00:00.000Z' },
      { key: 'ado:3', removed_at: '2026-11-21T02:00:00.000Z' },
    ]);
  });
});

describe('store: sprints', () => {
  it('numbers a sprint when it is new or changed, not when it is synced again as it was', () => {
    const store = openStore(':memory:');
    const s1 = makeSprint({ key: 'test:s1', id: 's1', goal: null });
    const s2 = makeSprint({ key: 'test:s2', id: 's2' });
    store.items.upsertSprints([s1, s2]);
    const first = store.items.sprintMark();
    store.items.upsertSprints([s1, s2]);
    const unchanged = store.items.sprintMark();
    store.items.upsertSprints([s1, { ...s2, goal: null }, makeSprint({ key: 'test:s3', id: 's3' })]);

    expect(first).toBe(2);
    expect(unchanged).toBe(first);
    expect(store.items.sprintsChangedSince(first).map((s) => [s.key, s.goal])).toEqual([['test:s2', null], ['test:s3', 'Ship receipts']]);
    expect(store.items.sprintsChangedSince(store.items.sprintMark())).toEqual([]);
    expect(store.items.sprints().map((s) => s.key)).toEqual(['test:s1', 'test:s2', 'test:s3']);
    store.close();
  });

  it('keeps sprints stored before change numbers existed, numbered 0', () => {
    const path = tempDb();
    const old = openDb(path, { migrateTo: 7 });
    old.db.prepare("INSERT INTO sprints (key, source, native_id, name, state) VALUES ('test:s1', 'test', 's1', 'PAY 1', 'active')").run();
    old.close();

    const store = openStore(path);
    expect(store.items.sprintMark()).toBe(0);
    expect(store.items.sprints().map((s) => [s.key, s.state])).toEqual([['test:s1', 'active']]);
    store.items.upsertSprints([makeSprint({ key: 'test:s1', id: 's1', name: 'PAY 1', startDate: null, endDate: null, goal: null, project: null, team: null })]);
    expect(store.items.sprintsChangedSince(0)).toEqual([]); // as stored: not a change
    store.close();
  });
});

describe('store: recording findings', () => {
  const finding = (ruleId: string, key: string, message = `${key} is wrong`) => ({
    id: `${ruleId}/${key}`,
    ruleId,
    category: 'compliance' as const,
    severity: 'warning' as const,
    subject: { kind: 'item' as const, key },
    message,
    evidence: {},
    owner: { id: 'u1', name: 'Ada', email: 'Ada@Acme.example' },
    url: null,
    source: 'test',
    project: 'PAY',
    team: null,
    fix: null,
  });

  it('inserts findings of rules with none stored without a look-up, and still notices one written earlier in the run', () => {
    const store = openStore(':memory:');
    const now = '2026-11-21T09:00:00.000Z';
    store.transaction(() => store.findings.record([finding('old-rule', 'test:A-1')], 1, now));
    const known = store.findings.ruleIds();

    const first = store.transaction(() => store.findings.record([finding('new-rule', 'test:A-1'), finding('old-rule', 'test:A-1')], 2, now, known));
    // The same new-rule finding again in a later batch of the run: it exists now, so it is not opened twice.
    const again = store.transaction(() => store.findings.record([finding('new-rule', 'test:A-1', 'test:A-1 is still wrong')], 2, now, known));

    expect([...known]).toEqual(['old-rule']);
    expect(first).toEqual({ opened: 1, reopened: 0, ongoing: 1 });
    expect(again).toEqual({ opened: 0, reopened: 0, ongoing: 1 });
    expect(store.findings.events('new-rule/test:A-1').map((e) => e.type)).toEqual(['opened']);
    expect(store.findings.get('new-rule/test:A-1')).toMatchObject({ state: 'open', message: 'test:A-1 is still wrong', firstSeenAt: now });
    expect(store.db.prepare("SELECT owner_email FROM findings WHERE id = 'new-rule/test:A-1'").pluck().get()).toBe('ada@acme.example');
  });
});
