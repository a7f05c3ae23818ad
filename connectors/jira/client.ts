import { AsyncLocalStorage } from 'node:async_hooks';
import { createAgileClient, createCloudClient, type CloudClient } from 'jira.js';
import {
  createClient,
  isApiError,
  isAuthError,
  isForbiddenError,
  isNetworkError,
  isNotFoundError,
  isRateLimitError,
  isSchemaMismatchError,
  isServerError,
  type AuthBasic,
  type AuthBearer,
  type Client,
  type SendRequestOptions,
} from 'jira.js/core';
import { createHttpPolicy, parseRetryAfter, type Classified, type HttpPolicy, type HttpPolicyOptions } from '../../src/http/policy.ts';
import type { Logger } from '../../src/util/log.ts';
import type { JiraSourceConfig } from './schema.ts';

/**
 * The only file that imports jira.js. Every request (Cloud through `createCloudClient` /
 * `createAgileClient`, Data Center v2 through the core client's `sendRequest`) runs under the one
 * HTTP policy of `src/http/policy.ts`: jira.js's own retries stay off, its RateLimitError /
 * ServerError / NetworkError are classified here, and every attempt is counted.
 */

/** Rate-limit headroom from the last response that carried the headers. */
export interface RateLimitState {
  limit: number | null;
  remaining: number | null;
  nearLimit: boolean;
  reset: string | null;
  /** When the headers were seen (epoch ms); null before any. */
  seenAt: number | null;
}

/** A 200 answer whose body is not JSON (an HTML login or proxy page) or is cut short. */
export class JiraPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JiraPayloadError';
  }
}

/** A refusal with Jira's own reason (`errorMessages`, `errors`), for write-back and doctor. */
export interface JiraRefusal {
  status: number | null;
  kind: 'auth' | 'forbidden' | 'not-found' | 'rate-limit' | 'server' | 'network' | 'payload' | 'bad-request' | 'other';
  reason: string;
}

export interface SearchRequest {
  jql: string;
  fields: string[];
  expand?: string[];
  maxResults: number;
  /** Cloud: enhanced search token. */
  nextPageToken?: string | undefined;
  /** Data Center: offset. */
  startAt?: number;
}

export interface JiraApi {
  readonly deployment: 'cloud' | 'datacenter';
  /** Replaces this source's credentials in text bound for logs, errors or Slack. */
  redact(text: string): string;
  readonly policy: HttpPolicy;
  readonly rateLimit: RateLimitState;
  serverInfo(): Promise<unknown>;
  myself(): Promise<unknown>;
  fields(): Promise<unknown>;
  statuses(): Promise<unknown>;
  search(req: SearchRequest): Promise<unknown>;
  /** Cloud only: `POST /rest/api/3/changelog/bulkfetch`. */
  bulkChangelogs(issueIds: string[], fieldIds: string[], nextPageToken?: string): Promise<unknown>;
  /** Per-issue changelog page (oldest first). */
  issueChangelog(key: string, startAt: number, maxResults: number): Promise<unknown>;
  /** Data Center before the paged endpoint: the issue with its whole changelog embedded. */
  issueWithChangelog(key: string): Promise<unknown>;
  boards(projectKey: string, startAt: number): Promise<unknown>;
  sprints(boardId: number, startAt: number): Promise<unknown>;
  boardConfiguration(boardId: number): Promise<unknown>;
  permissions(projectKey: string): Promise<unknown>;
  /** How many issues a JQL matches (Cloud: approximate-count; Data Center: the search's total). */
  count(jql: string): Promise<number | null>;
  getIssueFields(key: string, fields: string[]): Promise<unknown>;
  editIssue(key: string, fields: Record<string, unknown>): Promise<void>;
  addComment(key: string, body: unknown): Promise<void>;
  findUsers(query: string): Promise<unknown>;
}

export interface JiraClientOptions {
  config: JiraSourceConfig;
  log: Logger;
  /** Test seams for the policy (sleep, clock, jitter, backoff base). */
  http?: Partial<Pick<HttpPolicyOptions, 'sleep' | 'now' | 'random' | 'baseDelayMs' | 'maxDelayMs'>>;
}

// jira.js 6 exposes neither response headers nor a fetch option, yet `Retry-After` on a 503 and the
// X-RateLimit-* headers of successful answers only live there. A pass-through wrapper around the
// global fetch hands each response to the request that is waiting for it (AsyncLocalStorage);
// outside our requests it does nothing.
const responseSink = new AsyncLocalStorage<(res: Response) => void>();
const OBSERVER = Symbol.for('pmo-bot.jira.fetch-observer');
type ObservedFetch = typeof fetch & { [OBSERVER]?: true };

