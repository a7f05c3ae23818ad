import type { Connector, ConnectorDefinition, ConnectorDeps, PullPage, PullRequest, QuarantinedPayload } from '../../src/model/connector.ts';
import type { Sprint, StatusCategory } from '../../src/model/work-item.ts';
import { BudgetExceededError, ExternalHostError } from '../../src/http/policy.ts';
import { PmoError } from '../../src/util/errors.ts';
import type { Logger } from '../../src/util/log.ts';
import { historyFieldResolver, type StatusCategoryOf } from './changelog.ts';
import { checkJira } from './check.ts';
import { createJiraApi, describeJiraFailure, secretsOf, type JiraApi, type JiraClientOptions } from './client.ts';
import { discoverFields, historyFieldIds, searchFields, type FieldMap } from './fields.ts';
import { scopeJql, windowJql } from './jql.ts';
import { MappingError, mapIssue, statusCategory, type MapContext } from './map.ts';
import {
  AgileBoard,
  AgilePage,
  AgileSprint,
  BoardConfiguration,
  BulkChangelogPage,
  ChangelogPage,
  CloudSearchPage,
  DcSearchPage,
  JiraField,
  JiraIssue,
  JiraSourceConfig,
  JiraStatus,
  isJiraIssue,
  type JiraHistory,
} from './schema.ts';
import { fromAgileSprint, sprintRecord } from './sprints.ts';
import { createJiraWriteBack } from './write-back.ts';

export { JiraSourceConfig } from './schema.ts';

/**
 * Jira Cloud and Data Center connector: incremental pulls by an `updated` window (Cloud enhanced JQL
 * search with `nextPageToken`, Data Center `startAt` paging), field discovery, full changelogs,
 * sprints from the agile API, periodic key reconciliation, write-back and doctor checks.
 */

export interface JiraDeps extends ConnectorDeps {
  /** Test seams for the HTTP policy (sleep, clock, jitter). */
  http?: JiraClientOptions['http'];
}

/** What the watermark carries between syncs (opaque to the engine; JSON). */
interface Mark {
  updated: string | null;
  reconciledAt: string | null;
  sprintsAt: string | null;
  /** Project → estimate field its boards use, learned when sprints are refreshed. */
  estimateByProject: Record<string, string>;
  /** What was synced (scope, `since`, fields asked for): when it changes, the next sync is a full one. */
  shape: string | null;
}

/** The cursor of a full pull that stopped midway: the next run continues and then reconciles. */
const FULL_IN_PROGRESS = 'full';
// Cloud enhanced search: "returns max 5000 issues" when only ids are requested
// (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-search/#api-rest-api-3-search-jql-get).
const IDS_PAGE_CLOUD = 5000;
// Data Center clamps maxResults to jira.search.views.default.max (often 1000); we page by its echo.
const IDS_PAGE_DC = 1000;
// Bulk changelog: up to 1000 issues and 10 field ids per call (same page, changelog/bulkfetch).
const BULK_CHANGELOG_ISSUES = 1000;
// Per-issue changelog pages hold at most 100 entries
// (https://developer.atlassian.com/cloud/jira/platform/rest/v2/api-group-issues/#api-rest-api-2-issue-issueidorkey-changelog-get).
const CHANGELOG_PAGE = 100;
// Issues re-read across each Data Center page boundary (5 % of a 100-issue page).
const DC_PAGE_OVERLAP = 5;

function emptyMark(): Mark {
  return { updated: null, reconciledAt: null, sprintsAt: null, estimateByProject: {}, shape: null };
}

export function parseMark(watermark: string | null): Mark {
  if (watermark === null) return emptyMark();
  try {
    const v = JSON.parse(watermark) as Partial<Mark>;
    const str = (x: unknown): string | null => (typeof x === 'string' && !Number.isNaN(Date.parse(x)) ? x : null);
    const est = typeof v.estimateByProject === 'object' && v.estimateByProject !== null ? v.estimateByProject : {};
    return { updated: str(v.updated), reconciledAt: str(v.reconciledAt), sprintsAt: str(v.sprintsAt), estimateByProject: est, shape: typeof v.shape === 'string' ? v.shape : null };
  } catch {
    // A bare instant (older format or hand-edited state) is still a usable lower bound.
    return { ...emptyMark(), updated: Number.isNaN(Date.parse(watermark)) ? null : new Date(watermark).toISOString() };
  }
}

function encodeMark(mark: Mark): string {
  return JSON.stringify(mark);
}

