import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, formatPath, formatProblem, sortProblems, type ConfigProblem } from '../../src/config/errors.ts';

function problem(overrides: Partial<ConfigProblem>): ConfigProblem {
  return { file: join(process.cwd(), 'config', 'pmo-bot.yaml'), line: 3, column: 5, path: 'slack.mode', message: 'must be one of: socket, http, console', ...overrides };
}

describe('formatProblem', () => {
  it('shows a file inside the working directory relative to it', () => {
    expect(formatProblem(problem({}))).toBe('config/pmo-bot.yaml:3:5  slack.mode  must be one of: socket, http, console');
  });

  it('keeps a file outside the working directory absolute', () => {
    expect(formatProblem(problem({ file: '/elsewhere/pmo-bot.yaml' }))).toBe('/elsewhere/pmo-bot.yaml:3:5  slack.mode  must be one of: socket, http, console');
  });

  it('names the document root (root)', () => {
    expect(formatProblem(problem({ path: '', message: 'tab used for indentation' }))).toBe('config/pmo-bot.yaml:3:5  (root)  tab used for indentation');
  });
});

describe('formatPath', () => {
  it.each([
    { path: [], text: '' },
    { path: ['sources', 0, 'auth', 'email'], text: 'sources[0].auth.email' },
    { path: ['rules', 'stale-in-progress'], text: 'rules.stale-in-progress' },
    { path: ['slack', 'channels', '#pmo alerts'], text: 'slack.channels["#pmo alerts"]' },
    { path: [2, 'id'], text: '[2].id' },
  ])('renders $text', ({ path, text }) => {
    expect(formatPath(path)).toBe(text);
  });
});

describe('sortProblems', () => {
  it('orders by file (main file first), line and column, dropping duplicates', () => {
    const main = problem({ file: '/c/main.yaml', line: 9 });
    const early = problem({ file: '/c/main.yaml', line: 2 });
    const included = problem({ file: '/c/a-rules.yaml', line: 1 });

    const sorted = sortProblems([main, included, early, { ...main }], ['/c/main.yaml', '/c/a-rules.yaml']);

    expect(sorted).toEqual([early, main, included]);
  });
});

describe('ConfigError', () => {
  it('formats one problem per line', () => {
    const problems = [problem({}), problem({ line: 4, path: 'slack.channels', message: 'missing required key "alerts"' })];

    const error = new ConfigError(problems);

    expect(error.name).toBe('ConfigError');
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.problems).toBe(problems);
    expect(error.message).toBe(
      'config/pmo-bot.yaml:3:5  slack.mode  must be one of: socket, http, console\nconfig/pmo-bot.yaml:4:5  slack.channels  missing required key "alerts"',
    );
  });
});