function ensureFetchObserver(): void {
  const current = globalThis.fetch as ObservedFetch;
  if (current[OBSERVER]) return;
  const observed: ObservedFetch = Object.assign(
    async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]): Promise<Response> => {
      const res = await current(input, init);
      responseSink.getStore()?.(res);
      return res;
    },
    { [OBSERVER]: true as const },
  );
  globalThis.fetch = observed;
}

/** `Retry-After` of a failed attempt, kept beside the error jira.js threw (it drops the header for 5xx). */
const retryAfterOf = new WeakMap<object, number>();

// Below this share of the budget left, slow down (Atlassian sends X-RateLimit-NearLimit under 20%:
// https://developer.atlassian.com/cloud/jira/platform/rate-limiting/).
const NEAR_LIMIT_SHARE = 0.2;
const NEAR_LIMIT_MIN_DELAY_MS = 250;
const NEAR_LIMIT_MAX_DELAY_MS = 5_000;

export function classifyJiraError(err: unknown): Classified {
  const retryAfterMs = typeof err === 'object' && err !== null ? (retryAfterOf.get(err) ?? null) : null;
  if (isRateLimitError(err)) return { kind: 'rate-limit', retryAfterMs: err.retryAfterMs ?? retryAfterMs, status: 429 };
  if (isServerError(err)) return { kind: 'transient', retryAfterMs, status: err.status };
  // A failure without a code (fetch's bare "fetch failed") is worth a retry; a known permanent code
  // (a bad certificate, an invalid URL) is not.
  if (isNetworkError(err)) return { kind: err.transient || err.code === undefined ? 'transient' : 'fatal' };
  // An HTML page or a cut-off body at 200 is usually a proxy or a restart: worth another try.
  if (err instanceof JiraPayloadError || isSchemaMismatchError(err)) return { kind: 'transient' };
  if (isApiError(err)) return { kind: 'fatal', status: err.status };
  return { kind: 'fatal' };
}

/**
 * jira.js's Basic auth wants an email; Data Center user names are not emails, so their Basic header
 * is sent as a configured header instead (same bytes as jira.js would send).
 */
function authOf(config: JiraSourceConfig): { auth?: AuthBasic | AuthBearer; headers?: Record<string, string> } {
  const a = config.auth;
  if ('email' in a) return { auth: { type: 'basic', email: a.email, apiToken: a.apiToken } };
  if ('username' in a) return { headers: { Authorization: `Basic ${basicToken(a.username, a.password)}` } };
  return { auth: { type: 'bearer', token: a.token } };
}

function basicToken(user: string, secret: string): string {
  return Buffer.from(`${user}:${secret}`, 'utf8').toString('base64');
}

export function secretsOf(config: JiraSourceConfig): string[] {
  const a = config.auth;
  if ('email' in a) return [a.apiToken, basicToken(a.email, a.apiToken)];
  if ('username' in a) return [a.password, basicToken(a.username, a.password)];
  return [a.token];
}

