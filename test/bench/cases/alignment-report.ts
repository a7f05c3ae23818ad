import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alignmentConfig } from '../../alignment/helpers.ts';
import { alignmentReport, analyse, epicForecasts } from '../../../src/alignment/report.ts';
import { kpiReport } from '../../../src/alignment/snapshots.ts';
import { openStore } from '../../../src/store/index.ts';
import { argN, peakRssMb, report } from '../harness.ts';
import { NOW, objectivesConfig, portfolio, sprintsOf } from './alignment-portfolio.ts';

// Alignment, KPIs (with a first-run 12-week back-fill) and every objective and epic forecast over
// N stored items, 50 objectives and 20 teams. The store is filled by a child process first, so the
// peak RSS measured here is the analysis's own.
const n = argN(100_000);
const setupAt = process.argv.indexOf('--setup');
if (setupAt >= 0) {
  const store = openStore(process.argv[setupAt + 1]!);
  let batch = [];
  for (const item of portfolio(n)) {
    batch.push(item);
    if (batch.length === 5000) {
      const b = batch;
      store.transaction(() => store.items.upsert(b, NOW.toISOString()));
      batch = [];
    }
  }
  store.transaction(() => {
    store.items.upsert(batch, NOW.toISOString());
    store.items.upsertSprints(sprintsOf());
  });
  store.close();
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'pmo-bench-align-'));
const db = join(dir, 'pmo.db');
const setup = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--n', String(n), '--setup', db], { stdio: 'inherit' });
if (setup.status !== 0 || !existsSync(db)) throw new Error('benchmark setup failed');

const store = openStore(db);
const config = alignmentConfig({ objectives: objectivesConfig() });
const cpuBefore = process.cpuUsage();
const started = performance.now();
const analysis = analyse(store.items.iterate(), store.items.sprints(), config, NOW);
const loaded = performance.now();
const alignment = alignmentReport(analysis);
const epics = epicForecasts(analysis);
const forecasted = performance.now();
const kpis = kpiReport(analysis, store.db, { nonCompliant: new Set() });
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
store.close();
rmSync(dir, { recursive: true, force: true });
report({
  name: n >= 1_000_000 ? 'alignment-1m' : 'alignment-100k',
  n: analysis.portfolio.items.length,
  seconds,
  requests: null,
  peakRssMb: peakRssMb(),
  notes: {
    loadSeconds: Number(((loaded - started) / 1000).toFixed(2)),
    forecastSeconds: Number(((forecasted - loaded) / 1000).toFixed(2)),
    kpiSeconds: Number((seconds - (forecasted - started) / 1000).toFixed(2)),
    // On a shared machine wall time includes waiting for a core; CPU time is the work itself.
    cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
    objectives: alignment.objectives.length,
    epicForecasts: epics.length,
    teams: kpis.teams.length,
    unaligned: alignment.unaligned.share ?? 0,
    atRisk: alignment.objectives.filter((o) => o.health === 'at-risk').length,
  },
});
