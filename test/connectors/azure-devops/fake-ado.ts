import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake Azure DevOps organization that answers the REST calls azure-devops-node-api 17 makes,
 * with replies shaped like the 7.1 specs (MicrosoftDocs/vsts-rest-api-specs): the location look-ups
 * (`OPTIONS _apis/{area}`), resource areas, the reporting revisions feed with continuation tokens,
 * workitemsbatch, WIQL with the 20,000-result cap (VS402337, cap configurable), process metadata,
 * teams, team iterations and area paths, JSON Patch updates and comments. Tests serve it through
 * nock (`installNock`); the benchmark through a loopback HTTP server (`serve`).
 */

const FIXTURES = new URL('../../fixtures/azure-devops/', import.meta.url);
export function fixture<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(new URL(path, FIXTURES), 'utf8')) as T;
}

export type ProcessName = 'agile' | 'scrum' | 'cmmi' | 'basic' | 'inherited';

export interface FakeIteration {
  id: string;
  name: string;
  path: string;
  startDate: string | null;
  finishDate: string | null;
  timeFrame: 'past' | 'current' | 'future';
}

export interface FakeTeam {
  name: string;
  areas: string[];
  iterations: FakeIteration[];
}

export interface FakeProject {
  name: string;
  process: ProcessName;
  teams: FakeTeam[];
}

export interface Identity {
  id: string;
  displayName: string;
  uniqueName: string;
  descriptor: string;
  url: string;
  imageUrl: string;
}

export interface Fault {
  method?: string;
  path: RegExp;
  status: number;
  headers?: Record<string, string>;
  body?: string;
  /** How many matching requests fail (default 1). */
  times?: number;
}

export interface FakeReply {
  status: number;
  headers: Record<string, string>;
  body: string;
}

interface Revision {
  seq: number;
  id: number;
  fields: Record<string, unknown>;
}

interface Item {
  id: number;
  rev: number;
  fields: Record<string, unknown>;
  relations: Array<{ rel: string; url: string; attributes: Record<string, unknown> }>;
  deleted: boolean;
}

export interface FakeAdoOptions {
  orgUrl: string;
  auth?: { pat: string } | { token: string };
  projects: FakeProject[];
  /** `services`: resource areas point at orgUrl; `server`: `{count:0,value:null}` as on-premises. */
  deployment?: 'services' | 'server';
  /** WIQL result cap; the service's is 20,000. */
  wiqlCap?: number;
  /** Largest feed page the fake serves whatever `$maxPageSize` asks. */
  maxPageSize?: number;
  /** Headers sent with every reply (e.g. X-RateLimit-Remaining). */
  extraHeaders?: Record<string, string>;
}

export function identity(name: string, email: string | null): Identity {
  const id = `${Buffer.from(name).toString('hex').padEnd(32, '0').slice(0, 8)}-0000-4000-8000-${Buffer.from(name).toString('hex').padEnd(12, '0').slice(0, 12)}`;
  return {
    id,
    displayName: name,
    uniqueName: email ?? `FABRIKAM\\${name.split(' ')[0]?.toLowerCase()}`,
    descriptor: `aad.${Buffer.from(id).toString('base64url')}`,
    url: `https://spsprodweu5.vssps.visualstudio.com/A0/_apis/Identities/${id}`,
    imageUrl: `https://dev.azure.com/fabrikam/_api/_common/identityImage?id=${id}`,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): FakeReply => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8; api-version=7.1', ...headers },
  body: JSON.stringify(body),
});

const errorBody = (message: string, typeKey: string): unknown => ({
  $id: '1',
  innerException: null,
  message,
  typeName: `Microsoft.TeamFoundation.WorkItemTracking.Server.${typeKey}, Microsoft.TeamFoundation.WorkItemTracking.Server`,
  typeKey,
  errorCode: 0,
  eventId: 3200,
});

export class FakeAdo {
  readonly orgUrl: string;
  readonly origin: string;
  readonly basePath: string;
  readonly projects: Map<string, FakeProject>;
  readonly items = new Map<number, Item>();
  readonly requests: Array<{ method: string; path: string; query: URLSearchParams; body: unknown }> = [];
  readonly patches: Array<{ id: number; ops: unknown }> = [];
  readonly comments: Array<{ id: number; text: string }> = [];
  private readonly log: Revision[] = [];
  private readonly byProject = new Map<string, Revision[]>();
  private faults: Fault[] = [];
  private seq = 0;
  private nextId = 1;
  private readonly options: FakeAdoOptions;
  clock = Date.parse('2026-11-01T09:00:00Z');

