import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { feedFields } from '../../../connectors/azure-devops/map.ts';
import { argN, peakRssMb, report } from '../harness.ts';
import { startFakeAdo } from './ado-common.ts';

/**
 * The floor the Azure DevOps sync is measured against: the same feed pages and the same 200-id
 * workitemsbatch calls with plain fetch, JSON.parse, and a bulk insert of the raw JSON into SQLite
 * (one transaction per batch group). No SDK, no mapping, no validation, no history.
 */
const n = argN(100_000);
const server = await startFakeAdo(n);
const dir = mkdtempSync(join(tmpdir(), 'pmo-bench-ado-base-'));
const db = new Database(join(dir, 'raw.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('CREATE TABLE raw (id INTEGER PRIMARY KEY, data TEXT NOT NULL)');
const insert = db.prepare('INSERT INTO raw (id, data) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data');
const auth = `Basic ${Buffer.from(`PAT:${server.pat}`).toString('base64')}`;
const fields = feedFields({ estimateFields: [] }).join(',');
let requests = 0;

async function call(url: string, body?: unknown): Promise<unknown> {
  requests++;
  const res = await fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: auth, accept: 'application/json;api-version=7.1', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return JSON.parse(await res.text()) as unknown;
}

const started = performance.now();
const cpuStart = process.cpuUsage();
for (const project of ['Fabrikam', 'ERP']) {
  let token: string | null = null;
  let held: number[] = [];
  for (;;) {
    const q = new URLSearchParams({ fields, includeIdentityRef: 'true', includeDeleted: 'true', $maxPageSize: '1000', 'api-version': '7.1' });
    if (token) q.set('continuationToken', token);
    const page = (await call(`${server.url}/${project}/_apis/wit/reporting/workItemRevisions?${q}`)) as { values: Array<{ id: number }>; continuationToken: string; isLastBatch: boolean };
    const seen = new Set(held);
    for (const v of page.values) if (!seen.has(v.id)) (seen.add(v.id), held.push(v.id));
    const last = page.isLastBatch;
    const take = last ? held.length : held.length - (held.length % 200);
    const ids = held.slice(0, take);
    held = held.slice(take);
    const chunks: number[][] = [];
    for (let i = 0; i < ids.length; i += 200) chunks.push(ids.slice(i, i + 200));
    const replies = (await Promise.all(chunks.map((c) => call(`${server.url}/${project}/_apis/wit/workitemsbatch?api-version=7.1`, { ids: c, $expand: 'relations', errorPolicy: 'omit' })))) as Array<{ value: Array<{ id: number } | null> }>;
    db.transaction(() => {
      for (const r of replies) for (const item of r.value) if (item) insert.run(item.id, JSON.stringify(item));
    })();
    if (last) break;
    token = page.continuationToken;
  }
}
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStart);
const stored = Number(db.prepare('SELECT count(*) FROM raw').pluck().get());
db.close();
server.stop();
rmSync(dir, { recursive: true, force: true });
if (stored !== n) throw new Error(`baseline stored ${stored} of ${n} items`);
// CPU seconds of this process: steadier than wall time on a shared machine.
report({ name: 'ado-baseline', n: stored, seconds, requests, peakRssMb: peakRssMb(), notes: { cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)) } });