function hoursSince(iso: string | null, now: Date): number {
  return iso === null ? Number.POSITIVE_INFINITY : (now.getTime() - Date.parse(iso)) / 3_600_000;
}

export function createJiraConnector(config: JiraSourceConfig, deps: JiraDeps): Connector {
  const log = deps.log.child({ source: config.id, kind: 'jira' });
  log.addSecrets(secretsOf(config));
  const api = createJiraApi({ config, log, ...(deps.http ? { http: deps.http } : {}) });

  async function* pull(request: PullRequest): AsyncGenerator<PullPage> {
    api.policy.resetBudget();
    try {
      yield* pullPages(config, api, log, deps, request);
    } catch (err) {
      throw failure(config, api, 'sync', err);
    }
  }

  const writeBack = createJiraWriteBack({ config, api, log, now: () => deps.clock.now().getTime() });
  return {
    id: config.id,
    kind: 'jira',
    pull,
    writeBack,
    check: () => checkJira({ config, api, log }),
  };
}

/** A concise, credential-free error naming the source and what Jira said. */
function failure(config: JiraSourceConfig, api: JiraApi, what: string, err: unknown): PmoError {
  // The budget error already names the source; our own findings get its id in front.
  if (err instanceof BudgetExceededError) return err;
  if (err instanceof PmoError && !(err instanceof ExternalHostError)) return new PmoError(err.code, `${config.id}: ${api.redact(err.message)}`, { cause: err });
  const f = describeJiraFailure(err, api.redact);
  const status = f.status === null ? '' : ` (HTTP ${f.status})`;
  const hint =
    f.kind === 'auth'
      ? '; check the credentials in sources[].auth'
      : f.kind === 'forbidden'
        ? '; the account lacks permission'
        : f.kind === 'payload'
          ? '; is baseUrl the Jira site itself, not an SSO login page or a proxy?'
          : '';
  return new PmoError('EXTERNAL_HOST', `${config.id}: Jira ${what} failed${status}: ${f.reason}${hint}`, { cause: err });
}

interface PullContext {
  config: JiraSourceConfig;
  api: JiraApi;
  log: Logger;
  fields: FieldMap;
  statusCategories: Map<string, StatusCategory>;
  statusesLoaded: boolean;
  unknownTypes: Set<string>;
  estimateByProject: Record<string, string>;
}

