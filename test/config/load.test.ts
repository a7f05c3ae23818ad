import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, formatProblem, type ConfigProblem } from '../../src/config/errors.ts';
import { loadConfig, type LoadOptions } from '../../src/config/load.ts';
import { StandInConfig } from './stand-in-schema.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/config/', import.meta.url));

function fixture(name: string): string {
  return join(FIXTURES, name);
}

type Options = Partial<LoadOptions<StandInConfig>>;

function load(name: string, options: Options = {}) {
  return loadConfig(fixture(name), { schema: StandInConfig, env: {}, ...options });
}

/** The problems loading `name` throws, with files relative to the fixtures folder. */
function problemsOf(name: string, options: Options = {}): ConfigProblem[] {
  try {
    load(name, options);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map((p) => ({ ...p, file: relative(FIXTURES, p.file) }));
  }
  throw new Error(`${name} loaded without problems`);
}

const JIRA_ENV = { JIRA_EMAIL: 'pmo@acme.example', JIRA_API_TOKEN: 'jira-token-123' };

describe('loadConfig with a valid file', () => {
  it('returns the parsed value, the files read and the interpolated secrets', () => {
    const config = load('valid/pmo-bot.yaml', { env: JIRA_ENV });

    expect(config.value.timezone).toBe('Europe/Berlin');
    expect(config.value.sources.map((s) => s.id)).toEqual(['acme-jira', 'demo']);
    expect(config.value.sources[0]).toMatchObject({ auth: { email: 'pmo@acme.example', apiToken: 'jira-token-123' } });
    expect(config.value.slack.mode).toBe('console');
    expect(config.value.storage).toEqual({ path: './data/pmo-bot.db' });
    expect(config.value.objectives[0]?.title).toBe('Grow self-serve revenue (${NOT_EXPANDED})');
    expect(config.files).toEqual([fixture('valid/pmo-bot.yaml')]);
    expect(config.interpolatedSecrets).toEqual(['pmo@acme.example', 'jira-token-123']);
  });

  it.each([
    { path: ['sources', 1], line: 10, column: 5 },
    { path: ['sources', 1, 'id'], line: 10, column: 11 },
    { path: ['sources', 0, 'auth', 'apiToken'], line: 7, column: 47 },
    { path: ['slack', 'channels'], line: 13, column: 3 },
    { path: ['slack'], line: 11, column: 1 },
    // not written in the file: the nearest ancestor that is
    { path: ['slack', 'channels', 'nope', 'deeper'], line: 13, column: 3 },
  ])('locates $path at line $line', ({ path, line, column }) => {
    const config = load('valid/pmo-bot.yaml', { env: JIRA_ENV });

    const where = config.locate(path);

    expect(where).toEqual({ file: fixture('valid/pmo-bot.yaml'), line, column });
  });

  it('places refine() problems at the node their path names', () => {
    const refine = () => [
      { path: ['sources', 1, 'id'], message: 'duplicate source id "demo"' },
      { path: ['slack', 'channels', 'escalation'], message: 'no escalation channel' },
    ];

    const problems = problemsOf('valid/pmo-bot.yaml', { env: JIRA_ENV, refine });

    expect(problems).toEqual([
      { file: 'valid/pmo-bot.yaml', line: 10, column: 11, path: 'sources[1].id', message: 'duplicate source id "demo"' },
      { file: 'valid/pmo-bot.yaml', line: 13, column: 3, path: 'slack.channels.escalation', message: 'no escalation channel' },
    ]);
  });
});

describe('loadConfig with malformed YAML', () => {
  it('reports an unclosed quote where the string starts', () => {
    const problems = problemsOf('unclosed-quote.yaml');

    expect(problems).toEqual([
      { file: 'unclosed-quote.yaml', line: 4, column: 23, path: 'slack.channels.alerts', message: 'unclosed quoted string: missing the closing "' },
    ]);
  });

  it('reports bad indentation at the offending line', () => {
    const problems = problemsOf('bad-indent.yaml');

    expect(problems).toEqual([
      { file: 'bad-indent.yaml', line: 5, column: 1, path: 'slack.mode', message: 'all mapping items must start at the same column' },
    ]);
  });

  it('reports every syntax problem: a duplicate key and a tab', () => {
    const problems = problemsOf('tab-and-duplicate.yaml');

    expect(problems).toEqual([
      { file: 'tab-and-duplicate.yaml', line: 6, column: 3, path: 'slack.mode', message: 'duplicate key "mode" (a key may appear only once in a mapping)' },
      { file: 'tab-and-duplicate.yaml', line: 8, column: 1, path: '', message: 'tab used for indentation (YAML indentation must use spaces)' },
    ]);
  });

  it('follows anchors and aliases', () => {
    const config = load('anchors.yaml');

    expect(config.value.slack.routes).toEqual([{ match: { project: 'PAY' }, channel: '#pmo' }]);
  });

  it('reports an alias inside the collection it names instead of recursing forever', () => {
    const problems = problemsOf('alias-loop.yaml');

    expect(problems).toEqual([
      { file: 'alias-loop.yaml', line: 5, column: 5, path: 'loop[1]', message: 'alias refers to a collection that contains it: *loop' },
    ]);
  });

  it('reports a missing main file at its first line', () => {
    const problems = problemsOf('does-not-exist.yaml');

    expect(problems).toEqual([
      { file: 'does-not-exist.yaml', line: 1, column: 1, path: '', message: 'cannot read the config file: file not found' },
    ]);
  });
});

