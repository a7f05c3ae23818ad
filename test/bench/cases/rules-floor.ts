import { availableParallelism, loadavg } from 'node:os';
import { FLUSH_EVERY, byId, defaultItemPassThreads } from '../../../src/engine/evaluate.ts';
import { runParallelItemPass, planFingerprint, rangeSize } from '../../../src/engine/parallel.ts';
import { ruleSetup } from '../../../src/engine/setup.ts';
import type { PreparedFinding } from '../../../src/store/findings.ts';
import { openStore } from '../../../src/store/index.ts';
import { argN, peakRssMb, report } from '../harness.ts';
import { BENCH_NOW, benchConfig, benchStore, cpuSeconds, sizeLabel } from './rules-setup.ts';

// The floor under a full evaluation (`rules-1m`), in two parts measured apart:
//  1. the parallel item pass alone: every item read, parsed and judged by every rule on the item-pass
//     threads, its output taken in by this thread and dropped (no facts kept, nothing written);
//  2. writing the findings that pass reported, alone, the way `evaluate` writes them (batches of
//     FLUSH_EVERY in id order, each with its `opened` audit event).
// A full run does both plus the aggregate rules, so on this machine it cannot beat
// max(item pass wall, (item pass CPU + write CPU) / cores).
const n = argN(1_000_000);
const { path, cleanup } = benchStore(n);
try {
  const config = benchConfig(path);
  const setup = ruleSetup(config);
  if (!setup.recipe) throw new Error('the bench setup has no recipe: it cannot run on threads');
  const store = openStore(path);
  const threads = defaultItemPassThreads();
  const bounds = store.items.keyBounds(rangeSize(store.items.countKeys(), threads));
  const findings: PreparedFinding[] = [];
  let facts = 0;

  const cpu = process.cpuUsage();
  const started = performance.now();
  const items = runParallelItemPass({
    path,
    recipe: setup.recipe,
    fingerprint: planFingerprint(setup.plan, setup.typeMapping, setup.objectives),
    library: setup.plan.library.map((r) => r.meta.id),
    now: new Date(BENCH_NOW),
    timezone: config.timezone,
    threads,
    bounds,
    sink: {
      finding: (f) => findings.push(f),
      facts: (_signature, entries) => (facts += entries.length / 2),
      recheck: () => undefined,
      failure: () => undefined,
      batchDone: () => undefined,
    },
  });
  const passSeconds = (performance.now() - started) / 1000;
  const passCpu = cpuSeconds(process.cpuUsage(cpu));

  const writeCpu = process.threadCpuUsage();
  const writeStarted = performance.now();
  const now = new Date(BENCH_NOW).toISOString();
  const run = store.startRun('check', now);
  for (let i = 0; i < findings.length; i += FLUSH_EVERY) {
    const batch = findings.slice(i, i + FLUSH_EVERY).sort(byId);
    store.transaction(() => store.findings.record(batch, run, now, new Set()));
  }
  const writeSeconds = (performance.now() - writeStarted) / 1000;
  const writeThreadCpu = cpuSeconds(process.threadCpuUsage(writeCpu));

  report({
    name: `rules-${sizeLabel(n)}-floor`,
    n: items,
    seconds: passSeconds,
    requests: null,
    peakRssMb: peakRssMb(),
    notes: {
      threads,
      passCpuSeconds: passCpu,
      itemFindings: findings.length,
      facts,
      writeSeconds: Number(writeSeconds.toFixed(2)),
      writeCpuSeconds: writeThreadCpu,
      floorSeconds: Number(Math.max(passSeconds, (passCpu + writeThreadCpu) / availableParallelism()).toFixed(2)),
      load1: Number(loadavg()[0]!.toFixed(1)),
    },
  });
  store.close();
} finally {
  cleanup();
}
