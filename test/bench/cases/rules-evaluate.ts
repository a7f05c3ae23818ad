import { createEvaluatorState, evaluate } from '../../../src/engine/evaluate.ts';
import { ruleSetup } from '../../../src/engine/setup.ts';
import { openStore } from '../../../src/store/index.ts';
import { fixedClock } from '../../../src/util/clock.ts';
import { silentLogger } from '../../../src/util/log.ts';
import type { WorkItem } from '../../../src/model/work-item.ts';
import { loadavg } from 'node:os';
import { argN, peakRssMb, report } from '../harness.ts';
import { BENCH_NOW, benchConfig, benchStore, cpuSeconds, sizeLabel } from './rules-setup.ts';

// `--mode full`: one full evaluation of the recommended preset + 10 CEL rules over N stored items.
// `--mode incremental`: the same full run, then 1% of the items change and the worker's incremental
// re-evaluation is timed (the figure reported; the full run's time goes into the notes).
const n = argN(100_000);
const modeAt = process.argv.indexOf('--mode');
const mode = modeAt >= 0 ? process.argv[modeAt + 1] : 'full';
const { path, cleanup } = benchStore(n);
try {
  const config = benchConfig(path);
  const setup = ruleSetup(config);
  const store = openStore(path);
  const state = createEvaluatorState();
  const log = silentLogger();
  // CPU seconds next to wall seconds: on a shared machine the wall clock mostly measures the neighbours.
  const cpuBefore = process.cpuUsage();
  const full = evaluate({ store, ...setup, state, clock: fixedClock(BENCH_NOW), timezone: config.timezone, log });
  const fullCpu = cpuSeconds(process.cpuUsage(cpuBefore));
  // A rule error in a benchmark is a finding to look at, not noise: say which.
  for (const f of store.findings.list({ ruleId: 'rule-error' }).slice(0, 5)) process.stderr.write(`rule error: ${f.message}\n`);
  if (mode === 'full') {
    report({
      name: `rules-${sizeLabel(n)}`,
      n: full.items,
      seconds: full.seconds,
      requests: null,
      peakRssMb: peakRssMb(),
      notes: { rules: full.rules, openFindings: full.findings.open, ruleErrors: full.ruleErrors, cpuSeconds: fullCpu, load1: Number(loadavg()[0]!.toFixed(1)) },
    });
  } else {
    const changed = changeOnePercent(store, n);
    const later = new Date(Date.parse(BENCH_NOW) + 15 * 60_000).toISOString();
    const cpuAgain = process.cpuUsage();
    const again = evaluate({ store, ...setup, state, clock: fixedClock(later), timezone: config.timezone, log });
    const againCpu = cpuSeconds(process.cpuUsage(cpuAgain));
    if (again.mode !== 'incremental') throw new Error('expected an incremental evaluation');
    report({
      name: `rules-${sizeLabel(n)}-incremental`,
      n: changed,
      seconds: again.seconds,
      requests: null,
      peakRssMb: peakRssMb(),
      notes: {
        fullSeconds: Number(full.seconds.toFixed(2)),
        ratio: Number((again.seconds / full.seconds).toFixed(3)),
        cpuSeconds: againCpu,
        fullCpuSeconds: fullCpu,
        cpuRatio: Number((againCpu / fullCpu).toFixed(3)),
        load1: Number(loadavg()[0]!.toFixed(1)),
        reevaluated: again.items,
        opened: again.findings.opened,
        resolved: again.findings.resolved,
      },
    });
  }
  store.close();
} finally {
  cleanup();
}

/** Every 100th item changes the way a sync would see it: estimate, status or assignee. */
function changeOnePercent(store: ReturnType<typeof openStore>, total: number): number {
  const syncedAt = new Date(Date.parse(BENCH_NOW) + 10 * 60_000).toISOString();
  let i = 0;
  let changed = 0;
  let batch: WorkItem[] = [];
  const keys: string[] = [];
  // Keys only: parsing every item here would add the harness's garbage to the peak RSS of the evaluation measured.
  for (const key of store.db.prepare('SELECT key FROM work_items ORDER BY key').pluck().iterate() as Iterable<string>) if (i++ % 100 === 0) keys.push(key);
  for (const key of keys) {
    const item = store.items.get(key)!;
    const updated: WorkItem = { ...item, updatedAt: syncedAt, estimate: item.estimate === null ? 3 : null };
    if (changed % 3 === 0 && item.statusCategory === 'todo') Object.assign(updated, { status: 'In Progress', statusCategory: 'in_progress', startedAt: syncedAt });
    batch.push(updated);
    changed++;
    if (batch.length >= 2000) {
      const b = batch;
      store.transaction(() => store.items.upsert(b, syncedAt));
      batch = [];
    }
  }
  store.transaction(() => store.items.upsert(batch, syncedAt));
  if (changed < total / 100 - 1) throw new Error(`changed ${changed} of ${total}`);
  return changed;
}