describe('loadConfig with schema problems', () => {
  it('names the line and path of a wrong type', () => {
    const problems = problemsOf('wrong-type.yaml');

    expect(problems).toEqual([
      { file: 'wrong-type.yaml', line: 9, column: 13, path: 'rules.stale-in-progress[1].days', message: 'expected a number, got "five"' },
    ]);
  });

  it('points at each unknown key, deep in arrays too, with a did-you-mean', () => {
    const problems = problemsOf('unknown-keys.yaml');

    expect(problems).toEqual([
      { file: 'unknown-keys.yaml', line: 7, column: 7, path: 'sources[0].auth.apiTokn', message: 'unknown key "apiTokn" (did you mean "apiToken"?)' },
      { file: 'unknown-keys.yaml', line: 9, column: 31, path: 'sources[1].colour', message: 'unknown key "colour" (expected one of: id, kind, since)' },
      { file: 'unknown-keys.yaml', line: 11, column: 3, path: 'slack.chanels', message: 'unknown key "chanels" (did you mean "channels"?)' },
      { file: 'unknown-keys.yaml', line: 12, column: 1, path: 'timezon', message: 'unknown key "timezon" (did you mean "timezone"?)' },
    ]);
  });

  it('explains a bad discriminator, a missing key, an enum and a union of forms, all at once', () => {
    const problems = problemsOf('bad-union.yaml');

    expect(problems).toEqual([
      { file: 'bad-union.yaml', line: 3, column: 11, path: 'sources[0].kind', message: 'kind must be one of: jira, azure-devops, sample (got "jirra"; did you mean "jira"?)' },
      { file: 'bad-union.yaml', line: 5, column: 5, path: 'sources[1]', message: 'missing required key "kind" (one of: jira, azure-devops, sample)' },
      { file: 'bad-union.yaml', line: 6, column: 5, path: 'sources[2]', message: 'missing required key "id"' },
      { file: 'bad-union.yaml', line: 7, column: 5, path: 'sources[3]', message: 'missing required key "kind" (one of: jira, azure-devops, sample; found "knd", a typo?)' },
      { file: 'bad-union.yaml', line: 9, column: 9, path: 'slack.mode', message: 'must be one of: socket, http, console (got "sockets"; did you mean "socket"?)' },
      { file: 'bad-union.yaml', line: 12, column: 22, path: 'rules.estimate-required', message: 'must be one of: off, info, warning, critical, a list (got "warn"; did you mean "warning"?)' },
    ]);
  });

  it('reports issues that a schema refinement adds, with their own messages', () => {
    const problems = problemsOf('rule-options.yaml');

    expect(problems).toEqual([
      { file: 'rule-options.yaml', line: 4, column: 38, path: 'rules.wip-limit[1].perPerson', message: 'must be at least 1 (got 0)' },
      { file: 'rule-options.yaml', line: 5, column: 21, path: 'rules.stale-in-progres', message: 'unknown rule "stale-in-progres" (did you mean "stale-in-progress"?)' },
    ]);
  });
});

describe('loadConfig with ${VAR} interpolation', () => {
  it('names every missing variable at the line that uses it', () => {
    const env = { ...JIRA_ENV, JIRA_URL: 'https://acme.atlassian.net', SLACK_TEAM: '' };

    const problems = problemsOf('missing-env.yaml', { env });

    expect(problems).toEqual([
      { file: 'missing-env.yaml', line: 10, column: 13, path: 'slack.botToken', message: 'environment variable SLACK_TEAM is empty (use ${SLACK_TEAM:-default} for a fallback)' },
      { file: 'missing-env.yaml', line: 10, column: 13, path: 'slack.botToken', message: 'environment variable SLACK_SECRET is not set (use ${SLACK_SECRET:-default} for a fallback)' },
    ]);
  });

  it('reports missing variables without knock-on schema problems', () => {
    const problems = problemsOf('env-values.yaml');

    expect(problems).toEqual([
      { file: 'env-values.yaml', line: 7, column: 13, path: 'slack.channels.alerts', message: 'environment variable ALERTS_CHANNEL is not set (use ${ALERTS_CHANNEL:-default} for a fallback)' },
      { file: 'env-values.yaml', line: 10, column: 9, path: 'storage.path', message: 'environment variable DATA_DIR is not set (use ${DATA_DIR:-default} for a fallback)' },
    ]);
  });

  it('applies ${VAR:-default} when VAR is unset or empty, and keeps $${X} literal', () => {
    const env = { ALERTS_CHANNEL: '#from-env', DATA_DIR: '/var/lib/pmo', SLACK_MODE: '' };

    const config = load('env-values.yaml', { env });

    expect(config.value.slack).toEqual({
      mode: 'console',
      botToken: '',
      channels: { alerts: '#from-env', digest: '${DIGEST} costs $5 and EUR' },
      routes: [],
    });
    expect(config.value.storage.path).toBe('/var/lib/pmo/pmo-bot.db');
    expect(config.interpolatedSecrets).toEqual(['#from-env', '/var/lib/pmo']);
  });

  it('never echoes an interpolated value in a problem', () => {
    const env = { ...JIRA_ENV, JIRA_URL: 'not-a-url-s3cr3t', SLACK_TEAM: 't', SLACK_SECRET: 's' };

    const problems = problemsOf('missing-env.yaml', { env });

    expect(problems).toEqual([
      { file: 'missing-env.yaml', line: 4, column: 14, path: 'sources[0].baseUrl', message: 'must be a valid URL (got a value from the environment)' },
    ]);
  });
});

