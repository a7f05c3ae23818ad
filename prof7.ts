import { alignmentConfig } from './test/alignment/helpers.ts';
import { analyse } from './src/alignment/report.ts';
import { kpiReport } from './src/alignment/snapshots.ts';
import { openStore } from './src/store/index.ts';
import { NOW, objectivesConfig } from './test/bench/cases/alignment-portfolio.ts';
const store = openStore('/tmp/prof-align.db');
const config = alignmentConfig({ objectives: objectivesConfig() });
const a = analyse(store.items.iterate(), store.items.sprints(), config, NOW);
for (let k = 0; k < 3; k++) {
  store.db.exec('DELETE FROM kpi_snapshots');
  const t = process.cpuUsage().user;
  kpiReport(a, store.db, { nonCompliant: new Set() });
  console.log('kpis', (process.cpuUsage().user - t) / 1000);
}
