import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CaseResult } from './harness.ts';

/**
 * `npm run bench [-- --json] [--only NAME] [--scale F]`: each benchmark runs in its own child
 * process, so peak RSS is that benchmark's alone. Targets are checked here, never in unit tests.
 */
interface Target {
  maxSeconds?: number;
  minPerSecond?: number;
  maxPeakRssMb?: number;
  maxBaselineRatio?: number;
}

interface BenchCase {
  name: string;
  file: string;
  n: number;
  target: Target;
  /** The case whose time this one is compared against (`baselineRatio`). */
  baseline?: string;
  /** Extra arguments for the case script. */
  args?: string[];
}

export interface BenchRow {
  name: string;
  n: number;
  seconds: number;
  perSecond: number;
  peakRssMb: number;
  requests: number | null;
  baselineRatio: number | null;
  target: string;
  pass: boolean;
  notes?: Record<string, number | string>;
}

const CASES: BenchCase[] = [
  { name: 'demo-generate', file: 'cases/demo-generate.ts', n: 100_000, target: { minPerSecond: 50_000, maxPeakRssMb: 300 } },
  { name: 'run-once', file: 'cases/run-once.ts', n: 100_000, target: { maxSeconds: 30, maxPeakRssMb: 1024 }, baseline: 'demo-generate' },
  // Azure DevOps against a loopback fake server (its own process): raw fetch + parse + insert, then the connector.
  { name: 'ado-baseline', file: 'cases/ado-baseline.ts', n: 100_000, target: { maxPeakRssMb: 400 } },
  { name: 'ado-sync', file: 'cases/ado-sync.ts', n: 100_000, target: { maxBaselineRatio: 1.5, maxPeakRssMb: 400 }, baseline: 'ado-baseline' },
  { name: 'jira-baseline', file: 'cases/jira-baseline.ts', n: 100_000, target: {} },
  { name: 'jira-sync', file: 'cases/jira-sync.ts', n: 100_000, target: { maxPeakRssMb: 400, maxBaselineRatio: 1.5 }, baseline: 'jira-baseline' },
  // 10,000 new findings, 200 channels, 2,000 people: time to build every message (delivery is paced separately).
  { name: 'slack-notify', file: 'cases/slack-notify.ts', n: 10_000, target: { maxSeconds: 2, maxPeakRssMb: 400 } },
  { name: 'alignment-100k', file: 'cases/alignment-report.ts', n: 100_000, target: { maxSeconds: 3, maxPeakRssMb: 500 } },
  { name: 'alignment-1m', file: 'cases/alignment-report.ts', n: 1_000_000, target: { maxSeconds: 30 } },
  // Rule engine: recommended preset + 10 custom CEL rules (issue #5 targets: 1M < 15 s and < 1.5 GB;
  // re-evaluation after 1% changed < 10% of a full one).
  { name: 'rules-100k', file: 'cases/rules-evaluate.ts', args: ['--mode', 'full'], n: 100_000, target: { maxSeconds: 1.5, maxPeakRssMb: 1536 } },
  { name: 'rules-100k-incremental', file: 'cases/rules-evaluate.ts', args: ['--mode', 'incremental'], n: 100_000, target: { maxBaselineRatio: 0.1 }, baseline: 'rules-100k' },
  { name: 'rules-1m', file: 'cases/rules-evaluate.ts', args: ['--mode', 'full'], n: 1_000_000, target: { maxSeconds: 15, maxPeakRssMb: 1536 } },
  // What a full run cannot beat on this machine: the item pass alone and writing its findings alone (no target: a reference for rules-1m).
  { name: 'rules-1m-floor', file: 'cases/rules-floor.ts', n: 1_000_000, target: {} },
  { name: 'rules-1m-incremental', file: 'cases/rules-evaluate.ts', args: ['--mode', 'incremental'], n: 1_000_000, target: { maxBaselineRatio: 0.1, maxPeakRssMb: 1536 }, baseline: 'rules-1m' },
];

/** The V8 flags bin/pmo-bot.js (its shebang) and the Docker image (NODE_OPTIONS) run the product with. */
const NODE_FLAGS = ['--max-semi-space-size=16'];

