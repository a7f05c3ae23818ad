/**
 * What a benchmark case reports from its own child process; the runner adds rates, ratios and
 * verdicts. Cases print exactly one line `BENCH_RESULT <json>` on stdout.
 */
export interface CaseResult {
  name: string;
  n: number;
  seconds: number;
  requests: number | null;
  peakRssMb: number;
  notes?: Record<string, number | string>;
}

export function peakRssMb(): number {
  // resourceUsage().maxRSS is in kilobytes.
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}

export function report(result: CaseResult): void {
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

export function argN(defaultN: number): number {
  const i = process.argv.indexOf('--n');
  const raw = i >= 0 ? process.argv[i + 1] : undefined;
  const n = raw === undefined ? defaultN : Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--n must be a positive integer, got ${raw}`);
  return n;
}
