import { PmoError } from '../util/errors.ts';
import type { Logger } from '../util/log.ts';

/**
 * The one retry and rate-limit policy for every outbound call a connector makes, whatever SDK makes
 * it: a request budget per sync, a concurrency limit, `Retry-After` honoured, exponential backoff
 * with jitter on transient failures, and an early slow-down when a host says it is close to its
 * limit. Connectors classify their SDK's errors; they never write their own sleep loops.
 */

export type FailureKind = 'rate-limit' | 'transient' | 'fatal';

export interface Classified {
  kind: FailureKind;
  /** From `Retry-After` (seconds or HTTP-date) when the host sent one. */
  retryAfterMs?: number | null | undefined;
  status?: number | undefined;
}

export interface HttpPolicyOptions {
  /** Label for logs and errors, e.g. the source id. */
  name: string;
  /** Most requests one sync may make; the sync stops cleanly (and resumes next time) past it. */
  maxRequests?: number;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Attempts per request, the first included. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Longest `Retry-After` honoured before the failure is given up as an outage. */
  maxRetryAfterMs?: number;
  classify: (err: unknown) => Classified;
  log: Logger;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

/** An upstream failure the scheduler treats as "retry next tick", never a crash. */
export class ExternalHostError extends PmoError {
  readonly status: number | null;
  readonly kind: FailureKind;
  constructor(message: string, details: { status?: number | undefined; kind: FailureKind; cause?: unknown }) {
    super('EXTERNAL_HOST', message, { cause: details.cause });
    this.name = 'ExternalHostError';
    this.status = details.status ?? null;
    this.kind = details.kind;
  }
}

export class BudgetExceededError extends PmoError {
  constructor(name: string, max: number) {
    super('EXTERNAL_HOST', `${name}: request budget of ${max} requests for this sync is spent; the sync resumes from here next time`);
    this.name = 'BudgetExceededError';
  }
}

export interface HttpPolicy {
  /** Runs one logical request under the policy (retries count as requests). */
  execute<T>(fn: () => Promise<T>): Promise<T>;
  /** Hosts that announce their remaining quota (Azure DevOps `X-RateLimit-Delay`) slow us down early. */
  observe(hint: { delayMs?: number | null | undefined }): void;
  readonly requests: number;
  readonly retries: number;
  /** Starts a new budget period (one sync). */
  resetBudget(): void;
}

export function createHttpPolicy(options: HttpPolicyOptions): HttpPolicy {
  const maxRequests = options.maxRequests ?? Number.POSITIVE_INFINITY;
  const maxAttempts = options.maxAttempts ?? 5;
  const baseDelay = options.baseDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 30_000;
  const maxRetryAfter = options.maxRetryAfterMs ?? 5 * 60_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const limit = limiter(options.concurrency ?? 4);
  let requests = 0;
  let retries = 0;
  let pauseUntil = 0;

  const waitForPause = async (): Promise<void> => {
    const wait = pauseUntil - now();
    if (wait > 0) await sleep(wait);
  };

  return {
    get requests() {
      return requests;
    },
    get retries() {
      return retries;
    },
    resetBudget() {
      requests = 0;
      retries = 0;
    },
    observe(hint) {
      if (hint.delayMs && hint.delayMs > 0) pauseUntil = Math.max(pauseUntil, now() + Math.min(hint.delayMs, maxDelay));
    },
    execute<T>(fn: () => Promise<T>): Promise<T> {
      return limit(async () => {
        for (let attempt = 1; ; attempt++) {
          if (requests >= maxRequests) throw new BudgetExceededError(options.name, maxRequests);
          await waitForPause();
          requests++;
          try {
            return await fn();
          } catch (err) {
            const c = options.classify(err);
            const message = err instanceof Error ? err.message : String(err);
            if (c.kind === 'fatal') throw err;
            if (attempt >= maxAttempts || (c.retryAfterMs ?? 0) > maxRetryAfter) {
              throw new ExternalHostError(`${options.name}: ${message} (gave up after ${attempt} attempts)`, { status: c.status, kind: c.kind, cause: err });
            }
            const backoff = Math.min(maxDelay, baseDelay * 2 ** (attempt - 1));
            const delay = c.retryAfterMs != null ? c.retryAfterMs : Math.round(backoff / 2 + random() * (backoff / 2));
            retries++;
            options.log.warn({ source: options.name, attempt, status: c.status, retryInMs: delay, kind: c.kind }, 'Request failed; retrying');
            // A rate limit pauses every request to the host; a transient failure only this one.
            if (c.kind === 'rate-limit') pauseUntil = Math.max(pauseUntil, now() + delay);
            else await sleep(delay);
          }
        }
      });
    },
  };
}

/** Parses `Retry-After`: delta-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

function limiter(concurrency: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: Array<() => void> = [];
  const next = (): void => {
    active--;
    queue.shift()?.();
  };
  return <T>(fn: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const start = (): void => {
        active++;
        fn().then(resolve, reject).finally(next);
      };
      if (active < concurrency) start();
      else queue.push(start);
    });
}
