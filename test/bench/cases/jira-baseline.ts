import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { spawnFakeJira } from '../../connectors/jira/fake-jira-server.ts';
import { argN, peakRssMb, report } from '../harness.ts';

// The floor the Jira connector is measured against: fetch the same search pages the connector
// fetches (same JQL, fields, expand, page size), JSON.parse them, and bulk-insert one row per issue
// into SQLite (one transaction per page, WAL, synchronous=NORMAL like the store). No mapping, no
// validation, no changelog work, no jira.js.
const n = argN(100_000);
const site = await spawnFakeJira(n);
const dir = mkdtempSync(join(tmpdir(), 'pmo-bench-jira-base-'));
const db = new Database(join(dir, 'base.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('CREATE TABLE issues (key TEXT PRIMARY KEY, project TEXT, updated TEXT, data TEXT NOT NULL)');
const insert = db.prepare('INSERT INTO issues (key, project, updated, data) VALUES (?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET data = excluded.data');
type Issue = { key: string; fields: { project: { key: string }; updated: string } };
const insertPage = db.transaction((issues: Issue[]) => {
  for (const i of issues) insert.run(i.key, i.fields.project.key, i.fields.updated, JSON.stringify(i));
});
const fields = ['summary', 'status', 'issuetype', 'project', 'assignee', 'priority', 'labels', 'components', 'fixVersions', 'created', 'updated', 'resolutiondate', 'duedate', 'description', 'parent', 'subtasks', 'issuelinks', 'customfield_10020', 'customfield_10021', 'customfield_10015', 'customfield_10016'];
const auth = `Basic ${Buffer.from('bench@bench.example:bench-token').toString('base64')}`;

const started = performance.now();
let token: string | undefined;
let items = 0;
let requests = 0;
for (;;) {
  const res = await fetch(`${site.url}/rest/api/3/search/jql`, {
    method: 'POST',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json', Authorization: auth },
    body: JSON.stringify({ jql: '(project in ("BEN", "OPS", "WEB", "APP", "DAT")) ORDER BY updated ASC, key ASC', fields, expand: 'changelog', maxResults: 100, ...(token ? { nextPageToken: token } : {}) }),
  });
  requests++;
  const page = JSON.parse(await res.text()) as { issues: Issue[]; nextPageToken?: string };
  insertPage(page.issues);
  items += page.issues.length;
  if (!page.nextPageToken) break;
  token = page.nextPageToken;
}
const seconds = (performance.now() - started) / 1000;
db.close();
site.stop();
rmSync(dir, { recursive: true, force: true });
report({ name: 'jira-baseline', n: items, seconds, requests, peakRssMb: peakRssMb() });
