import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jiraConnector } from '../../../connectors/jira/index.ts';
import { openStore } from '../../../src/store/index.ts';
import { syncSource } from '../../../src/sync/sync.ts';
import { fixedClock } from '../../../src/util/clock.ts';
import { silentLogger } from '../../../src/util/log.ts';
import { spawnFakeJira } from '../../connectors/jira/fake-jira-server.ts';
import { argN, peakRssMb, report } from '../harness.ts';

// A first full sync of N issues (about 9 KB each with changelogs) from a fake Jira Cloud on
// loopback into a file store through the real connector (jira.js, HTTP policy, mapping,
// validation), then an incremental sync with nothing changed.
const n = argN(100_000);
const PROJECTS = ['BEN', 'OPS', 'WEB', 'APP', 'DAT'];
const site = await spawnFakeJira(n);
const dir = mkdtempSync(join(tmpdir(), 'pmo-bench-jira-'));
const store = openStore(join(dir, 'pmo.db'));
const config = jiraConnector.configSchema.parse({ id: 'bench', kind: 'jira', baseUrl: site.url, auth: { email: 'bench@bench.example', apiToken: 'bench-token' }, projects: PROJECTS });
const clock = fixedClock('2026-11-21T09:00:00.000Z');
const deps = { store, clock, log: silentLogger() };

const started = performance.now();
const full = await syncSource(jiraConnector.create(config, { clock, log: deps.log }), deps);
const seconds = (performance.now() - started) / 1000;
const incremental = await syncSource(jiraConnector.create(config, { clock: fixedClock('2026-11-21T09:05:00.000Z'), log: deps.log }), deps);
const stored = store.items.count({ source: 'bench' });
store.close();
site.stop();
rmSync(dir, { recursive: true, force: true });
if (!full.ok || !incremental.ok) throw new Error(`sync failed: ${full.error ?? incremental.error}`);

// Minimum for a full sync: ceil(N / 100) search pages (Cloud caps pages at 100 issues when fields
// are requested) + 1 field discovery + per project one board page and one sprint page.
const minimum = Math.ceil(n / 100) + 1 + 2 * PROJECTS.length;
report({
  name: 'jira-sync',
  n: full.fetched,
  seconds,
  requests: full.requests,
  peakRssMb: peakRssMb(),
  notes: { minimumRequests: minimum, overMinimum: full.requests - minimum, stored, quarantined: full.quarantined, incrementalRequests: incremental.requests, incrementalFetched: incremental.fetched },
});
