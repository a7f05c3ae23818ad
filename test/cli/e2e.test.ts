import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/pmo-bot.js');
const EXAMPLE = join(ROOT, 'config/pmo-bot.example.yaml');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI as a newcomer would, in a scratch folder (so ./data lands there). */
function cli(args: string[], cwd: string, env: Record<string, string> = {}): Result {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', HOME: cwd, TZ: 'UTC', NO_COLOR: '1', ...env },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const scratch = () => mkdtempSync(join(tmpdir(), 'pmo-e2e-'));

describe('pmo-bot CLI end to end (child processes)', () => {
  it('run --once on the bundled demo: syncs, evaluates and prints alerts, then exits 0', () => {
    const dir = scratch();

    const r = cli(['run', '--once'], dir);

    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/── #pmo-alerts ─+/);
    expect(r.stdout).toMatch(/pmo-bot · \d+ new findings/);
    expect(r.stdout).toMatch(/🔴 .*\(https:\/\/acme\.atlassian\.net\/browse\/[A-Z]+-\d+\)/);
    expect(r.stdout).toMatch(/pmo-bot cycle finished in [\d.]+s/);
    expect(r.stdout).toMatch(/sync {4}demo \(sample\): \d+ fetched, \d+ stored, 0 removed, 2 quarantined/);
    expect(r.stdout).toMatch(/check {3}\d+ rules over \d+ items: \d+ open findings \(\d+ new, 0 reopened, 0 resolved\)/);
    expect(r.stderr).toMatch(/bundled demo/);
    expect(existsSync(join(dir, 'data/pmo-bot.db'))).toBe(true);
    const written = readdirSync(join(dir, 'data/outbox'));
    expect(written.length).toBeGreaterThan(1);
    const first = JSON.parse(readFileSync(join(dir, 'data/outbox', written[0]!), 'utf8')) as { blocks: Array<{ type: string }> };
    expect(first.blocks[0]?.type).toBe('header');

    const again = cli(['run', '--once'], dir);

    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/check {3}\d+ rules over \d+ items: \d+ open findings \(0 new, 0 reopened, 0 resolved\)/);
    expect(again.stdout).toMatch(/notify {2}0 messages queued/);
  });

  it('check --json prints an array of findings with the contract fields; findings and items agree', () => {
    const dir = scratch();
    expect(cli(['sync', '--config', EXAMPLE], dir).code).toBe(0);

    const r = cli(['check', '--json', '--config', EXAMPLE], dir);

    expect(r.code, r.stderr).toBe(0);
    const findings = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(findings.length).toBeGreaterThan(10);
    for (const key of ['id', 'ruleId', 'category', 'severity', 'subject', 'message', 'evidence', 'owner', 'state', 'firstSeenAt', 'lastSeenAt', 'resolvedAt']) {
      expect(findings[0]).toHaveProperty(key);
    }
    const seen = new Set(findings.map((f) => f['ruleId']));
    for (const id of ['assignee-when-in-progress', 'estimate-required', 'overdue', 'stale-in-progress', 'wip-limit', 'sprint-goal-set', 'auth-needs-security-review']) expect(seen).toContain(id);
    const stored = JSON.parse(cli(['findings', '--state', 'open', '--json', '--config', EXAMPLE], dir).stdout) as unknown[];
    expect(stored).toHaveLength(findings.length);
    const items = JSON.parse(cli(['items', '--json', '--config', EXAMPLE], dir).stdout) as Array<{ key: string }>;
    expect(items.length).toBeGreaterThan(200);
    expect(new Set(items.map((i) => i.key)).size).toBe(items.length);
    const quarantined = JSON.parse(cli(['items', '--quarantined', '--json', '--config', EXAMPLE], dir).stdout) as unknown[];
    expect(quarantined).toHaveLength(2);
  });

  it('sync --json prints per-source counts; a second sync is incremental', () => {
    const dir = scratch();

    const first = cli(['sync', '--json', '--config', EXAMPLE], dir);
    const second = cli(['sync', '--json', '--config', EXAMPLE], dir);

    expect(first.code, first.stderr).toBe(0);
    const [a] = JSON.parse(first.stdout) as Array<Record<string, unknown>>;
    expect(a).toMatchObject({ source: 'demo', quarantined: 2, removed: 0, requests: 0 });
    expect(a?.['fetched']).toBe((a?.['upserted'] as number) + 2);
    const [b] = JSON.parse(second.stdout) as Array<Record<string, unknown>>;
    expect(b).toMatchObject({ source: 'demo', fetched: 0, upserted: 0 });
  });

  it('after a cycle: health per scope, the audit trail as JSON and CSV, and a backtest that agrees with check', () => {
    const dir = scratch();
    expect(cli(['run', '--once', '--config', EXAMPLE], dir).code).toBe(0);

    const health = cli(['health', '--json', '--config', EXAMPLE], dir);
    const audit = cli(['audit', '--json', '--config', EXAMPLE], dir);
    const csv = cli(['audit', '--csv', '--since', '2020-01-01', '--config', EXAMPLE], dir);
    const backtest = cli(['rules', 'backtest', '--weeks', '3', '--json', '--config', EXAMPLE], dir);
    const findings = JSON.parse(cli(['findings', '--json', '--config', EXAMPLE], dir).stdout) as Array<{ state: string }>;

    expect(health.code, health.stderr).toBe(0);
    const rows = JSON.parse(health.stdout) as Array<{ scope: string; subject: string; rag: string; compliance: number; items: number; trend: unknown[] }>;
    expect(new Set(rows.map((r) => r.scope))).toEqual(new Set(['portfolio', 'project', 'team', 'person']));
    expect(rows.find((r) => r.scope === 'portfolio')).toMatchObject({ subject: 'all', items: 360 });
    for (const r of rows) expect(['red', 'amber', 'green']).toContain(r.rag);
    expect(rows[0]!.trend).toHaveLength(8);
    expect(audit.code, audit.stderr).toBe(0);
    const entries = JSON.parse(audit.stdout) as Array<{ type: string; actor: string; after: string | null }>;
    expect(entries.filter((e) => e.type === 'opened')).toHaveLength(findings.length);
    expect(entries.find((e) => e.type === 'waived')).toMatchObject({ actor: 'marcus.silva@contoso.example', after: 'waived' });
    expect(entries.some((e) => e.type === 'prompted')).toBe(true);
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stdout.split('\r\n')[0]).toBe('at,type,actor,reason,findingId,ruleId,subjectKind,subjectKey,project,before,after,data');
    expect(csv.stdout.trim().split('\r\n')).toHaveLength(entries.length + 1);
    expect(backtest.code, backtest.stderr).toBe(0);
    const report = JSON.parse(backtest.stdout) as { weeks: Array<{ items: number; findings: number }>; rules: unknown[] };
    expect(report.weeks).toHaveLength(3);
    // The last week is now: the rules raise what the cycle recorded (waived ones included).
    expect(report.weeks[2]!.findings).toBe(findings.filter((f) => f.state !== 'resolved').length);
    expect(report.weeks[0]!.items).toBeLessThan(report.weeks[2]!.items);
    expect(cli(['audit', '--since', 'last week', '--config', EXAMPLE], dir).code).toBe(2);
    expect(cli(['rules', 'backtest', '--weeks', '0', '--config', EXAMPLE], dir).code).toBe(2);
    expect(cli(['health', '--scope', 'galaxy', '--config', EXAMPLE], dir).code).toBe(2);
  });

  it('config validate on a broken file exits 2 naming the file, line and key, and writes nothing', () => {
    const dir = scratch();
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, ['timezone: UTC', 'sources:', '  - id: demo', '    kind: sample', 'rules:', '  stale-in-progres: warning', 'slack:', '  chanels: { alerts: "#x" }', ''].join('\n'));

    const r = cli(['config', 'validate', '--config', broken], dir);

    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('broken.yaml:6:3  rules.stale-in-progres  unknown rule "stale-in-progres" (did you mean "stale-in-progress"?)');
    expect(r.stderr).toMatch(/broken\.yaml:8:3 {2}slack\.chanels {2}unknown key "chanels" \(did you mean "channels"\?\)/);
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });

  it('a missing environment variable is named with its line, exit 2', () => {
    const dir = scratch();
    const file = join(dir, 'env.yaml');
    writeFileSync(file, ['sources:', '  - { id: demo, kind: sample }', 'slack:', '  botToken: "${SLACK_BOT_TOKEN}"', ''].join('\n'));

    const r = cli(['run', '--once', '--config', file], dir);

    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/env\.yaml:4:13 {2}slack\.botToken {2}environment variable SLACK_BOT_TOKEN is not set/);
  });

  it('config schema prints a JSON Schema; rules list --json has the contract fields', () => {
    const dir = scratch();

    const schema = JSON.parse(cli(['config', 'schema'], dir).stdout) as { properties: Record<string, unknown> };
    const rules = JSON.parse(cli(['rules', 'list', '--json'], dir).stdout) as Array<Record<string, unknown>>;

    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['sources', 'slack', 'rules', 'overrides', 'objectives', 'schedules', 'timezone', 'storage']));
    expect(rules.length).toBeGreaterThanOrEqual(30);
    const builtIn = rules.filter((r) => r['origin'] === 'built-in').map((r) => String(r['id']));
    expect(builtIn.length).toBeGreaterThanOrEqual(30);
    expect(builtIn).toEqual([...builtIn].sort());
    expect(rules.filter((r) => r['origin'] === 'custom').map((r) => r['id'])).toEqual(['auth-needs-security-review', 'big-story-split']);
    expect(rules.find((r) => r['id'] === 'sprint-goal-set')).toEqual({
      id: 'sprint-goal-set',
      category: 'compliance',
      scope: 'sprint',
      defaultSeverity: 'warning',
      presets: ['scrum'],
      description: 'Every running (or planned) sprint states its goal',
      fix: null,
      origin: 'built-in',
    });
    expect(Object.keys(rules[0]!)).toEqual(expect.arrayContaining(['id', 'category', 'scope', 'defaultSeverity', 'presets', 'description']));
  });

  it('usage errors exit 2 with help; --help works on every command', () => {
    const dir = scratch();

    expect(cli(['frobnicate'], dir).code).toBe(2);
    expect(cli(['sync', '--bogus'], dir).code).toBe(2);
    expect(cli(['findings', '--state', 'closed'], dir).code).toBe(2);
    for (const command of ['run', 'sync', 'items', 'check', 'findings', 'config', 'rules']) {
      const help = cli([command, '--help'], dir);
      expect(help.code).toBe(0);
      expect(help.stdout).toMatch(new RegExp(`^Usage: pmo-bot ${command}`));
    }
  }, 120_000);

  it('refuses a file that is not SQLite (exit 1, one line, file untouched)', () => {
    const dir = scratch();
    const file = join(dir, 'cfg.yaml');
    writeFileSync(join(dir, 'notes.db'), 'not a database');
    writeFileSync(file, ['storage: { path: ./notes.db }', 'sources: [ { id: demo, kind: sample } ]', ''].join('\n'));

    const r = cli(['sync', '--config', file], dir);

    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/notes\.db is not a SQLite database/);
    expect(readFileSync(join(dir, 'notes.db'), 'utf8')).toBe('not a database');
  });

  it('the long-running worker holds the store, refuses a second one, and stops cleanly on SIGTERM', async () => {
    const dir = scratch();
    const worker = spawn(process.execPath, [BIN, 'run', '--config', EXAMPLE], {
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '', TZ: 'UTC', NO_COLOR: '1', LOG_LEVEL: 'info' },
    });
    let stderr = '';
    worker.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    worker.stdout.resume();
    await waitFor(() => /Cycle finished/.test(stderr), 60_000);

    const second = cli(['run', '--once', '--config', EXAMPLE], dir);
    const exit = new Promise<number | null>((r) => worker.on('exit', (code) => r(code)));
    worker.kill('SIGTERM');

    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/in use by another pmo-bot process \(pid \d+/);
    expect(await exit).toBe(0);
    expect(stderr).toMatch(/Stopped/);
    expect(existsSync(join(dir, 'data/pmo-bot.db.lock'))).toBe(false);
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the worker');
    await new Promise((r) => setTimeout(r, 100));
  }
}
