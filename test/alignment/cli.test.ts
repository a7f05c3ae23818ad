import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/pmo-bot.js');
const EXAMPLE = join(ROOT, 'config/pmo-bot.example.yaml');

function cli(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args, '--config', EXAMPLE], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '', HOME: cwd, TZ: 'UTC', NO_COLOR: '1' },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Objective {
  id: string;
  title: string;
  share: number;
  points: number;
  items: number;
  health: string;
  progress: { done: number; total: number };
  forecast: { p50: string | null; p85: string | null; p95: string | null; probabilityByTarget: number | null; lowConfidence: boolean; reasons: string[] };
}

describe('alignment, kpis and forecast on the demo portfolio (child processes)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pmo-align-e2e-'));
  beforeAll(() => {
    expect(cli(['sync'], dir).code).toBe(0);
  });

  it('alignment --json keeps the DESIGN.md contract and tells a meaningful story', () => {
    const r = cli(['alignment', '--json'], dir);

    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { window: { from: string; to: string }; objectives: Objective[]; unaligned: { share: number; points: number; items: number } };
    expect(Object.keys(report.window)).toEqual(expect.arrayContaining(['from', 'to']));
    for (const o of report.objectives) {
      expect(Object.keys(o)).toEqual(expect.arrayContaining(['id', 'title', 'share', 'points', 'items', 'progress', 'forecast']));
      expect(Object.keys(o.forecast)).toEqual(expect.arrayContaining(['p50', 'p85', 'p95', 'probabilityByTarget']));
      expect(o.share).toBeGreaterThanOrEqual(0);
      expect(o.share).toBeLessThanOrEqual(1);
    }
    const shares = report.objectives.reduce((s, o) => s + o.share, 0) + report.unaligned.share;
    expect(shares).toBeCloseTo(1, 2);
    expect(report.unaligned.share).toBeGreaterThan(0.02);
    const health = Object.fromEntries(report.objectives.map((o) => [o.id, o.health]));
    expect(Object.values(health).filter((h) => h === 'on-track').length).toBeGreaterThanOrEqual(2);
    expect(Object.values(health).filter((h) => h === 'at-risk')).toHaveLength(1);
    expect(health['O3']).toBe('at-risk');
  });

  it('alignment prints readable tables by default', () => {
    const r = cli(['alignment'], dir);

    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^objective +share +target +drift/m);
    expect(r.stdout).toMatch(/^unaligned +\d+%/m);
    expect(r.stdout).toMatch(/🔴 O3 "Pass the 2027 PCI and SOX audits": \d+% chance by 2027-02-28/);
    expect(r.stdout).toMatch(/^Key results/m);
    expect(r.stdout).toMatch(/^Conflicts \(\d+, \d+ items\):/m);
  });

  it('forecast O3 --json is reproducible run to run and states its throughput sample', () => {
    const a = JSON.parse(cli(['forecast', 'O3', '--json'], dir).stdout) as { objectives: Objective[]; epics: Array<{ objective: string }> };
    const b = JSON.parse(cli(['forecast', 'O3', '--json'], dir).stdout) as { objectives: Objective[] };

    expect(a.objectives.map((o) => o.id)).toEqual(['O3']);
    expect(a.objectives[0]!.forecast).toEqual(b.objectives[0]!.forecast);
    expect(a.objectives[0]!.forecast.p85).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(a.epics.length).toBeGreaterThan(0);
    expect(a.epics.every((e) => e.objective === 'O3')).toBe(true);
  });

  it('forecast with an unknown objective exits 2 and names the configured ones', () => {
    const r = cli(['forecast', 'O9'], dir);

    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown objective "O9"; configured: O1, O2, O3, O4, O5/);
  });

  it('kpis --json records a snapshot: every KPI has a value, a delta and a 12-week trend', () => {
    const r = cli(['kpis', '--json'], dir);

    expect(r.code, r.stderr).toBe(0);
    const k = JSON.parse(r.stdout) as { week: string; overall: Record<string, { value: number | null; delta: number | null; trend: unknown[] }>; teams: unknown[]; capacity: { people: Array<{ key: string; teams: string[]; wip: number }> } };
    expect(Object.keys(k.overall)).toEqual(['throughput', 'throughputPoints', 'cycleTimeP50', 'cycleTimeP85', 'leadTimeP50', 'leadTimeP85', 'predictability', 'onTimeRate', 'blockedShare', 'compliance', 'alignment']);
    expect(k.overall['throughput']!.trend).toHaveLength(12);
    expect(k.overall['throughput']!.delta).not.toBeNull();
    expect(k.teams).toHaveLength(7);
    const oliver = k.capacity.people.find((p) => p.key === 'oliver.grant@acme.example');
    expect(oliver).toMatchObject({ teams: ['Data Platform', 'ERP Migration'], wip: 3 });
    // Ravi's Jira account hides his email: the demo config maps his tool id to it.
    expect(k.capacity.people.map((p) => p.key)).toContain('ravi.menon@acme.example');
  });
});
