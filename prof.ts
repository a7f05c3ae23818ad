import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { alignmentConfig } from './test/alignment/helpers.ts';
import { alignmentReport, analyse, epicForecasts } from './src/alignment/report.ts';
import { kpiReport } from './src/alignment/snapshots.ts';
import { openStore } from './src/store/index.ts';
import { NOW, objectivesConfig } from './test/bench/cases/alignment-portfolio.ts';
const db = '/tmp/prof-align.db';
if (!existsSync(db)) spawnSync(process.execPath, ['test/bench/cases/alignment-report.ts', '--n', '100000', '--setup', db], { stdio: 'inherit' });
const store = openStore(db);
const config = alignmentConfig({ objectives: objectivesConfig() });
let t = process.cpuUsage().user / 1000;
const lap = (l: string) => { const n = process.cpuUsage().user / 1000; console.log(l, Math.round(n - t)); t = n; };
const items = [...store.items.iterate()];
lap('iterate+parse');
const analysis = analyse(items, store.items.sprints(), config, NOW);
lap('analyse');
const a = alignmentReport(analysis); lap('alignment');
const e = epicForecasts(analysis); lap('epics');
store.db.exec('DELETE FROM kpi_snapshots');
kpiReport(analysis, store.db, { nonCompliant: new Set() }); lap('kpis');
let w = 0, s = 0;
for (const x of e) { for (const st of x.forecast.samples) { s++; } w += (x.forecast.weeks.p50 ?? 0); }
console.log('epics', e.length, 'streams', s, 'mean p50 weeks', w / e.length);
let w2 = 0, s2 = 0;
for (const o of a.objectives) { s2 += o.forecast.samples.length; w2 += o.forecast.weeks.p50 ?? 0; }
console.log('objectives streams', s2, 'mean p50', w2 / a.objectives.length, a.objectives.slice(0,3).map(o => JSON.stringify(o.forecast.samples[0])));