describe('loadConfig with include', () => {
  it('concatenates lists and fills in mappings, the including file winning', () => {
    const config = load('include/main.yaml');

    expect(config.value.sources.map((s) => s.id)).toEqual(['demo', 'demo-2', 'demo-3']);
    expect(config.value.timezone).toBe('Europe/Berlin');
    expect(config.value.slack).toEqual({ mode: 'console', channels: { alerts: '#pmo-alerts' }, routes: [] });
    expect(config.value.rules).toEqual({ 'estimate-required': 'warning', 'wip-limit': 'critical' });
    expect(config.value.objectives.map((o) => o.id)).toEqual(['O1']);
    expect(config.files).toEqual(['main.yaml', 'sources.yaml', 'rules.yaml', 'objectives.yaml'].map((f) => fixture(`include/${f}`)));
  });

  it.each([
    { path: ['sources', 0], file: 'main.yaml', line: 4, column: 5 },
    { path: ['sources', 2], file: 'sources.yaml', line: 4, column: 5 },
    { path: ['slack', 'mode'], file: 'main.yaml', line: 6, column: 9 },
    { path: ['slack', 'channels'], file: 'sources.yaml', line: 7, column: 3 },
    { path: ['rules', 'wip-limit'], file: 'rules.yaml', line: 4, column: 14 },
    { path: ['objectives', 0, 'title'], file: 'objectives.yaml', line: 3, column: 12 },
  ])('locates $path in $file', ({ path, file, line, column }) => {
    const config = load('include/main.yaml');

    expect(config.locate(path)).toEqual({ file: fixture(`include/${file}`), line, column });
  });

  it('reports a problem inside an included file with that file and line', () => {
    const problems = problemsOf('include/invalid-main.yaml');

    expect(problems).toEqual([
      { file: 'include/invalid-objectives.yaml', line: 4, column: 17, path: 'objectives[0].targetDate', message: 'must be a date such as 2025-01-31 (got "2027-13-45")' },
      { file: 'include/invalid-objectives.yaml', line: 5, column: 14, path: 'objectives[0].match.label', message: 'unknown key "label" (did you mean "labels"?)' },
    ]);
  });

  it('reports a missing include at its entry', () => {
    const problems = problemsOf('include/broken-main.yaml');

    expect(problems).toEqual([
      { file: 'include/broken-main.yaml', line: 3, column: 5, path: 'include[1]', message: 'cannot read included file "not-there.yaml": file not found' },
    ]);
  });

  it('refuses to merge a list with a mapping', () => {
    const problems = problemsOf('include/mismatch-main.yaml');

    expect(problems).toEqual([
      { file: 'include/mismatch-sources.yaml', line: 1, column: 1, path: 'sources', message: 'cannot merge "sources": a mapping here, a list in mismatch-main.yaml' },
    ]);
  });

  it('reports an include cycle at the entry that closes it', () => {
    const problems = problemsOf('cycle/a.yaml');

    expect(problems).toEqual([
      { file: 'cycle/b.yaml', line: 4, column: 5, path: 'include[0]', message: 'include cycle: a.yaml -> b.yaml -> a.yaml' },
    ]);
  });
});

describe('ConfigError', () => {
  it('carries a stable code and lists every problem in its message, one per line', () => {
    let caught: unknown;

    try {
      load('unknown-keys.yaml');
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as ConfigError;
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.problems).toHaveLength(4);
    expect(error.message).toBe(error.problems.map(formatProblem).join('\n'));
    expect(error.message.split('\n')[0]).toBe(
      `${relative(process.cwd(), fixture('unknown-keys.yaml'))}:7:7  sources[0].auth.apiTokn  unknown key "apiTokn" (did you mean "apiToken"?)`,
    );
  });
});
