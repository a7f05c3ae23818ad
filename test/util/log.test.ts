import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/util/log.ts';

function capture(options: Parameters<typeof createLogger>[0] = {}) {
  const lines: string[] = [];
  const log = createLogger({ format: 'json', write: (l) => lines.push(l), ...options });
  return { log, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('logger', () => {
  it('never prints a known secret, wherever it appears', () => {
    const { log, lines } = capture({ secrets: ['xoxb-1234-secret'] });

    log.error({ url: 'https://slack.com/api?token=xoxb-1234-secret', nested: { note: 'xoxb-1234-secret' } }, 'Failed with xoxb-1234-secret');
    log.error({ error: new Error('auth xoxb-1234-secret rejected') }, 'Boom');

    expect(lines.join('\n')).not.toContain('xoxb-1234-secret');
    expect(lines.join('\n')).toContain('[redacted]');
  });

  it('redacts token-like keys even when the value is not a known secret', () => {
    const { log, parsed } = capture();

    log.warn({ apiToken: 'abc', authorization: 'Basic Zm9v', source: 'jira', pat: 'p' }, 'Request');

    expect(parsed()[0]).toMatchObject({ level: 'warn', msg: 'Request', apiToken: '[redacted]', authorization: '[redacted]', pat: '[redacted]', source: 'jira' });
  });

  it('knows a personal access token by its whole name, not by a "pat" inside another word', () => {
    const { log, parsed } = capture();

    log.warn({ adoPat: 'a', ado_pat: 'b', PAT: 'c', path: './data/pmo-bot.db', pattern: 'x*', compat: 'v2' }, 'Keys');

    expect(parsed()[0]).toMatchObject({ adoPat: '[redacted]', ado_pat: '[redacted]', PAT: '[redacted]', path: './data/pmo-bot.db', pattern: 'x*', compat: 'v2' });
  });

  it('filters by level and carries child bindings', () => {
    const { log, parsed } = capture({ level: 'warn' });

    log.child({ source: 'demo' }).info('hidden');
    log.child({ source: 'demo' }).warn({ item: 'PAY-1' }, 'Quarantined');

    expect(parsed()).toEqual([expect.objectContaining({ level: 'warn', msg: 'Quarantined', source: 'demo', item: 'PAY-1' })]);
  });
});