  constructor(options: FakeAdoOptions) {
    this.options = options;
    this.orgUrl = options.orgUrl.replace(/\/$/, '');
    const u = new URL(this.orgUrl);
    this.origin = u.origin;
    this.basePath = u.pathname.replace(/\/$/, '');
    this.projects = new Map(options.projects.map((p) => [p.name.toLowerCase(), p]));
  }

  fail(fault: Fault): void {
    this.faults.push({ times: 1, ...fault });
  }

  /** Moves the fake's clock (revision ChangedDate) forward. */
  tick(minutes = 60): string {
    this.clock += minutes * 60_000;
    return new Date(this.clock).toISOString();
  }

  private record(item: Item): void {
    const rev: Revision = { seq: ++this.seq, id: item.id, fields: { ...item.fields } };
    this.log.push(rev);
    const project = String(item.fields['System.TeamProject']).toLowerCase();
    let list = this.byProject.get(project);
    if (!list) this.byProject.set(project, (list = []));
    list.push(rev);
  }

  /** Creates a work item (revision 1) and returns its id. */
  create(project: string, fields: Record<string, unknown>, opts: { by?: Identity; id?: number; at?: string } = {}): number {
    const id = opts.id ?? this.nextId++;
    this.nextId = Math.max(this.nextId, id + 1);
    const at = opts.at ?? this.tick(1);
    const by = opts.by ?? identity('Jamal Hartnett', 'fabrikamfiber4@hotmail.com');
    const item: Item = {
      id,
      rev: 1,
      deleted: false,
      relations: [],
      fields: {
        'System.Id': id,
        'System.AreaPath': project,
        'System.TeamProject': project,
        'System.IterationPath': project,
        'System.Rev': 1,
        'System.State': 'New',
        'System.Reason': 'New',
        'System.CreatedDate': at,
        'System.CreatedBy': by,
        'System.ChangedDate': at,
        'System.ChangedBy': by,
        'System.CommentCount': 0,
        ...fields,
      },
    };
    this.items.set(id, item);
    this.record(item);
    return id;
  }

