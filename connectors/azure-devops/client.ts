import type { RequestOptions } from 'node:http';
import * as azdev from 'azure-devops-node-api';
import type { IRequestHandler, IHttpClientResponse, IRequestInfo, IHttpClient } from 'azure-devops-node-api/interfaces/common/VsoBaseInterfaces.js';
import type { HttpPolicy } from '../../src/http/policy.ts';
import { parseRetryAfter, type Classified } from '../../src/http/policy.ts';
import type { AzureDevOpsSourceConfig } from './schema.ts';

/**
 * The one file that imports azure-devops-node-api. Every call runs under the shared HTTP policy
 * (`policy.execute`), reports the host's early slow-down hint (`X-RateLimit-Delay`) to it, and is
 * counted at the socket level by a wrapping request handler (the SDK's own location look-ups too).
 * Payloads come back as `unknown`: index.ts validates the slices it reads (schema.ts).
 */

/** JSON Patch operation (RFC 6902) as Azure DevOps accepts it for work item updates. */
export interface JsonPatchOp {
  op: 'add' | 'replace' | 'remove' | 'test';
  path: string;
  value?: unknown;
}

export interface RevisionPageRequest {
  project: string;
  continuationToken: string | null;
  /** Only on the first call; the service refuses it together with a continuation token. */
  startDateTime: Date | null;
  fields: string[];
  pageSize: number;
}

/** What the connector asks of Azure DevOps; tests drive the real SDK through it over nock. */
export interface AdoApi {
  /** `GET {project}/_apis/wit/reporting/workitemrevisions` (Reporting Work Item Revisions - Read Reporting Revisions Get). */
  revisions(req: RevisionPageRequest): Promise<unknown>;
  /** `POST {project}/_apis/wit/workitemsbatch`, at most 200 ids, relations expanded, missing ids omitted. */
  workItemsBatch(project: string | null, ids: number[]): Promise<unknown[]>;
  /** `POST {project}/_apis/wit/wiql`: ids only. */
  wiql(project: string, query: string): Promise<unknown>;
  workItemTypes(project: string): Promise<unknown[]>;
  typeCategories(project: string): Promise<unknown[]>;
  teams(project: string, top: number, skip: number): Promise<unknown[]>;
  teamIterations(project: string, team: string): Promise<unknown[]>;
  teamFieldValues(project: string, team: string): Promise<unknown>;
  project(project: string): Promise<unknown>;
  connectionData(): Promise<unknown>;
  updateWorkItem(project: string, id: number, patch: JsonPatchOp[]): Promise<unknown>;
  addComment(project: string, id: number, text: string): Promise<unknown>;
  /** HTTP requests sent so far (location look-ups included). */
  readonly httpRequests: number;
}

/** A typed-rest-client / SDK failure with what we could learn about it; never carries the token. */
export class AdoRequestError extends Error {
  readonly status: number | null;
  readonly code: string | null;
  readonly retryAfterMs: number | null;
  constructor(message: string, details: { status?: number | null; code?: string | null; retryAfterMs?: number | null; cause?: unknown }) {
    super(message, { cause: details.cause });
    this.name = 'AdoRequestError';
    this.status = details.status ?? null;
    this.code = details.code ?? null;
    this.retryAfterMs = details.retryAfterMs ?? null;
  }
}

// Network errors worth another attempt (typed-rest-client surfaces Node's socket error codes).
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND', 'ESOCKETTIMEDOUT', 'UND_ERR_SOCKET']);

/**
 * Maps an SDK failure onto the policy's three kinds. 429 (TF400733) is a rate limit with its
 * `Retry-After`; 5xx and socket errors are transient; 4xx (401 auth, 403 permission, 404, 400 bad
 * WIQL, VS402337 cap) are fatal for this request. See
 * https://learn.microsoft.com/en-us/azure/devops/integrate/concepts/rate-limits
 */
export function classifyAdoError(err: unknown): Classified {
  if (err instanceof AdoRequestError) {
    if (err.status === 429) return { kind: 'rate-limit', retryAfterMs: err.retryAfterMs, status: 429 };
    if (err.status !== null && err.status >= 500) return { kind: 'transient', retryAfterMs: err.retryAfterMs, status: err.status };
    if (err.code && TRANSIENT_CODES.has(err.code)) return { kind: 'transient' };
    return { kind: 'fatal', status: err.status ?? undefined };
  }
  return { kind: 'fatal' };
}

