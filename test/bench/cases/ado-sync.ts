import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { azureDevOpsConnector } from '../../../connectors/azure-devops/index.ts';
import { openStore } from '../../../src/store/index.ts';
import { syncSource } from '../../../src/sync/sync.ts';
import { systemClock } from '../../../src/util/clock.ts';
import { silentLogger } from '../../../src/util/log.ts';
import { argN, peakRssMb, report } from '../harness.ts';
import { startFakeAdo } from './ado-common.ts';

/**
 * A full Azure DevOps sync of N work items (two revisions each, two projects) from the loopback
 * fake, through the real azure-devops-node-api client, mapping, validation and the SQLite store;
 * then an unchanged incremental sync, which should cost one request per project.
 */
const n = argN(100_000);
const server = await startFakeAdo(n);
const dir = mkdtempSync(join(tmpdir(), 'pmo-bench-ado-'));
const store = openStore(join(dir, 'pmo.db'));
const log = silentLogger();
const config = azureDevOpsConnector.configSchema.parse({ id: 'ado', kind: 'azure-devops', orgUrl: server.url, auth: { pat: server.pat }, projects: ['Fabrikam', 'ERP'], maxRequests: 1_000_000 });
const connector = azureDevOpsConnector.create(config, { clock: systemClock, log });

const started = performance.now();
const cpuStart = process.cpuUsage();
const full = await syncSource(connector, { store, clock: systemClock, log });
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStart);
const incremental = await syncSource(connector, { store, clock: systemClock, log });
const stored = store.items.count({ source: 'ado' });
store.close();
server.stop();
rmSync(dir, { recursive: true, force: true });
if (!full.ok || !incremental.ok) throw new Error(`sync failed: ${full.error ?? incremental.error}`);
if (stored !== n) throw new Error(`stored ${stored} of ${n} items`);
// Fewest the batch sizes allow: feed pages of 1,000 revisions plus 200-id batches, per project.
const perProject = n / 2;
const minimum = 2 * (Math.ceil((perProject * 2) / 1000) + Math.ceil(perProject / 200));
report({
  name: 'ado-sync',
  n: stored,
  seconds,
  requests: full.requests,
  peakRssMb: peakRssMb(),
  // CPU seconds of this process: steadier than wall time on a shared machine.
  notes: { cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)), minimumRequests: minimum, overhead: full.requests - minimum, incrementalRequests: incremental.requests, pages: full.pages, quarantined: full.quarantined },
});