async function* pullPages(config: JiraSourceConfig, api: JiraApi, log: Logger, deps: JiraDeps, request: PullRequest): AsyncGenerator<PullPage> {
  const now = deps.clock.now();
  const mark = parseMark(request.state.watermark);
  const shape = shapeOf(config);
  if (mark.updated !== null && mark.shape !== shape) {
    // A new project, JQL, `since` or field would otherwise only reach items edited from now on.
    log.info({ was: mark.shape, now: shape }, 'Jira scope or fields changed since the last sync; taking everything in scope again');
    mark.updated = null;
  }
  mark.shape = shape;
  const resumingFull = !request.full && request.state.cursor === FULL_IN_PROGRESS && mark.updated !== null;
  const full = mark.updated === null;
  let spent = api.policy.requests;
  const cost = (): number => {
    const n = api.policy.requests - spent;
    spent = api.policy.requests;
    return n;
  };

  const fieldList = parseList(await api.fields(), JiraField, 'GET /field');
  const fields = discoverFields(fieldList, config.fields, config.extraFields);
  for (const m of fields.missing) log.warn({ field: m }, 'Configured Jira field not found on this site');
  const ctx: PullContext = { config, api, log, fields, statusCategories: new Map(), statusesLoaded: false, unknownTypes: new Set(), estimateByProject: mark.estimateByProject };

  let agileSprints: Sprint[] = [];
  if (full || resumingFull || hoursSince(mark.sprintsAt, now) * 60 >= config.sprintRefreshMinutes) {
    const loaded = await loadSprints(ctx);
    agileSprints = loaded.sprints;
    mark.estimateByProject = loaded.estimateByProject;
    ctx.estimateByProject = loaded.estimateByProject;
    mark.sprintsAt = now.toISOString();
  }

  const scopes = [scopeJql(config)];
  const keysSeen = full ? new Set<string>() : null;
  let firstPage = true;
  let scopeFailures = 0;
  for (let s = 0; s < scopes.length; s++) {
    const scope = scopes[s] ?? '';
    const window = windowJql(scope, { watermark: mark.updated ? new Date(mark.updated) : null, now, overlapMinutes: config.overlapMinutes, since: config.since });
    let token: string | undefined;
    let startAt = 0;
    for (let pageNo = 0; ; pageNo++) {
      if (request.signal?.aborted) return;
      let raw: unknown;
      try {
        raw = await api.search({ jql: window, fields: searchFields(fields), expand: ['changelog'], maxResults: config.pageSize, nextPageToken: token, startAt });
      } catch (err) {
        const f = describeJiraFailure(err);
        // One unreadable project must not stop the others: split the scope and go on without it.
        if (pageNo === 0 && (f.kind === 'bad-request' || f.kind === 'forbidden' || f.kind === 'not-found')) {
          if (s === 0 && config.projects.length > 1 && scopes.length === 1) {
            log.warn({ reason: f.reason }, 'Jira refused the combined scope; searching project by project');
            scopes.push(...config.projects.map((p) => scopeJql(config, [p])));
            break;
          }
          if (scopes.length > 1) {
            scopeFailures++;
            log.error({ project: projectOfScope(config, s), status: f.status, reason: f.reason }, 'Jira refused this project; it is skipped (run `sync --full` once access is granted)');
            break;
          }
        }
        throw err;
      }
      const page = readSearchPage(api.deployment, raw);
      const { items, quarantined, sprints } = await mapPage(ctx, page.issues);
      for (const k of [...items.map((i) => i.nativeKey), ...quarantined.map((q) => q.nativeKey)]) keysSeen?.add(k);
      // Never past our own clock: one issue with a bogus future `updated` would otherwise shrink
      // every later window to the overlap and skip real edits.
      const pageMax = minIso(maxUpdated(page.issues), now.toISOString());
      if (pageMax !== null && (mark.updated === null || pageMax > mark.updated)) mark.updated = pageMax;
      const last = page.isLast(startAt);
      const lastOfAll = last && s === scopes.length - 1;
      const out: PullPage = {
        items,
        quarantined,
        sprints: firstPage ? mergeSprints(agileSprints, sprints) : sprints,
        removed: [],
        watermark: encodeMark(mark),
        cursor: lastOfAll ? null : full || resumingFull ? FULL_IN_PROGRESS : null,
        requests: cost(),
      };
      firstPage = false;
      if (lastOfAll && keysSeen && scopeFailures === 0) {
        out.reconciled = [...keysSeen];
        mark.reconciledAt = now.toISOString();
        out.watermark = encodeMark(mark);
      }
      if (lastOfAll && (full || resumingFull)) out.fullSyncDone = true;
      yield out;
      if (last) break;
      token = page.nextPageToken;
      startAt = page.nextStartAt(startAt);
    }
  }
  if (scopes.length > 1 && scopeFailures === scopes.length - 1) {
    throw new PmoError('EXTERNAL_HOST', `Jira refused every configured project (${config.projects.join(', ')}); see the log for each reason`);
  }
  if (scopeFailures > 0) {
    // The refused project ended the loop without a last page: close the pull (no full-sync mark,
    // no reconciliation, since not every key was seen).
    yield { items: [], quarantined: [], sprints: [], removed: [], watermark: encodeMark(mark), cursor: null, requests: cost() };
  }

  const reconcileDue = !keysSeen && scopeFailures === 0 && (resumingFull || hoursSince(mark.reconciledAt, now) >= config.reconcileEveryHours);
  if (reconcileDue && !request.signal?.aborted) {
    const keys = await allKeys(ctx, scopeJql(config));
    mark.reconciledAt = now.toISOString();
    log.debug({ keys: keys.length }, 'Reconciled Jira keys');
    yield { items: [], quarantined: [], sprints: [], removed: [], watermark: encodeMark(mark), cursor: null, requests: cost(), reconciled: keys };
  }
}

/** Fingerprint of what a sync covers; exported for tests that seed a stored watermark. */
export function shapeOf(config: JiraSourceConfig): string {
  return JSON.stringify({ scope: scopeJql(config), since: config.since ?? null, fields: config.fields, extra: config.extraFields });
}

function projectOfScope(config: JiraSourceConfig, index: number): string {
  return config.projects[index - 1] ?? '(scope)';
}

interface SearchPage {
  issues: unknown[];
  nextPageToken: string | undefined;
  isLast(startAt: number): boolean;
  nextStartAt(startAt: number): number;
}