function header(headers: unknown, name: string): string | null {
  if (!headers || typeof headers !== 'object') return null;
  const v = (headers as Record<string, unknown>)[name];
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0] : null;
  return typeof v === 'string' ? v : null;
}

/** Turns whatever the SDK threw into an AdoRequestError with status, code and Retry-After. */
export function toAdoError(err: unknown, what: string): AdoRequestError {
  if (err instanceof AdoRequestError) return err;
  const e = (err ?? {}) as { statusCode?: unknown; code?: unknown; message?: unknown; responseHeaders?: unknown; result?: unknown };
  const status = typeof e.statusCode === 'number' ? e.statusCode : null;
  const code = typeof e.code === 'string' ? e.code : null;
  const retryAfterMs = parseRetryAfter(header(e.responseHeaders, 'retry-after'));
  let message = typeof e.message === 'string' ? e.message : String(err);
  // HTML error pages arrive as the whole page in the message; keep the first line of text only.
  if (/<html|<!doctype/i.test(message)) message = `an HTML page instead of JSON${status ? ` (HTTP ${status})` : ''}`;
  if (message.length > 300) message = message.slice(0, 300) + '…';
  const prefix = status ? `HTTP ${status}` : code ?? 'request failed';
  return new AdoRequestError(`${what}: ${prefix}: ${message}`, { status, code, retryAfterMs, cause: err });
}

/** What azure-devops-node-api attaches to results from the `X-RateLimit-*` headers. */
interface RateLimitHint {
  delay?: number;
  limit?: number;
  remaining?: number;
}

/** Below this share of the TSTU allowance left, requests are spaced out before the service delays them. */
const LOW_REMAINING_SHARE = 0.1;
const LOW_REMAINING_PAUSE_MS = 1000;

/**
 * How long to hold the next request: the delay the service announced (`X-RateLimit-Delay`,
 * seconds), or a short pause when `X-RateLimit-Remaining` runs low, which Azure DevOps sends before
 * it starts delaying (https://learn.microsoft.com/en-us/azure/devops/integrate/concepts/rate-limits).
 */
export function slowDownMs(hint: RateLimitHint | undefined): number {
  if (!hint) return 0;
  if (typeof hint.delay === 'number' && hint.delay > 0) return Math.round(hint.delay * 1000);
  if (typeof hint.remaining === 'number' && typeof hint.limit === 'number' && hint.limit > 0 && hint.remaining < hint.limit * LOW_REMAINING_SHARE) return LOW_REMAINING_PAUSE_MS;
  return 0;
}

/** Counts every HTTP request the SDK sends, then lets the real credential handler sign it. */
class CountingHandler implements IRequestHandler {
  count = 0;
  readonly inner: IRequestHandler;
  constructor(inner: IRequestHandler) {
    this.inner = inner;
  }
  prepareRequest(options: RequestOptions): void {
    this.count++;
    this.inner.prepareRequest(options);
  }
  canHandleAuthentication(response: IHttpClientResponse): boolean {
    return this.inner.canHandleAuthentication(response);
  }
  handleAuthentication(httpClient: IHttpClient, requestInfo: IRequestInfo, objs: unknown): Promise<IHttpClientResponse> {
    return this.inner.handleAuthentication(httpClient, requestInfo, objs);
  }
}

type WitApi = Awaited<ReturnType<azdev.WebApi['getWorkItemTrackingApi']>>;
type WorkApi = Awaited<ReturnType<azdev.WebApi['getWorkApi']>>;
type CoreApi = Awaited<ReturnType<azdev.WebApi['getCoreApi']>>;

