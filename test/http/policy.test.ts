import { describe, expect, it } from 'vitest';
import { BudgetExceededError, ExternalHostError, createHttpPolicy, parseRetryAfter, type Classified } from '../../src/http/policy.ts';
import { silentLogger } from '../../src/util/log.ts';

class HttpFailure extends Error {
  readonly status: number;
  readonly retryAfter: string | null;
  constructor(status: number, retryAfter: string | null = null) {
    super(`HTTP ${status}`);
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

const classify = (err: unknown): Classified => {
  if (!(err instanceof HttpFailure)) return { kind: 'fatal' };
  if (err.status === 429) return { kind: 'rate-limit', retryAfterMs: parseRetryAfter(err.retryAfter), status: 429 };
  if (err.status >= 500) return { kind: 'transient', status: err.status };
  return { kind: 'fatal', status: err.status };
};

function setup(opts: { maxRequests?: number; concurrency?: number } = {}) {
  const sleeps: number[] = [];
  let clock = 0;
  const sleep = async (ms: number) => {
    sleeps.push(ms);
    clock += ms;
  };
  const policy = createHttpPolicy({ name: 'jira', classify, log: silentLogger(), sleep, now: () => clock, random: () => 0.5, ...opts });
  return { policy, sleeps };
}

function failingThen<T>(failures: Error[], value: T): () => Promise<T> {
  return async () => {
    const f = failures.shift();
    if (f) throw f;
    return value;
  };
}

describe('http policy', () => {
  it('waits exactly the Retry-After the host asked for, then succeeds, counting every attempt', async () => {
    const { policy, sleeps } = setup();

    const result = await policy.execute(failingThen([new HttpFailure(429, '7')], 'ok'));

    expect(result).toBe('ok');
    expect(sleeps).toEqual([7000]);
    expect(policy.requests).toBe(2);
    expect(policy.retries).toBe(1);
  });

  it('pauses every request to the host after a 429, not only the one that hit it', async () => {
    const { policy, sleeps } = setup({ concurrency: 1 });

    await policy.execute(failingThen([new HttpFailure(429, '3')], 'a'));
    await policy.execute(async () => 'b');

    expect(sleeps).toEqual([3000]);
  });

  it('slows down early when the host announces a delay', async () => {
    const { policy, sleeps } = setup();

    policy.observe({ delayMs: 1200 });
    await policy.execute(async () => 'x');

    expect(sleeps).toEqual([1200]);
  });

  it('backs off exponentially with jitter on 5xx and gives up as an ExternalHostError', async () => {
    const { policy, sleeps } = setup();
    const always503 = async () => {
      throw new HttpFailure(503);
    };

    await expect(policy.execute(always503)).rejects.toBeInstanceOf(ExternalHostError);

    expect(sleeps).toEqual([375, 750, 1500, 3000]);
    expect(policy.requests).toBe(5);
  });

  it('does not retry fatal errors such as a 401', async () => {
    const { policy, sleeps } = setup();

    await expect(policy.execute(failingThen([new HttpFailure(401)], 'never'))).rejects.toThrow('HTTP 401');

    expect(sleeps).toEqual([]);
    expect(policy.requests).toBe(1);
  });

  it('stops at the request budget with a resumable error', async () => {
    const { policy } = setup({ maxRequests: 2 });

    await policy.execute(async () => 1);
    await policy.execute(async () => 2);

    await expect(policy.execute(async () => 3)).rejects.toBeInstanceOf(BudgetExceededError);
    policy.resetBudget();
    await expect(policy.execute(async () => 4)).resolves.toBe(4);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    const { policy } = setup({ concurrency: 2 });
    let inFlight = 0;
    let peak = 0;
    const task = async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
    };

    await Promise.all(Array.from({ length: 6 }, () => policy.execute(task)));

    expect(peak).toBe(2);
  });

  it.each([
    ['120', 120_000],
    ['0', 0],
    ['Sat, 21 Nov 2026 12:00:30 GMT', 30_000],
    ['soon', null],
    [null, null],
  ])('parses Retry-After %s', (value, expected) => {
    expect(parseRetryAfter(value, Date.parse('2026-11-21T12:00:00Z'))).toBe(expected);
  });
});