  /** A new revision with `changes` applied (null removes a field). */
  update(id: number, changes: Record<string, unknown>, opts: { by?: Identity; at?: string } = {}): void {
    const item = this.mustGet(id);
    const at = opts.at ?? this.tick(1);
    item.rev++;
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) delete item.fields[k];
      else item.fields[k] = v;
    }
    item.fields['System.Rev'] = item.rev;
    item.fields['System.ChangedDate'] = at;
    item.fields['System.ChangedBy'] = opts.by ?? item.fields['System.ChangedBy'];
    this.record(item);
  }

  link(id: number, rel: string, target: number, name: string): void {
    const item = this.mustGet(id);
    item.relations.push({ rel, url: `${this.orgUrl}/_apis/wit/workItems/${target}`, attributes: { isLocked: false, name } });
    this.update(id, {});
  }

  remove(id: number): void {
    const item = this.mustGet(id);
    item.deleted = true;
    this.update(id, { 'System.IsDeleted': true });
  }

  private mustGet(id: number): Item {
    const item = this.items.get(id);
    if (!item) throw new Error(`fake: no work item ${id}`);
    return item;
  }

  private authorised(headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>): boolean {
    const auth = this.options.auth;
    if (!auth) return true;
    const got = headers['authorization'];
    const value = Array.isArray(got) ? got[0] : got;
    const want = 'pat' in auth ? `Basic ${Buffer.from(`PAT:${auth.pat}`).toString('base64')}` : `Bearer ${auth.token}`;
    return value === want;
  }

  private project(name: string): FakeProject | undefined {
    return this.projects.get(decodeURIComponent(name).toLowerCase());
  }

  /** Answers one request; `path` includes the query string. */
  handle(method: string, path: string, headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>, rawBody: unknown): FakeReply {
    const url = new URL(path, this.origin);
    let rel = url.pathname;
    if (this.basePath && rel.toLowerCase().startsWith(this.basePath.toLowerCase())) rel = rel.slice(this.basePath.length);
    this.requests.push({ method, path: rel, query: url.searchParams, body: typeof rawBody === 'string' && rawBody ? safeJson(rawBody) : rawBody });
    const reply = this.route(method.toUpperCase(), rel, url.searchParams, headers, rawBody);
    return { ...reply, headers: { ...this.options.extraHeaders, ...reply.headers } };
  }

  private route(method: string, path: string, q: URLSearchParams, headers: IncomingHttpHeaders | Record<string, string | string[] | undefined>, rawBody: unknown): FakeReply {
    const faultAt = this.faults.findIndex((f) => (!f.method || f.method === method) && f.path.test(path));
    if (faultAt >= 0) {
      const f = this.faults[faultAt]!;
      f.times = (f.times ?? 1) - 1;
      if (f.times <= 0) this.faults.splice(faultAt, 1);
      return { status: f.status, headers: { 'content-type': 'application/json; charset=utf-8', ...f.headers }, body: f.body ?? '' };
    }
    if (!this.authorised(headers)) {
      return { status: 401, headers: { 'content-type': 'text/html; charset=utf-8', 'www-authenticate': 'Bearer authorization_uri=https://login.microsoftonline.com/' }, body: '<!DOCTYPE html><html><head><title>Access Denied</title></head><body>TF400813: Resource not available for anonymous access.</body></html>' };
    }
    const body = typeof rawBody === 'string' ? (rawBody ? (JSON.parse(rawBody) as unknown) : null) : rawBody;
    const p = path.split('/').filter(Boolean);
    const lower = p.map((s) => s.toLowerCase());
    const apis = lower.indexOf('_apis');
    const before = p.slice(0, apis);
    const after = lower.slice(apis + 1);

    if (method === 'OPTIONS' && before.length === 0 && after.length === 1) {
      const area = after[0];
      if (area === 'location') return json(200, fixture('locations/location.json'));
      if (area === 'wit' || area === 'work' || area === 'core') return json(200, fixture(`locations/${area}.json`));
      return json(200, { count: 0, value: [] });
    }
    if (method === 'GET' && before.length === 0 && after[0] === 'resourceareas') {
      if (this.options.deployment === 'server') return json(200, { count: 0, value: null });
      return json(200, JSON.parse(readFileSync(new URL('locations/resource-areas.json', FIXTURES), 'utf8').replaceAll('ORG_URL', this.orgUrl)));
    }
    if (method === 'GET' && after[0] === 'connectiondata') {
      const user = identity('PMO Bot', 'pmo-bot@fabrikam.example');
      return json(200, {
        authenticatedUser: { id: user.id, descriptor: user.descriptor, subjectDescriptor: user.descriptor, providerDisplayName: user.displayName, isActive: true, properties: {}, resourceVersion: 2, metaTypeId: 0 },
        authorizedUser: { id: user.id, descriptor: user.descriptor, providerDisplayName: user.displayName, isActive: true },
        instanceId: '7bd63c93-0d49-4d8c-8a1e-1cd1a2c0b8e2',
        deploymentId: 'e4a9f5a5-1f4a-4a43-9a1c-5d3f5a3f1d1e',
        deploymentType: this.options.deployment === 'server' ? 'onPremises' : 'hosted',
        locationServiceData: { serviceOwner: '00025394-6065-48ca-87d9-7f5672854ef7', defaultAccessMappingMoniker: 'HostGuidAccessMapping', lastChangeId: 1, lastChangeId64: 1 },
      });
    }
    // Core: projects and teams
    if (method === 'GET' && before.length === 0 && after[0] === 'projects' && after.length >= 2) {
      const project = this.project(p[apis + 2]!);
      if (!project) return json(404, { $id: '1', message: `TF200016: The following project does not exist: ${decodeURIComponent(p[apis + 2]!)}.`, typeKey: 'ProjectDoesNotExistException', errorCode: 0, eventId: 3000 });
      if (after.length === 2) {
        const template = fixture<{ template: { templateName: string; templateTypeId: string } }>(`processes/${project.process}.json`).template;
        return json(200, {
          id: `${project.name.length}e1a2b3c-0000-4000-8000-000000000000`,
          name: project.name,
          url: `${this.orgUrl}/_apis/projects/${encodeURIComponent(project.name)}`,
          state: 'wellFormed',
          revision: 411,
          visibility: 'private',
          capabilities: { versioncontrol: { sourceControlType: 'Git' }, processTemplate: template },
        });
      }
      if (after[2] === 'teams') {
        const top = Number(q.get('$top') ?? 100);
        const skip = Number(q.get('$skip') ?? 0);
        const teams = project.teams.slice(skip, skip + top).map((t, i) => ({
          id: `${i + skip + 1}`.padStart(8, '0') + '-1111-4000-8000-000000000000',
          name: t.name,
          url: `${this.orgUrl}/_apis/projects/${encodeURIComponent(project.name)}/teams/${encodeURIComponent(t.name)}`,
          description: `The ${t.name} team`,
          identityUrl: `https://spsprodweu5.vssps.visualstudio.com/_apis/Identities/${i}`,
          projectName: project.name,
        }));
        return json(200, { count: teams.length, value: teams });
      }
    }
    const project = before[0] ? this.project(before[0]) : undefined;
    if (before[0] && !project) {
      return json(404, errorBody(`TF200016: The following project does not exist: ${decodeURIComponent(before[0])}. Verify that the name of the project is correct and that the project exists on the specified Azure DevOps Server.`, 'ProjectDoesNotExistException'));
    }
    // Work: team settings
    if (project && before.length === 2 && after[0] === 'work' && after[1] === 'teamsettings') {
      const team = project.teams.find((t) => t.name.toLowerCase() === decodeURIComponent(before[1]!).toLowerCase());
      if (!team) return json(404, errorBody(`The team with id ${before[1]} does not exist.`, 'TeamNotFoundException'));
      if (after[2] === 'iterations') {
        const value = team.iterations.map((it) => ({
          id: it.id,
          name: it.name,
          path: it.path,
          attributes: { startDate: it.startDate, finishDate: it.finishDate, timeFrame: it.timeFrame },
          url: `${this.orgUrl}/${encodeURIComponent(project.name)}/_apis/work/teamsettings/iterations/${it.id}`,
        }));
        return json(200, { count: value.length, value });
      }
      if (after[2] === 'teamfieldvalues') {
        return json(200, {
          field: { referenceName: 'System.AreaPath', url: `${this.orgUrl}/_apis/wit/fields/System.AreaPath` },
          defaultValue: team.areas[0] ?? project.name,
          values: team.areas.map((a) => ({ value: a, includeChildren: true })),
          url: `${this.orgUrl}/${encodeURIComponent(project.name)}/_apis/work/teamsettings/teamfieldvalues`,
          _links: {},
        });
      }
    }
    if (after[0] !== 'wit') return json(404, { message: `fake: no route for ${method} ${path}` });
    const resource = after[1];
    if (method === 'GET' && project && resource === 'workitemtypes') {
      const types = fixture<{ types: unknown[] }>(`processes/${project.process}.json`).types;
      return json(200, { count: types.length, value: types });
    }
    if (method === 'GET' && project && resource === 'workitemtypecategories') {
      const cats = fixture<{ categories: unknown[] }>(`processes/${project.process}.json`).categories;
      return json(200, { count: cats.length, value: cats });
    }
    if (method === 'GET' && project && resource === 'reporting' && after[2] === 'workitemrevisions') return this.feed(project, q);
    if (method === 'POST' && resource === 'workitemsbatch') return this.batch(body as { ids?: number[]; $expand?: string; errorPolicy?: string });
    if (method === 'POST' && resource === 'wiql') return this.wiql((body as { query?: string })?.query ?? '');
    if (method === 'PATCH' && resource === 'workitems' && after[2]) return this.patch(Number(after[2]), body);
    if (method === 'POST' && resource === 'workitems' && after[3] === 'comments') return this.comment(Number(after[2]), body as { text?: string });
    return json(404, { message: `fake: no route for ${method} ${path}` });
  }

  private feed(project: FakeProject, q: URLSearchParams): FakeReply {
    const list = this.byProject.get(project.name.toLowerCase()) ?? [];
    const token = q.get('continuationToken');
    const start = q.get('startDateTime');
    if (token && start) return json(400, errorBody("VS403527: The startDateTime parameter cannot be used in conjunction with 'watermark' parameter.", 'InvalidArgumentValueException'));
    const fields = q.get('fields')?.split(',') ?? null;
    const identityRef = q.get('includeIdentityRef') === 'true';
    const includeDeleted = q.get('includeDeleted') === 'true';
    const size = Math.min(Number(q.get('$maxPageSize') ?? 200), this.options.maxPageSize ?? 1000);
    let from = 0;
    if (token) {
      const after = Number(token);
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (list[mid]!.seq <= after) lo = mid + 1;
        else hi = mid;
      }
      from = lo;
    }
    const startAt = start ? Date.parse(start) : null;
    const values: unknown[] = [];
    let last = token ? Number(token) : 0;
    let i = from;
    for (; i < list.length && values.length < size; i++) {
      const r = list[i]!;
      last = r.seq;
      if (startAt !== null && Date.parse(String(r.fields['System.ChangedDate'])) < startAt) continue;
      if (!includeDeleted && r.fields['System.IsDeleted'] === true) continue;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(r.fields)) {
        if (fields && !fields.includes(k)) continue;
        if (k === 'System.Description' || k === 'Microsoft.VSTS.Common.AcceptanceCriteria') continue; // long text: only with $expand=fields
        out[k] = !identityRef && v && typeof v === 'object' && 'displayName' in v ? `${(v as Identity).displayName} <${(v as Identity).uniqueName}>` : v;
      }
      values.push({ id: r.id, rev: r.fields['System.Rev'], fields: out });
    }
    const isLastBatch = i >= list.length;
    const continuationToken = String(last);
    return json(200, {
      values,
      nextLink: `${this.orgUrl}/${encodeURIComponent(project.name)}/_apis/wit/reporting/workItemRevisions?continuationToken=${continuationToken}&api-version=7.1`,
      continuationToken,
      isLastBatch,
    });
  }

  private batch(body: { ids?: number[]; $expand?: string; errorPolicy?: string } | null): FakeReply {
    const ids = body?.ids ?? [];
    if (ids.length > 200) return json(400, errorBody('VS402331: The maximum number of work items that can be requested is 200.', 'WorkItemTrackingRequestTooLargeException'));
    const omit = String(body?.errorPolicy ?? '').toLowerCase() === 'omit';
    const relations = String(body?.$expand ?? '').toLowerCase() === 'relations' || String(body?.$expand ?? '').toLowerCase() === 'all';
    const value: unknown[] = [];
    for (const id of ids) {
      const item = this.items.get(id);
      if (!item || item.deleted) {
        if (!omit) return json(404, errorBody(`TF401232: Work item ${id} does not exist, or you do not have permissions to read it.`, 'WorkItemUnauthorizedAccessException'));
        value.push(null);
        continue;
      }
      value.push({
        id: item.id,
        rev: item.rev,
        fields: item.fields,
        ...(relations ? { relations: item.relations } : {}),
        url: `${this.orgUrl}/_apis/wit/workItems/${item.id}`,
      });
    }
    return json(200, { count: value.length, value });
  }

  /** Evaluates the WIQL shapes the connector writes (scope, id windows, IN lists, simple comparisons). */
  private wiql(query: string): FakeReply {
    const where = /WHERE (.*?)(?: ORDER BY .*)?$/is.exec(query)?.[1] ?? '';
    const conds: Array<(i: Item) => boolean> = [];
    const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v)).toLowerCase();
    for (const m of where.matchAll(/\[System\.TeamProject\] = '((?:[^']|'')*)'/g)) {
      const p = m[1]!.replace(/''/g, "'").toLowerCase();
      conds.push((i) => str(i.fields['System.TeamProject']) === p);
    }
    const lo = /\[System\.Id\] >= (\d+)/.exec(where);
    const hi = /\[System\.Id\] <= (\d+)/.exec(where);
    if (lo) conds.push((i) => i.id >= Number(lo[1]));
    if (hi) conds.push((i) => i.id <= Number(hi[1]));
    const inList = /\[System\.Id\] IN \(([\d,\s]+)\)/.exec(where);
    if (inList) {
      const set = new Set(inList[1]!.split(',').map((s) => Number(s.trim())));
      conds.push((i) => set.has(i.id));
    }
    const unders = [...where.matchAll(/\[System\.AreaPath\] UNDER '((?:[^']|'')*)'/g)].map((m) => m[1]!.replace(/''/g, "'").toLowerCase());
    if (unders.length) conds.push((i) => unders.some((u) => str(i.fields['System.AreaPath']) === u || str(i.fields['System.AreaPath']).startsWith(u + '\\')));
    for (const m of where.matchAll(/\[([\w.]+)\] (<>|=) '((?:[^']|'')*)'/g)) {
      if (m[1] === 'System.TeamProject') continue;
      const field = m[1]!;
      const want = m[3]!.replace(/''/g, "'").toLowerCase();
      conds.push(m[2] === '=' ? (i) => str(i.fields[field]) === want : (i) => str(i.fields[field]) !== want);
    }
    const hits: number[] = [];
    for (const item of this.items.values()) if (!item.deleted && conds.every((c) => c(item))) hits.push(item.id);
    const cap = this.options.wiqlCap ?? 20_000;
    if (hits.length > cap) {
      return json(400, errorBody(`VS402337: The number of work items returned exceeds the size limit of ${cap}. Change the query to return fewer work items.`, 'WorkItemTrackingQueryResultSizeLimitExceededException'));
    }
    hits.sort((a, b) => a - b);
    return json(200, {
      queryType: 'flat',
      queryResultType: 'workItem',
      asOf: new Date(this.clock).toISOString(),
      columns: [{ referenceName: 'System.Id', name: 'ID', url: `${this.orgUrl}/_apis/wit/fields/System.Id` }],
      workItems: hits.map((id) => ({ id, url: `${this.orgUrl}/_apis/wit/workItems/${id}` })),
    });
  }

  private patch(id: number, body: unknown): FakeReply {
    const item = this.items.get(id);
    if (!item || item.deleted) return json(404, errorBody(`TF401232: Work item ${id} does not exist, or you do not have permissions to read it.`, 'WorkItemUnauthorizedAccessException'));
    const ops = (Array.isArray(body) ? body : []) as Array<{ op: string; path: string; value?: unknown }>;
    this.patches.push({ id, ops });
    const changes: Record<string, unknown> = {};
    for (const op of ops) {
      if (op.op === 'test' && op.path === '/rev' && op.value !== item.rev) {
        return json(400, errorBody(`TF26071: This work item has been changed by someone else since you opened it. You will need to refresh it and discard your changes.`, 'WorkItemRevisionMismatchException'));
      }
      const field = /^\/fields\/(.+)$/.exec(op.path)?.[1];
      if (!field) continue;
      if (op.op === 'remove') changes[field] = null;
      else if (op.op === 'add' || op.op === 'replace') changes[field] = op.value;
    }
    this.update(id, changes);
    return json(200, { id: item.id, rev: item.rev, fields: item.fields, url: `${this.orgUrl}/_apis/wit/workItems/${item.id}` });
  }

  private comment(id: number, body: { text?: string } | null): FakeReply {
    const item = this.items.get(id);
    if (!item) return json(404, errorBody(`TF401232: Work item ${id} does not exist.`, 'WorkItemUnauthorizedAccessException'));
    const text = body?.text ?? '';
    this.comments.push({ id, text });
    const by = identity('PMO Bot', 'pmo-bot@fabrikam.example');
    return json(200, { workItemId: id, id: this.comments.length, version: 1, text, format: 'html', renderedText: text, isDeleted: false, createdBy: by, createdDate: new Date(this.clock).toISOString(), modifiedBy: by, modifiedDate: new Date(this.clock).toISOString(), url: `${this.orgUrl}/_apis/wit/workItems/${id}/comments/${this.comments.length}` });
  }

  /** Requests whose path matches, for request-count assertions. */
  count(pattern: RegExp, method?: string): number {
    return this.requests.filter((r) => (!method || r.method === method) && pattern.test(r.path)).length;
  }
}

/** Serves the fake on 127.0.0.1 (for the benchmark and CLI runs). */
export async function serve(fakeFor: (origin: string) => FakeAdo): Promise<{ fake: FakeAdo; url: string; close: () => Promise<void> }> {
  let fake: FakeAdo | null = null;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = fake!.handle(req.method ?? 'GET', req.url ?? '/', req.headers, Buffer.concat(chunks).toString('utf8'));
      res.writeHead(reply.status, reply.headers);
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake = fakeFor(origin);
  return { fake, url: fake.orgUrl, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