export function createJiraApi(options: JiraClientOptions): JiraApi {
  const { config, log } = options;
  const now = options.http?.now ?? Date.now;
  const rateLimit: RateLimitState = { limit: null, remaining: null, nearLimit: false, reset: null, seenAt: null };
  const policy = createHttpPolicy({
    name: config.id,
    maxRequests: config.maxRequests,
    concurrency: config.concurrency,
    maxAttempts: config.maxAttempts,
    classify: classifyJiraError,
    log,
    ...options.http,
  });
  const core = createClient({
    host: config.baseUrl,
    ...authOf(config),
    onSchemaMismatch: (report) => log.debug({ endpoint: report.endpoint, issues: report.issues.length }, 'Jira answer differs from the jira.js schema; read permissively'),
  });

  const observeHeaders = (headers: Headers): void => {
    const limit = numberHeader(headers.get('x-ratelimit-limit'));
    const remaining = numberHeader(headers.get('x-ratelimit-remaining'));
    const near = headers.get('x-ratelimit-nearlimit')?.toLowerCase() === 'true';
    if (limit === null && remaining === null && !near) return;
    Object.assign(rateLimit, { limit, remaining, nearLimit: near, reset: headers.get('x-ratelimit-reset'), seenAt: now() });
    const low = near || (limit !== null && remaining !== null && limit > 0 && remaining / limit < NEAR_LIMIT_SHARE);
    if (!low) return;
    // Spread what is left over the time to the reset; without a reset, a fixed short pause.
    const resetAt = rateLimit.reset ? Date.parse(rateLimit.reset) : Number.NaN;
    const spread = Number.isFinite(resetAt) && remaining ? (resetAt - now()) / Math.max(1, remaining) : NEAR_LIMIT_MIN_DELAY_MS * 4;
    const delayMs = Math.min(NEAR_LIMIT_MAX_DELAY_MS, Math.max(NEAR_LIMIT_MIN_DELAY_MS, Math.round(spread)));
    log.debug({ remaining, limit, delayMs }, 'Jira rate limit is near; slowing down');
    policy.observe({ delayMs });
  };

  const wrapped: Client = {
    sendRequest<T>(request: SendRequestOptions<T>): Promise<T> {
      return policy.execute(async () => {
        ensureFetchObserver();
        let retryAfter: number | null = null;
        try {
          const result = await responseSink.run(
            (res) => {
              retryAfter = parseRetryAfter(res.headers.get('retry-after'), now());
              observeHeaders(res.headers);
            },
            () => core.sendRequest(request),
          );
          const method = request.method ?? 'GET';
          if ((method === 'GET' || method === 'POST') && (result === undefined || typeof result !== 'object' || result === null)) {
            throw new JiraPayloadError(`${method} ${request.url} answered without a JSON body (${describeBody(result)})`);
          }
          return result;
        } catch (err) {
          if (retryAfter !== null && typeof err === 'object' && err !== null) retryAfterOf.set(err, retryAfter);
          throw err;
        }
      });
    },
  };

  const cloud: CloudClient | null = config.deployment === 'cloud' ? createCloudClient(wrapped) : null;
  const agile = createAgileClient(wrapped);
  // Endpoints jira.js's released clients do not cover (Data Center v2; the Cloud search hot path):
  // the same wrapped core client, without a response schema.
  const v2 = <T>(request: SendRequestOptions<T>): Promise<T> => wrapped.sendRequest(request);
  const onlyCloud = (what: string): never => {
    throw new Error(`${what} is a Jira Cloud endpoint; this source is Data Center`);
  };

  const secrets = secretsOf(config).filter((x) => x.length >= 4);
  return {
    deployment: config.deployment,
    redact: (text) => secrets.reduce((out, secret) => out.split(secret).join('[redacted]'), text),
    policy,
    rateLimit,
    serverInfo: () => (cloud ? cloud.serverInfo.getServerInfo() : v2({ url: '/rest/api/2/serverInfo', method: 'GET' })),
    myself: () => (cloud ? cloud.myself.getCurrentUser() : v2({ url: '/rest/api/2/myself', method: 'GET' })),
    fields: () => (cloud ? cloud.issueFields.getFields() : v2({ url: '/rest/api/2/field', method: 'GET' })),
    statuses: () => (cloud ? cloud.workflowStatuses.getStatuses() : v2({ url: '/rest/api/2/status', method: 'GET' })),
    // The search is the hot path (about 1 MB per page): jira.js's core client (auth, errors, the
    // policy) without its response schema, which would deep-copy every page before our own
    // per-issue validation reads it again. Same endpoint and body as issueSearch.searchAndReconsileIssuesUsingJqlPost.
    search: (req) =>
      cloud
        ? v2({
            url: '/rest/api/3/search/jql',
            method: 'POST',
            body: { jql: req.jql, fields: req.fields, maxResults: req.maxResults, ...(req.expand ? { expand: req.expand.join(',') } : {}), ...(req.nextPageToken ? { nextPageToken: req.nextPageToken } : {}) },
          })
        : v2({
            url: '/rest/api/2/search',
            method: 'POST',
            body: { jql: req.jql, fields: req.fields, startAt: req.startAt ?? 0, maxResults: req.maxResults, ...(req.expand ? { expand: req.expand } : {}) },
          }),
    bulkChangelogs: (issueIds, fieldIds, nextPageToken) =>
      cloud
        ? cloud.issues.getBulkChangelogs({ issueIdsOrKeys: issueIds, fieldIds, ...(nextPageToken ? { nextPageToken } : {}) })
        : onlyCloud('changelog/bulkfetch'),
    issueChangelog: (key, startAt, maxResults) =>
      cloud
        ? cloud.issues.getChangeLogs({ issueIdOrKey: key, startAt, maxResults })
        : v2({ url: `/rest/api/2/issue/${encodeURIComponent(key)}/changelog`, method: 'GET', searchParams: { startAt, maxResults } }),
    issueWithChangelog: (key) => v2({ url: `/rest/api/${cloud ? 3 : 2}/issue/${encodeURIComponent(key)}`, method: 'GET', searchParams: { fields: 'key', expand: 'changelog' } }),
    boards: (projectKey, startAt) => agile.board.getAllBoards({ projectKeyOrId: projectKey, startAt, maxResults: 50 }),
    sprints: (boardId, startAt) => agile.board.getAllSprints({ boardId, startAt, maxResults: 50 }),
    boardConfiguration: (boardId) => agile.board.getConfiguration({ boardId }),
    permissions: (projectKey) =>
      cloud
        ? cloud.permissions.getMyPermissions({ projectKey, permissions: 'BROWSE_PROJECTS,EDIT_ISSUES,ADD_COMMENTS' })
        : v2({ url: '/rest/api/2/mypermissions', method: 'GET', searchParams: { projectKey, permissions: 'BROWSE_PROJECTS,EDIT_ISSUES,ADD_COMMENTS' } }),
    count: async (jql) => {
      const raw = cloud
        ? await cloud.issueSearch.countIssues({ jql })
        : await v2({ url: '/rest/api/2/search', method: 'POST', body: { jql, maxResults: 0, fields: ['key'] } });
      const n = cloud ? (raw as { count?: unknown }).count : (raw as { total?: unknown }).total;
      return typeof n === 'number' ? n : null;
    },
    getIssueFields: (key, fields) =>
      cloud ? cloud.issues.getIssue({ issueIdOrKey: key, fields }) : v2({ url: `/rest/api/2/issue/${encodeURIComponent(key)}`, method: 'GET', searchParams: { fields: fields.join(',') } }),
    editIssue: async (key, fields) => {
      if (cloud) await cloud.issues.editIssue({ issueIdOrKey: key, fields });
      else await v2({ url: `/rest/api/2/issue/${encodeURIComponent(key)}`, method: 'PUT', body: { fields } });
    },
    addComment: async (key, body) => {
      if (cloud) await cloud.issueComments.addComment({ issueIdOrKey: key, body: body as never });
      else await v2({ url: `/rest/api/2/issue/${encodeURIComponent(key)}/comment`, method: 'POST', body: { body } });
    },
    findUsers: (query) =>
      cloud ? cloud.userSearch.findUsers({ query, maxResults: 2 }) : v2({ url: '/rest/api/2/user/search', method: 'GET', searchParams: { username: query, maxResults: 2 } }),
  };
}