function runCase(c: BenchCase, n: number): Promise<CaseResult> {
  return new Promise((resolve, reject) => {
    const file = fileURLToPath(new URL(c.file, import.meta.url));
    const child = spawn(process.execPath, [...NODE_FLAGS, file, '--n', String(n), ...(c.args ?? [])], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, LOG_LEVEL: 'silent' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
      if (code !== 0 || !line) return reject(new Error(`benchmark ${c.name} exited ${code}\n${out}`));
      resolve(JSON.parse(line.slice('BENCH_RESULT '.length)) as CaseResult);
    });
  });
}

function describeTarget(t: Target): string {
  const parts: string[] = [];
  if (t.maxSeconds !== undefined) parts.push(`≤${t.maxSeconds}s`);
  if (t.minPerSecond !== undefined) parts.push(`≥${t.minPerSecond}/s`);
  if (t.maxPeakRssMb !== undefined) parts.push(`≤${t.maxPeakRssMb}MB`);
  if (t.maxBaselineRatio !== undefined) parts.push(`ratio≤${t.maxBaselineRatio}`);
  return parts.join(', ');
}

function meets(t: Target, row: Omit<BenchRow, 'pass' | 'target'>): boolean {
  return (
    (t.maxSeconds === undefined || row.seconds <= t.maxSeconds) &&
    (t.minPerSecond === undefined || row.perSecond >= t.minPerSecond) &&
    (t.maxPeakRssMb === undefined || row.peakRssMb <= t.maxPeakRssMb) &&
    (t.maxBaselineRatio === undefined || (row.baselineRatio !== null && row.baselineRatio <= t.maxBaselineRatio))
  );
}

function pad(s: string, n: number): string {
  return s + ' '.repeat(Math.max(0, n - s.length));
}

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? argv[onlyAt + 1]?.split(',') : undefined;
  const scaleAt = argv.indexOf('--scale');
  const scale = scaleAt >= 0 ? Number(argv[scaleAt + 1]) : 1;
  const rows: BenchRow[] = [];
  const byName = new Map<string, BenchRow>();
  for (const c of CASES) {
    if (only && !only.includes(c.name)) continue;
    const n = Math.max(1, Math.round(c.n * scale));
    if (!json) process.stderr.write(`bench: ${c.name} (n=${n}) …\n`);
    const r = await runCase(c, n);
    const base = c.baseline ? byName.get(c.baseline) : undefined;
    const partial = {
      name: r.name,
      n: r.n,
      seconds: Number(r.seconds.toFixed(3)),
      perSecond: Math.round(r.n / r.seconds),
      peakRssMb: r.peakRssMb,
      requests: r.requests,
      baselineRatio: base ? Number((r.seconds / base.seconds).toFixed(2)) : null,
      ...(r.notes ? { notes: r.notes } : {}),
    };
    const row: BenchRow = { ...partial, target: describeTarget(c.target), pass: meets(c.target, partial) };
    rows.push(row);
    // By case name: with --scale a row is named after its scaled size (rules-10k), its baseline is not.
    byName.set(c.name, row);
  }
  if (json) {
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
  } else {
    const header = ['name', 'n', 'seconds', 'per second', 'peak RSS MB', 'requests', 'vs baseline', 'target', 'pass'];
    const cells = rows.map((r) => [r.name, String(r.n), r.seconds.toFixed(2), String(r.perSecond), r.peakRssMb.toFixed(0), r.requests === null ? '—' : String(r.requests), r.baselineRatio === null ? '—' : `${r.baselineRatio}×`, r.target, r.pass ? 'yes' : 'NO']);
    const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
    for (const line of [header, ...cells]) process.stdout.write(line.map((c, i) => pad(c, widths[i] ?? 0)).join('  ') + '\n');
    for (const r of rows) if (r.notes) process.stdout.write(`  ${r.name}: ${Object.entries(r.notes).map(([k, v]) => `${k}=${v}`).join(' ')}\n`);
  }
  return rows.every((r) => r.pass) ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