export function createAdoApi(config: AzureDevOpsSourceConfig, policy: HttpPolicy): AdoApi {
  const credentials = 'pat' in config.auth ? azdev.getPersonalAccessTokenHandler(config.auth.pat) : azdev.getBearerHandler(config.auth.token);
  const handler = new CountingHandler(credentials);
  // Retries are the policy's job, not typed-rest-client's.
  const conn = new azdev.WebApi(config.orgUrl, handler, { allowRetries: false, socketTimeout: config.timeoutSeconds * 1000, keepAlive: true });
  let wit: Promise<WitApi> | null = null;
  let work: Promise<WorkApi> | null = null;
  let core: Promise<CoreApi> | null = null;
  // A failed discovery is not cached: the next call looks the areas up again.
  const area = <T>(pending: Promise<T>, reset: () => void): Promise<T> =>
    pending.catch((err: unknown) => {
      reset();
      throw err;
    });
  const witApi = (): Promise<WitApi> => area((wit ??= conn.getWorkItemTrackingApi()), () => (wit = null));
  const workApi = (): Promise<WorkApi> => area((work ??= conn.getWorkApi()), () => (work = null));
  const coreApi = (): Promise<CoreApi> => area((core ??= conn.getCoreApi()), () => (core = null));

  /** One logical request under the policy: SDK errors classified, null bodies explained, slow-down hints observed. */
  function call<T>(what: string, fn: () => Promise<T | null | undefined>, onNull: 'error' | 'allow' = 'error'): Promise<T> {
    return policy.execute(async () => {
      let result: T | null | undefined;
      try {
        result = await fn();
      } catch (err) {
        throw toAdoError(err, what);
      }
      if (result === null || result === undefined) {
        if (onNull === 'allow') return result as T;
        // typed-rest-client resolves 404 and non-JSON bodies (HTML sign-in pages, truncated JSON) to null.
        throw new AdoRequestError(`${what}: no JSON in the reply: not found (HTTP 404), an HTML sign-in page, or a truncated body; check orgUrl, the project name and the token`, {
          code: 'NO_JSON',
        });
      }
      const delayMs = slowDownMs((result as { rateLimit?: RateLimitHint }).rateLimit);
      if (delayMs > 0) policy.observe({ delayMs });
      return result;
    });
  }

  return {
    get httpRequests() {
      return handler.count;
    },
    revisions(req) {
      return call(`revisions of ${req.project}`, async () =>
        (await witApi()).readReportingRevisionsGet(
          req.project,
          req.fields,
          undefined,
          req.continuationToken ?? undefined,
          req.startDateTime ?? undefined,
          true, // includeIdentityRef
          true, // includeDeleted
          false,
          false, // every revision: the history comes from them
          undefined,
          false,
          req.pageSize,
        ),
      );
    },
    workItemsBatch(project, ids) {
      // String enum names: the SDK posts the body as-is and the service accepts names.
      const body = { ids, $expand: 'relations', errorPolicy: 'omit' } as unknown as Parameters<WitApi['getWorkItemsBatch']>[0];
      return call(`work items${project ? ` of ${project}` : ''}`, async () => (await witApi()).getWorkItemsBatch(body, project ?? undefined));
    },
    wiql(project, query) {
      return call(`WIQL in ${project}`, async () => (await witApi()).queryByWiql({ query }, { project }));
    },
    workItemTypes(project) {
      return call(`work item types of ${project}`, async () => (await witApi()).getWorkItemTypes(project));
    },
    typeCategories(project) {
      return call(`work item type categories of ${project}`, async () => (await witApi()).getWorkItemTypeCategories(project));
    },
    teams(project, top, skip) {
      return call(`teams of ${project}`, async () => (await coreApi()).getTeams(project, false, top, skip));
    },
    teamIterations(project, team) {
      return call(`iterations of ${project}/${team}`, async () => (await workApi()).getTeamIterations({ project, team }));
    },
    teamFieldValues(project, team) {
      return call(`area paths of ${project}/${team}`, async () => (await workApi()).getTeamFieldValues({ project, team }));
    },
    project(project) {
      return call(`project ${project}`, async () => (await coreApi()).getProject(project, true));
    },
    connectionData() {
      return call('connection data', () => conn.connect());
    },
    updateWorkItem(project, id, patch) {
      return call(`update of work item ${id}`, async () => (await witApi()).updateWorkItem({}, patch, id, project));
    },
    addComment(project, id, text) {
      return call(`comment on work item ${id}`, async () => (await witApi()).addComment({ text }, project, id));
    },
  };
}