function numberHeader(value: string | null): number | null {
  if (value === null || value.trim() === '') return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

function describeBody(result: unknown): string {
  if (result === undefined) return 'a non-JSON content type';
  if (typeof result === 'string') return `unparseable JSON, ${result.length} characters starting ${JSON.stringify(result.slice(0, 40))}`;
  return typeof result;
}

/** What went wrong, in Jira's words where it gave any, without the raw page or a credential. */
export function describeJiraFailure(err: unknown, redact: (text: string) => string = (t) => t): JiraRefusal {
  const f = describeRaw(err);
  return { ...f, reason: redact(f.reason) };
}

function describeRaw(err: unknown): JiraRefusal {
  const cause = err instanceof Error && err.cause !== undefined && !isApiError(err) ? err.cause : err;
  if (isApiError(cause)) {
    const api = { status: cause.status, statusText: cause.statusText, body: cause.body };
    const kind: JiraRefusal['kind'] = isAuthError(cause)
      ? 'auth'
      : isForbiddenError(cause)
        ? 'forbidden'
        : isNotFoundError(cause)
          ? 'not-found'
          : isRateLimitError(cause)
            ? 'rate-limit'
            : isServerError(cause)
              ? 'server'
              : api.status === 400
                ? 'bad-request'
                : 'other';
    return { status: api.status, kind, reason: jiraReason(api.body) ?? `${api.status} ${api.statusText}`.trim() };
  }
  if (isNetworkError(cause)) return { status: null, kind: 'network', reason: cause.message };
  if (cause instanceof JiraPayloadError || isSchemaMismatchError(cause)) return { status: null, kind: 'payload', reason: cause.message };
  return { status: null, kind: 'other', reason: err instanceof Error ? err.message : String(err) };
}

function jiraReason(body: unknown): string | null {
  if (typeof body === 'string') {
    const text = body.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
    return text === '' ? null : text.slice(0, 200);
  }
  if (typeof body !== 'object' || body === null) return null;
  const parts: string[] = [];
  const b = body as { errorMessages?: unknown; errors?: unknown; message?: unknown };
  if (Array.isArray(b.errorMessages)) for (const m of b.errorMessages) if (typeof m === 'string') parts.push(m);
  if (typeof b.errors === 'object' && b.errors !== null) for (const [k, v] of Object.entries(b.errors)) parts.push(`${k}: ${String(v)}`);
  if (parts.length === 0 && typeof b.message === 'string') parts.push(b.message);
  return parts.length > 0 ? parts.join('; ') : null;
}