function readSearchPage(deployment: 'cloud' | 'datacenter', raw: unknown): SearchPage {
  if (deployment === 'cloud') {
    const p = CloudSearchPage.safeParse(raw);
    if (!p.success) throw new PmoError('EXTERNAL_HOST', `Jira search answered an unexpected shape: ${p.error.issues[0]?.message ?? 'invalid'}`);
    // The last page has no nextPageToken (absent, not null): https://jira.atlassian.com/browse/JRACLOUD-92184
    const token = p.data.nextPageToken ?? undefined;
    return { issues: p.data.issues, nextPageToken: token, isLast: () => p.data.isLast === true || !token, nextStartAt: (s) => s };
  }
  const p = DcSearchPage.safeParse(raw);
  if (!p.success) throw new PmoError('EXTERNAL_HOST', `Jira search answered an unexpected shape: ${p.error.issues[0]?.message ?? 'invalid'}`);
  const { issues, total, startAt } = p.data;
  return {
    issues,
    nextPageToken: undefined,
    // Page by what the server returned (it clamps maxResults to jira.search.views.default.max).
    isLast: () => issues.length === 0 || startAt + issues.length >= total,
    // An issue edited while we page moves to the end of the `updated` order and shifts the rest
    // left: re-read a few issues across each page boundary so such a shift skips nothing.
    nextStartAt: () => startAt + issues.length - (issues.length > 2 * DC_PAGE_OVERLAP ? DC_PAGE_OVERLAP : 0),
  };
}

function maxUpdated(issues: unknown[]): string | null {
  let max: string | null = null;
  for (const raw of issues) {
    const updated = (raw as { fields?: { updated?: unknown } } | null)?.fields?.updated;
    if (typeof updated !== 'string') continue;
    const ms = Date.parse(updated);
    if (Number.isNaN(ms)) continue;
    const iso = new Date(ms).toISOString();
    if (max === null || iso > max) max = iso;
  }
  return max;
}

function minIso(a: string | null, b: string): string | null {
  return a === null ? null : a < b ? a : b;
}

function nativeKeyOf(raw: unknown): string {
  const r = raw as { key?: unknown; id?: unknown } | null;
  if (typeof r?.key === 'string' && r.key !== '') return r.key;
  if (typeof r?.id === 'string' || typeof r?.id === 'number') return `id-${r.id}`;
  return `unknown-${Math.abs(hashText(JSON.stringify(raw) ?? ''))}`;
}

function hashText(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return h;
}

async function mapPage(ctx: PullContext, rawIssues: unknown[]): Promise<{ items: PullPage['items']; quarantined: QuarantinedPayload[]; sprints: Sprint[] }> {
  const { config, log } = ctx;
  const quarantined: QuarantinedPayload[] = [];
  const issues: JiraIssue[] = [];
  for (const raw of rawIssues) {
    if (isJiraIssue(raw)) {
      issues.push(raw);
      continue;
    }
    const p = JiraIssue.safeParse(raw);
    if (p.success) issues.push(p.data);
    else {
      const issue = p.error.issues[0];
      quarantined.push({ nativeKey: nativeKeyOf(raw), error: `${issue?.path.join('.') || '(issue)'}: ${issue?.message ?? 'invalid'}`, payload: raw });
    }
  }
  for (const issue of issues) {
    const status = issue.fields['status'] as { id?: unknown; statusCategory?: { key?: unknown } } | undefined;
    const cat = typeof status?.statusCategory?.key === 'string' ? statusCategory(status.statusCategory.key) : null;
    if (typeof status?.id === 'string' && cat) ctx.statusCategories.set(status.id, cat);
  }
  const histories = await completeChangelogs(ctx, issues);
  await ensureStatuses(ctx, histories);
  const fieldOf = historyFieldResolver(ctx.fields);
  const mapCtx: MapContext = {
    source: config.id,
    baseUrl: config.baseUrl,
    fields: ctx.fields,
    estimateFieldFor: (project) => ctx.estimateByProject[project] ?? null,
    typeCategories: config.typeCategories,
    categoryOf: categoryResolver(ctx),
    fieldOf,
    onUnknownType: (name, project) => {
      if (ctx.unknownTypes.has(name)) return;
      ctx.unknownTypes.add(name);
      log.warn({ type: name, project }, 'Issue type not recognised; counted as "other" (map it in typeCategories)');
    },
  };
  const items: PullPage['items'] = [];
  const sprints = new Map<string, Sprint>();
  for (const issue of issues) {
    try {
      const { item, sprints: itemSprints } = mapIssue(issue, histories.get(issue.id) ?? [], mapCtx);
      items.push(item);
      for (const s of itemSprints) if (!sprints.has(s.id)) sprints.set(s.id, sprintRecord(config.id, s, item.project));
    } catch (err) {
      if (!(err instanceof MappingError)) throw err;
      const project = (issue.fields['project'] as { key?: unknown } | undefined)?.key;
      quarantined.push({ nativeKey: issue.key, error: typeof project === 'string' ? `${err.message} (project ${project})` : err.message, payload: issue });
    }
  }
  return { items, quarantined, sprints: [...sprints.values()] };
}

