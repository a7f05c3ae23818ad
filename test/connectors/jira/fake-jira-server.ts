import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake Jira Cloud site on loopback for the benchmark and the CLI end-to-end test: N synthetic
 * issues (about 6 KB each with their changelog, shaped like the v3 spec's IssueBean), generated on
 * demand by index so the server never holds them all. Issue i was last updated at
 * `start + i × step`, so the `updated` order is the index order.
 *
 * Endpoints: /field, /status, /myself, /serverInfo, /mypermissions, the agile boards / sprints of
 * each project, and POST /rest/api/3/search/jql with token paging (pages capped at 100 issues when
 * fields are asked for, 5000 for ids only, like Cloud) and `updated >= -Nm` windows.
 */

export interface FakeJiraOptions {
  n: number;
  /** Projects the issues are spread over. */
  projects?: string[];
  /** "Now" of the site (epoch ms); the last issue was updated 10 minutes before it. */
  now?: number;
  stepMs?: number;
}

export interface FakeJira {
  url: string;
  requests: () => number;
  searches: () => number;
  close: () => Promise<void>;
}

const FIELD_PAGE_CAP = 100;
const IDS_PAGE_CAP = 5000;

export function fakeJiraServer(options: FakeJiraOptions): Promise<FakeJira> {
  const n = options.n;
  const projects = options.projects ?? ['BEN', 'OPS', 'WEB', 'APP', 'DAT'];
  const now = options.now ?? Date.parse('2026-11-21T09:00:00.000Z');
  const step = options.stepMs ?? 5 * 60_000;
  const start = now - 10 * 60_000 - (n - 1) * step;
  let requests = 0;
  let searches = 0;
  const site = { url: '' };

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    requests++;
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    if (req.method === 'POST' && path === '/rest/api/3/search/jql') {
      searches++;
      const body = JSON.parse(await readBody(req)) as { jql: string; fields?: string[]; maxResults?: number; nextPageToken?: string };
      return send(res, search(body));
    }
    if (req.method === 'POST' && path === '/rest/api/3/search/approximate-count') return send(res, { count: n });
    if (path === '/rest/api/3/field') return send(res, FIELDS);
    if (path === '/rest/api/3/status') return send(res, Object.values(STATUS));
    if (path === '/rest/api/3/myself') return send(res, { accountId: 'bot', displayName: 'PMO Bot', emailAddress: 'bot@bench.example', active: true });
    if (path === '/rest/api/3/serverInfo') return send(res, { baseUrl: site.url, version: '1001.0.0', deploymentType: 'Cloud', buildNumber: 1 });
    if (path === '/rest/api/3/mypermissions') return send(res, { permissions: { BROWSE_PROJECTS: { havePermission: true }, EDIT_ISSUES: { havePermission: true }, ADD_COMMENTS: { havePermission: true } } });
    if (path === '/rest/agile/1.0/board') {
      const p = url.searchParams.get('projectKeyOrId') ?? '';
      const i = projects.indexOf(p);
      return send(res, { maxResults: 50, startAt: 0, total: i < 0 ? 0 : 1, isLast: true, values: i < 0 ? [] : [{ id: i + 1, name: `${p} board`, type: 'scrum', location: { projectKey: p } }] });
    }
    const sprintList = /^\/rest\/agile\/1\.0\/board\/(\d+)\/sprint$/.exec(path);
    if (sprintList) return send(res, { maxResults: 50, startAt: 0, isLast: true, values: sprintsOf(Number(sprintList[1])) });
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ errorMessages: [`no fake for ${req.method} ${path}`] }));
  };

  function search(body: { jql: string; fields?: string[]; maxResults?: number; nextPageToken?: string }): unknown {
    const idsOnly = (body.fields ?? []).every((f) => f === 'key' || f === 'id');
    const cap = idsOnly ? IDS_PAGE_CAP : FIELD_PAGE_CAP;
    const size = Math.min(body.maxResults ?? 50, cap);
    const window = /updated >= -(\d+)m/.exec(body.jql);
    const from = window ? Math.max(0, Math.ceil((now - Number(window[1]) * 60_000 - start) / step)) : 0;
    const at = body.nextPageToken ? Number(body.nextPageToken) : from;
    const end = Math.min(n, at + size);
    const issues: unknown[] = [];
    for (let i = at; i < end; i++) issues.push(idsOnly ? { id: String(10_000 + i), key: keyOf(i) } : issue(i));
    return end < n ? { issues, nextPageToken: String(end), isLast: false } : { issues, isLast: true };
  }

  function keyOf(i: number): string {
    return `${projects[i % projects.length]}-${Math.floor(i / projects.length) + 1}`;
  }

  function sprintsOf(board: number): unknown[] {
    const out: unknown[] = [];
    for (let s = 0; s < 26; s++) {
      const id = board * 100 + s;
      const begin = now - (26 - s) * 14 * 86_400_000;
      out.push({ id, name: `Sprint ${id}`, state: s === 25 ? 'active' : 'closed', startDate: iso(begin), endDate: iso(begin + 14 * 86_400_000), originBoardId: board, goal: `Goal ${id}` });
    }
    return out;
  }

  function issue(i: number): unknown {
    const key = keyOf(i);
    const p = i % projects.length;
    const updated = start + i * step;
    const created = updated - 20 * 86_400_000;
    const state = i % 3 === 0 ? 'done' : i % 3 === 1 ? 'indeterminate' : 'new';
    const st = state === 'done' ? STATUS.done : state === 'indeterminate' ? STATUS.progress : STATUS.todo;
    const sprintId = (p + 1) * 100 + 25 - (i % 4);
    const person = (k: number) => ({
      self: `${site.url}/rest/api/3/user?accountId=acc-${k}`,
      accountId: `acc-${k}`,
      displayName: `Person ${k}`,
      emailAddress: `person${k}@bench.example`,
      active: true,
      timeZone: 'Europe/Berlin',
      accountType: 'atlassian',
      avatarUrls: { '48x48': `https://avatars.example/${k}/48`, '24x24': `https://avatars.example/${k}/24`, '16x16': `https://avatars.example/${k}/16`, '32x32': `https://avatars.example/${k}/32` },
    });
    const histories = [];
    for (let h = 0; h < 8; h++) {
      const at = created + (h + 1) * 2 * 86_400_000;
      histories.push({
        id: String(i * 10 + h),
        author: person(h % 7),
        created: iso(at),
        items:
          h === 0
            ? [{ field: 'status', fieldtype: 'jira', fieldId: 'status', from: '10000', fromString: 'To Do', to: '3', toString: 'In Progress' }]
            : h === 7 && state === 'done'
              ? [{ field: 'status', fieldtype: 'jira', fieldId: 'status', from: '3', fromString: 'In Progress', to: '10002', toString: 'Done' }]
              : [{ field: 'labels', fieldtype: 'jira', fieldId: 'labels', from: null, fromString: `l${h}`, to: null, toString: `l${h} l${h + 1}` }],
      });
    }
    return {
      expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
      id: String(10_000 + i),
      self: `${site.url}/rest/api/3/issue/${10_000 + i}`,
      key,
      fields: {
        summary: `Synthetic issue ${i}: improve the ${['checkout', 'search', 'billing', 'reporting', 'onboarding'][i % 5]} flow`,
        status: st,
        issuetype: ISSUE_TYPES[i % ISSUE_TYPES.length],
        project: { self: `${site.url}/rest/api/3/project/${p}`, id: String(10_000 + p), key: projects[p], name: `${projects[p]} project`, projectTypeKey: 'software', simplified: false },
        created: iso(created),
        updated: iso(updated),
        assignee: person(i % 37),
        reporter: person((i + 3) % 37),
        priority: { self: `${site.url}/rest/api/3/priority/3`, iconUrl: `${site.url}/images/icons/priorities/medium.svg`, name: 'Medium', id: '3' },
        labels: ['bench', `team-${i % 6}`],
        components: [{ self: `${site.url}/rest/api/3/component/${i % 4}`, id: String(i % 4), name: `component-${i % 4}` }],
        fixVersions: [{ self: `${site.url}/rest/api/3/version/1`, id: '1', name: '2026.12', archived: false, released: false }],
        resolutiondate: state === 'done' ? iso(updated) : null,
        duedate: i % 5 === 0 ? iso(updated + 10 * 86_400_000).slice(0, 10) : null,
        description: {
          type: 'doc',
          version: 1,
          content: [
            { type: 'paragraph', content: [{ type: 'text', text: `As a customer I want the flow number ${i} to be faster, so that I can finish what I came for without waiting for the page to load twice.` }] },
            { type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: 'Acceptance criteria' }] },
            {
              type: 'bulletList',
              content: [0, 1, 2].map((k) => ({ type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: `Criterion ${k + 1}: the page responds within ${200 + k * 100} ms at the 95th percentile.` }] }] })),
            },
          ],
        },
        parent: { id: String(900_000 + p), key: `${projects[p]}-EPIC`, fields: { summary: 'Epic', status: STATUS.progress, issuetype: ISSUE_TYPES[3] } },
        subtasks: [],
        issuelinks:
          i % 10 === 0 && i > 0
            ? [{ id: String(i), type: { id: '10000', name: 'Blocks', inward: 'is blocked by', outward: 'blocks' }, inwardIssue: { id: String(10_000 + i - 1), key: keyOf(i - 1), fields: { status: STATUS.todo } } }]
            : [],
        customfield_10016: i % 7 === 0 ? null : (i % 8) + 1,
        customfield_10020: [{ id: sprintId, name: `Sprint ${sprintId}`, state: i % 4 === 0 ? 'active' : 'closed', boardId: p + 1, goal: `Goal ${sprintId}`, startDate: iso(now - (1 + (i % 4)) * 14 * 86_400_000), endDate: iso(now - (i % 4) * 14 * 86_400_000) }],
        customfield_10021: null,
        customfield_10015: null,
      },
      changelog: { startAt: 0, maxResults: histories.length, total: histories.length, histories },
    };
  }

  return new Promise((resolve) => {
    const server: Server = createServer((req, res) => {
      handler(req, res).catch((err: unknown) => res.writeHead(500).end(String(err)));
    });
    server.keepAliveTimeout = 60_000;
    server.listen(0, '127.0.0.1', () => {
      site.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve({
        url: site.url,
        requests: () => requests,
        searches: () => searches,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

function send(res: ServerResponse, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8', 'content-length': Buffer.byteLength(text) }).end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (data += c));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

const cat = (key: string, id: number, name: string) => ({ self: `https://x/rest/api/3/statuscategory/${id}`, id, key, colorName: 'blue-gray', name });
const STATUS = {
  todo: { self: 'https://x/rest/api/3/status/10000', description: '', iconUrl: 'https://x/', name: 'To Do', id: '10000', statusCategory: cat('new', 2, 'To Do') },
  progress: { self: 'https://x/rest/api/3/status/3', description: '', iconUrl: 'https://x/', name: 'In Progress', id: '3', statusCategory: cat('indeterminate', 4, 'In Progress') },
  done: { self: 'https://x/rest/api/3/status/10002', description: '', iconUrl: 'https://x/', name: 'Done', id: '10002', statusCategory: cat('done', 3, 'Done') },
};

const ISSUE_TYPES = [
  { self: 'https://x/rest/api/3/issuetype/10001', id: '10001', description: '', iconUrl: 'https://x/i.svg', name: 'Story', subtask: false, hierarchyLevel: 0 },
  { self: 'https://x/rest/api/3/issuetype/10002', id: '10002', description: '', iconUrl: 'https://x/i.svg', name: 'Task', subtask: false, hierarchyLevel: 0 },
  { self: 'https://x/rest/api/3/issuetype/10003', id: '10003', description: '', iconUrl: 'https://x/i.svg', name: 'Bug', subtask: false, hierarchyLevel: 0 },
  { self: 'https://x/rest/api/3/issuetype/10004', id: '10004', description: '', iconUrl: 'https://x/i.svg', name: 'Epic', subtask: false, hierarchyLevel: 1 },
];

const GH = 'com.pyxis.greenhopper.jira:';
const FIELDS = [
  { id: 'summary', key: 'summary', name: 'Summary', custom: false, schema: { type: 'string', system: 'summary' } },
  { id: 'status', key: 'status', name: 'Status', custom: false, schema: { type: 'status', system: 'status' } },
  { id: 'customfield_10016', key: 'customfield_10016', name: 'Story point estimate', custom: true, schema: { type: 'number', custom: `${GH}jsw-story-points`, customId: 10016 } },
  { id: 'customfield_10020', key: 'customfield_10020', name: 'Sprint', custom: true, schema: { type: 'array', items: 'json', custom: `${GH}gh-sprint`, customId: 10020 } },
  {
    id: 'customfield_10021',
    key: 'customfield_10021',
    name: 'Flagged',
    custom: true,
    schema: { type: 'array', items: 'option', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:multicheckboxes', customId: 10021 },
  },
  { id: 'customfield_10015', key: 'customfield_10015', name: 'Start date', custom: true, schema: { type: 'date', custom: 'com.atlassian.jira.plugin.system.customfieldtypes:datepicker', customId: 10015 } },
];

// `node fake-jira-server.ts --n 100000`: prints `FAKE_JIRA <url>` and serves until killed.
if (import.meta.url === `file://${process.argv[1]}`) {
  const at = process.argv.indexOf('--n');
  const server = await fakeJiraServer({ n: at >= 0 ? Number(process.argv[at + 1]) : 1000 });
  process.stdout.write(`FAKE_JIRA ${server.url}\n`);
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
}

/** Starts the fake site in its own process (so a benchmark's peak RSS is the client's alone). */
export function spawnFakeJira(n: number): Promise<{ url: string; stop: () => void }> {
  return import('node:child_process').then(
    ({ spawn }) =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [new URL(import.meta.url).pathname, '--n', String(n)], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = /FAKE_JIRA (\S+)/.exec(out);
          if (m?.[1]) resolve({ url: m[1], stop: () => void child.kill('SIGTERM') });
        });
        child.on('error', reject);
        child.on('exit', (code) => reject(new Error(`fake Jira exited ${code}`)));
      }),
  );
}
