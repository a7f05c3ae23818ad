import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatePages } from '../../../connectors/sample/generate.ts';
import { ConfigSchema, type Config } from '../../../src/config/schema.ts';
import { WorkItem } from '../../../src/model/work-item.ts';
import { openStore } from '../../../src/store/index.ts';

/**
 * Shared set-up of the rule benchmarks: an N-item demo portfolio in a SQLite store, built once per
 * size in a child process (so its memory does not count against the benchmark) and copied per run.
 */

export const BENCH_NOW = '2026-11-21T09:00:00.000Z';
const SEED = 42;

/** All rules of the `recommended` preset plus ten custom CEL rules, over the demo's objectives. */
export function benchConfig(dbPath: string): Config {
  return ConfigSchema.parse({
    timezone: 'Europe/Berlin',
    storage: { path: dbPath },
    sources: [{ id: 'demo', kind: 'sample' }],
    extends: ['recommended'],
    objectives: [
      { id: 'O1', title: 'Grow', match: { labels: ['growth'] } },
      { id: 'O2', title: 'Retain', match: { labels: ['retention'] } },
      { id: 'O3', title: 'Comply', match: { labels: ['compliance'] } },
      { id: 'O4', title: 'Modernise', match: { labels: ['tech-debt'] } },
      { id: 'O5', title: 'Run', match: { labels: ['klt'] } },
    ],
    custom: [
      { id: 'c-auth-review', when: 'item.components.exists(c, c == "auth") && item.statusCategory == "in_progress"', require: '"security-reviewed" in item.labels', message: '{{item.key}} needs a security review' },
      { id: 'c-big-story', when: 'item.typeCategory == "story" && has(item.estimate)', condition: 'item.estimate > 8.0', message: '{{item.key}} is too big' },
      { id: 'c-old-todo', when: 'item.statusCategory == "todo"', condition: 'daysSince(item.createdAt) > 120', message: '{{item.key}} waits' },
      { id: 'c-bug-priority', when: 'item.typeCategory == "bug" && item.statusCategory != "done"', require: 'has(item.priority)', message: '{{item.key}} has no priority' },
      { id: 'c-title-length', condition: 'item.title.size() < 8', message: '{{item.key}} has a short title' },
      { id: 'c-customer-bug', when: '"customer-reported" in item.labels', require: 'has(item.assignee)', message: '{{item.key}} is unowned' },
      { id: 'c-done-resolved', when: 'item.statusCategory == "done"', require: 'has(item.resolvedAt)', message: '{{item.key}} lacks a resolution' },
      { id: 'c-ado-area', when: 'item.sourceKind == "sample" && has(item.fields.areaPath)', condition: 'string(item.fields.areaPath).endsWith("\\\\Legacy")', message: '{{item.key}} in a legacy area' },
      { id: 'c-links', when: 'item.links.exists(l, l.type == "is blocked by")', require: 'has(item.assignee)', message: '{{item.key}} is blocked and unowned' },
      { id: 'c-due-sprint', when: 'has(item.dueDate) && has(item.sprint) && has(item.sprint.endDate)', condition: 'item.dueDate < item.sprint.endDate && item.statusCategory == "todo"', message: '{{item.key}} due within its sprint' },
    ],
  });
}

function build(path: string, n: number): void {
  const store = openStore(path);
  for (const page of generatePages({ source: 'demo', size: n, seed: SEED, now: new Date(BENCH_NOW) }, 0, 5000)) {
    const items = page.items.map((raw) => WorkItem.parse(raw));
    store.transaction(() => {
      store.items.upsert(items, BENCH_NOW);
      store.items.upsertSprints(page.sprints);
    });
  }
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  store.close();
}

/** CPU seconds (user + system) of a `process.cpuUsage()`/`threadCpuUsage()` difference, to two places. */
export function cpuSeconds(usage: NodeJS.CpuUsage): number {
  return Number(((usage.user + usage.system) / 1e6).toFixed(2));
}

/** A case name's size: 1m, 100k, or the number itself. */
export function sizeLabel(count: number): string {
  return count >= 1_000_000 && count % 1_000_000 === 0 ? `${count / 1_000_000}m` : count >= 1000 && count % 1000 === 0 ? `${count / 1000}k` : String(count);
}

/** A private copy of the N-item store (built on first use), for one benchmark run. */
export function benchStore(n: number): { path: string; cleanup(): void } {
  const cacheDir = join(tmpdir(), 'pmo-bench-cache');
  mkdirSync(cacheDir, { recursive: true });
  // v3: built since new stores get 8 KiB pages (a v2 store kept SQLite's 4 KiB, unlike a user's).
  const cached = join(cacheDir, `rules-${n}-${SEED}-v3.db`);
  if (!existsSync(cached)) {
    const result = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--build', cached, String(n)], { stdio: 'inherit' });
    if (result.status !== 0) throw new Error(`building the ${n}-item bench store failed`);
  }
  const path = join(tmpdir(), `pmo-bench-rules-${process.pid}.db`);
  copyFileSync(cached, path);
  return { path, cleanup: () => rmSync(path, { force: true }) };
}

if (process.argv[2] === '--build') {
  const target = process.argv[3]!;
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  build(partial, Number(process.argv[4]));
  for (const suffix of ['-wal', '-shm']) rmSync(`${partial}${suffix}`, { force: true });
  renameSync(partial, target);
}