/** Embedded changelogs are cut at about 20 entries; fetch the rest (Cloud in bulk, DC per issue). */
async function completeChangelogs(ctx: PullContext, issues: JiraIssue[]): Promise<Map<string, JiraHistory[]>> {
  const out = new Map<string, JiraHistory[]>();
  const truncated: JiraIssue[] = [];
  for (const issue of issues) {
    const cl = issue.changelog;
    out.set(issue.id, cl ? [...cl.histories] : []);
    if (cl && cl.total !== undefined && cl.total > cl.histories.length) truncated.push(issue);
  }
  if (truncated.length === 0) return out;
  if (ctx.api.deployment === 'cloud') {
    const fieldIds = historyFieldIds(ctx.fields);
    for (let i = 0; i < truncated.length; i += BULK_CHANGELOG_ISSUES) {
      const ids = truncated.slice(i, i + BULK_CHANGELOG_ISSUES).map((t) => t.id);
      let token: string | undefined;
      do {
        const page = BulkChangelogPage.safeParse(await ctx.api.bulkChangelogs(ids, fieldIds, token));
        if (!page.success) throw new PmoError('EXTERNAL_HOST', `Jira bulk changelog answered an unexpected shape: ${page.error.issues[0]?.message ?? 'invalid'}`);
        for (const log of page.data.issueChangeLogs ?? []) out.get(log.issueId)?.push(...(log.changeHistories ?? []));
        token = page.data.nextPageToken ?? undefined;
      } while (token);
    }
    return out;
  }
  await Promise.all(
    truncated.map(async (issue) => {
      for (let startAt = 0; ; ) {
        let raw: unknown;
        try {
          raw = await ctx.api.issueChangelog(issue.key, startAt, CHANGELOG_PAGE);
        } catch (err) {
          // Servers without the paged endpoint embed the whole changelog in the issue itself.
          if (startAt !== 0 || describeJiraFailure(err).kind !== 'not-found') throw err;
          const whole = JiraIssue.safeParse(await ctx.api.issueWithChangelog(issue.key));
          if (whole.success && whole.data.changelog) out.set(issue.id, [...whole.data.changelog.histories]);
          return;
        }
        const page = ChangelogPage.safeParse(raw);
        if (!page.success) throw new PmoError('EXTERNAL_HOST', `Jira changelog of ${issue.key} answered an unexpected shape: ${page.error.issues[0]?.message ?? 'invalid'}`);
        out.get(issue.id)?.push(...page.data.values);
        const next = (page.data.startAt ?? startAt) + page.data.values.length;
        if (page.data.isLast === true || page.data.values.length === 0 || (page.data.total !== undefined && next >= page.data.total)) break;
        startAt = next;
      }
    }),
  );
  return out;
}

/** Loads `/status` once per sync, only when a changelog names a status the page did not show. */
async function ensureStatuses(ctx: PullContext, histories: Map<string, JiraHistory[]>): Promise<void> {
  if (ctx.statusesLoaded) return;
  const needed = (id: string | null | undefined): boolean => typeof id === 'string' && id !== '' && !ctx.statusCategories.has(id);
  let missing = false;
  outer: for (const list of histories.values()) {
    for (const h of list) {
      for (const item of h.items) {
        if ((item.fieldId ?? item.field) === 'status' && (needed(item.from) || needed(item.to))) {
          missing = true;
          break outer;
        }
      }
    }
  }
  if (!missing) return;
  ctx.statusesLoaded = true;
  for (const s of parseList(await ctx.api.statuses(), JiraStatus, 'GET /status')) {
    const cat = s.statusCategory ? statusCategory(s.statusCategory.key) : null;
    if (cat) ctx.statusCategories.set(s.id, cat);
  }
}

function categoryResolver(ctx: PullContext): StatusCategoryOf {
  return (id) => (id === null ? null : (ctx.statusCategories.get(id) ?? null));
}

