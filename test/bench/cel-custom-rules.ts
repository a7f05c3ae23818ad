import { generatePages } from '../../connectors/sample/generate.ts';
import { compileCustomRules, type CustomRuleConfig } from '../../src/cel/custom-rule.ts';
import type { RuleContext } from '../../src/engine/rule.ts';
import { WorkItem } from '../../src/model/work-item.ts';
import { BENCH_NOW, benchConfig } from './cases/rules-setup.ts';

/**
 * CPU cost of the bench's ten custom CEL rules alone: `node test/bench/cel-custom-rules.ts [N]`
 * judges N demo items (default 100,000) with every rule, three rounds, and prints the CPU seconds
 * of each round (items are generated first and not counted).
 */

const n = Number(process.argv[2] ?? 100_000);
const config = benchConfig(':memory:');
const items: WorkItem[] = [];
for (const page of generatePages({ source: 'demo', size: n, seed: 42, now: new Date(BENCH_NOW) }, 0, 5000)) {
  for (const raw of page.items) items.push(WorkItem.parse(raw));
}
const classes = items.map((i) => (i.labels.includes('customer-reported') && i.typeCategory === 'bug' ? ['customer-bug'] : []));

let reports = 0;
const ctx = {
  options: {},
  severity: 'warning',
  now: new Date(BENCH_NOW),
  timezone: config.timezone,
  lookup: undefined,
  objectives: [],
  report: () => reports++,
  recheckAt: () => {},
} as unknown as RuleContext<Record<string, never>>;

const rounds: number[] = [];
for (let round = 0; round < 3; round++) {
  const visitors = compileCustomRules(config.custom as CustomRuleConfig[]).map((rule) => rule.create(ctx as never));
  reports = 0;
  const start = process.cpuUsage();
  for (let i = 0; i < items.length; i++) for (const v of visitors) v.item!(items[i]!, classes[i]!);
  const used = process.cpuUsage(start);
  rounds.push((used.user + used.system) / 1e6);
}
console.log(`custom rules: ${config.custom.length} rules x ${items.length} items, findings ${reports}, CPU s per round: ${rounds.map((s) => s.toFixed(2)).join(' ')}`);