function parseList<T>(raw: unknown, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, what: string): T[] {
  if (!Array.isArray(raw)) throw new PmoError('EXTERNAL_HOST', `Jira ${what} answered ${typeof raw}, expected a list`);
  const out: T[] = [];
  for (const entry of raw) {
    const p = schema.safeParse(entry);
    if (p.success) out.push(p.data);
  }
  return out;
}

function mergeSprints(a: Sprint[], b: Sprint[]): Sprint[] {
  const byId = new Map<string, Sprint>();
  for (const s of [...b, ...a]) byId.set(s.id, { ...byId.get(s.id), ...s, project: s.project ?? byId.get(s.id)?.project ?? null });
  return [...byId.values()];
}

interface LoadedSprints {
  sprints: Sprint[];
  estimateByProject: Record<string, string>;
}

/** Boards of the configured projects → their sprints (and, when sites disagree, their estimate field). */
async function loadSprints(ctx: PullContext): Promise<LoadedSprints> {
  const { config, api, log } = ctx;
  const sprints = new Map<string, Sprint>();
  const estimateByProject: Record<string, string> = {};
  for (const project of config.projects) {
    let boards: AgileBoard[];
    try {
      boards = await agilePages((startAt) => api.boards(project, startAt), AgileBoard);
    } catch (err) {
      const f = describeJiraFailure(err);
      if (f.kind === 'auth') throw err;
      log.warn({ project, status: f.status, reason: f.reason }, 'Jira boards unavailable for this project; sprints come from issues only');
      continue;
    }
    for (const board of boards) {
      if (board.type === 'kanban') continue;
      try {
        for (const s of await agilePages((startAt) => api.sprints(board.id, startAt), AgileSprint)) {
          const parsed = fromAgileSprint(s);
          if (parsed && !sprints.has(parsed.id)) sprints.set(parsed.id, sprintRecord(config.id, parsed, board.location?.projectKey ?? project));
        }
        if (ctx.fields.storyPoints.length > 1 && estimateByProject[project] === undefined) {
          const conf = BoardConfiguration.safeParse(await api.boardConfiguration(board.id));
          const fieldId = conf.success ? conf.data.estimation?.field?.fieldId : undefined;
          if (fieldId) estimateByProject[project] = fieldId;
        }
      } catch (err) {
        const f = describeJiraFailure(err);
        if (f.kind === 'auth') throw err;
        log.warn({ project, board: board.id, status: f.status, reason: f.reason }, 'Jira sprints unavailable for this board');
      }
    }
  }
  return { sprints: [...sprints.values()], estimateByProject };
}

async function agilePages<T>(fetchPage: (startAt: number) => Promise<unknown>, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }): Promise<T[]> {
  const out: T[] = [];
  for (let startAt = 0; ; ) {
    const page = AgilePage.safeParse(await fetchPage(startAt));
    if (!page.success) throw new PmoError('EXTERNAL_HOST', 'Jira agile API answered an unexpected shape');
    for (const v of page.data.values) {
      const p = schema.safeParse(v);
      if (p.success) out.push(p.data);
    }
    if (page.data.isLast !== false || page.data.values.length === 0) return out;
    startAt = (page.data.startAt ?? startAt) + page.data.values.length;
  }
}

/** Every key in scope, ids only (the largest pages the search allows). */
async function allKeys(ctx: PullContext, scope: string): Promise<string[]> {
  const { api } = ctx;
  const keys: string[] = [];
  const jql = `(${scope}) ORDER BY key ASC`;
  let token: string | undefined;
  let startAt = 0;
  for (;;) {
    const page = readSearchPage(
      api.deployment,
      await api.search({ jql, fields: ['key'], maxResults: api.deployment === 'cloud' ? IDS_PAGE_CLOUD : IDS_PAGE_DC, nextPageToken: token, startAt }),
    );
    for (const raw of page.issues) {
      const key = (raw as { key?: unknown } | null)?.key;
      if (typeof key === 'string') keys.push(key);
    }
    if (page.isLast(startAt)) return keys;
    token = page.nextPageToken;
    startAt = page.nextStartAt(startAt);
  }
}

export const jiraConnector: ConnectorDefinition<JiraSourceConfig> = {
  kind: 'jira',
  description: 'Jira Cloud (REST v3) and Data Center / Server (REST v2): issues, changelogs, sprints; write-back of estimates, dates, assignees, labels, acceptance criteria and comments',
  configSchema: JiraSourceConfig,
  create: (config, deps) => createJiraConnector(config, deps),
};
