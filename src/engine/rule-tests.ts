import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, sortProblems, type ConfigProblem } from '../config/errors.ts';
import { issuesToProblems } from '../config/issues.ts';
import { toPlain } from '../config/located.ts';
import { parseYaml } from '../config/yaml-source.ts';
import { SEVERITIES } from '../model/finding.ts';
import { Sprint, WorkItem } from '../model/work-item.ts';
import { openStore } from '../store/index.ts';
import { fixedClock } from '../util/clock.ts';
import { silentLogger } from '../util/log.ts';
import { evaluate } from './evaluate.ts';
import type { RuleSetup } from './setup.ts';

/**
 * `pmo-bot rules test [DIR]`: admin-written cases kept next to the config, run like unit tests.
 * Each YAML file holds `cases:`; a case gives items (only the fields it is about; the rest get
 * defaults), optionally sprints and `now`, and the findings it expects. Only the rules the case
 * names (in `expect` or `rules`) are compared, so other rules of the config do not get in the way.
 */

const Expected = z.strictObject({
  rule: z.string().min(1),
  subject: z.string().min(1).describe('native item key (PAY-1), sprint id, person email or project key as reported'),
  severity: z.enum(SEVERITIES).optional(),
  message: z.string().optional().describe('text the message must contain'),
});

const Case = z.strictObject({
  name: z.string().min(1),
  now: z.iso.datetime({ offset: true }).optional(),
  rules: z.array(z.string().min(1)).optional().describe('rules this case is about (besides those in expect)'),
  items: z.array(z.record(z.string(), z.unknown())).default([]),
  sprints: z.array(z.record(z.string(), z.unknown())).default([]),
  expect: z.array(Expected).default([]),
});

export const RuleTestFile = z.strictObject({
  now: z.iso.datetime({ offset: true }).optional().describe('"now" for every case that sets none'),
  timezone: z.string().optional(),
  cases: z.array(Case).min(1),
});

export interface CaseResult {
  file: string;
  name: string;
  pass: boolean;
  missing: Array<z.infer<typeof Expected>>;
  unexpected: Array<{ rule: string; subject: string; severity: string; message: string }>;
  /** Problems with the case itself (invalid items, no rules named). */
  errors: string[];
}

const SOURCE = 'test';

/** Files under `dir` (or the file itself) ending in .yaml/.yml, sorted. */
export function caseFiles(path: string): string[] {
  const full = resolve(path);
  if (statSync(full).isFile()) return [full];
  return readdirSync(full)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(full, f));
}

/** Reads and validates one case file; problems come back as `file:line:col` ConfigErrors. */
export function readCaseFile(file: string): z.infer<typeof RuleTestFile> {
  const parsed = parseYaml(file, readFileSync(file, 'utf8'));
  if (parsed.problems.length > 0) throw new ConfigError(sortProblems(parsed.problems));
  const data = toPlain(parsed.root);
  const result = RuleTestFile.safeParse(data);
  if (result.success) return result.data;
  const problems: ConfigProblem[] = issuesToProblems(result.error.issues, { schema: RuleTestFile, data, root: parsed.root, fallback: { file, line: 1, column: 1 } });
  throw new ConfigError(sortProblems(problems));
}

function withSource(key: unknown): unknown {
  return typeof key === 'string' && !key.includes(':') ? `${SOURCE}:${key}` : key;
}

/** A case item: what the admin wrote over sensible defaults, then validated as a WorkItem. */
function buildItem(raw: Record<string, unknown>, index: number): WorkItem {
  const nativeKey = typeof raw['key'] === 'string' ? raw['key'] : `ITEM-${index + 1}`;
  const now = '2026-01-01T09:00:00.000Z';
  const draft: Record<string, unknown> = {
    source: SOURCE,
    sourceKind: 'test',
    url: `https://tracker.example/browse/${nativeKey}`,
    project: 'TEST',
    team: null,
    type: 'Story',
    typeCategory: 'story',
    title: nativeKey,
    description: null,
    status: 'To Do',
    statusCategory: 'todo',
    assignee: null,
    priority: null,
    labels: [],
    components: [],
    estimate: null,
    createdAt: now,
    updatedAt: now,
    startedAt: null,
    resolvedAt: null,
    dueDate: null,
    sprint: null,
    parentKey: null,
    epicKey: null,
    links: [],
    blocked: false,
    fields: {},
    transitions: [],
    history: [],
    ...raw,
    nativeKey,
    key: `${SOURCE}:${nativeKey}`,
  };
  draft['parentKey'] = withSource(draft['parentKey']);
  draft['epicKey'] = withSource(draft['epicKey']);
  if (Array.isArray(draft['links'])) draft['links'] = draft['links'].map((l: { type?: unknown; targetKey?: unknown }) => ({ ...l, targetKey: withSource(l.targetKey) }));
  const parsed = WorkItem.safeParse(draft);
  if (!parsed.success) throw new Error(`item ${nativeKey}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(item)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

function buildSprint(raw: Record<string, unknown>, index: number): Sprint {
  const id = typeof raw['id'] === 'string' ? raw['id'] : `sprint-${index + 1}`;
  const parsed = Sprint.safeParse({ source: SOURCE, name: id, state: 'active', startDate: null, endDate: null, completeDate: null, goal: null, project: 'TEST', team: null, ...raw, id, key: `${SOURCE}:${id}` });
  if (!parsed.success) throw new Error(`sprint ${id}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(sprint)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** How a finding's subject is written in a case: without the test source prefix. */
function shownSubject(key: string): string {
  return key.startsWith(`${SOURCE}:`) ? key.slice(SOURCE.length + 1) : key;
}

export function runCase(file: string, c: z.infer<typeof Case>, fileNow: string | undefined, timezone: string, setup: RuleSetup): CaseResult {
  const result: CaseResult = { file, name: c.name, pass: false, missing: [], unexpected: [], errors: [] };
  const scope = new Set([...(c.rules ?? []), ...c.expect.map((e) => e.rule)]);
  if (scope.size === 0) result.errors.push('name the rules this case is about (in `expect` or `rules`)');
  const known = new Set(setup.plan.library.map((r) => r.meta.id));
  for (const id of scope) if (!known.has(id) && id !== 'rule-error') result.errors.push(`unknown rule "${id}"`);
  let items: WorkItem[] = [];
  let sprints: Sprint[] = [];
  try {
    items = c.items.map(buildItem);
    sprints = c.sprints.map(buildSprint);
  } catch (err) {
    result.errors.push((err as Error).message);
  }
  if (result.errors.length > 0) return result;

  const store = openStore(':memory:');
  try {
    const at = c.now ?? fileNow ?? new Date().toISOString();
    store.transaction(() => {
      store.items.upsert(items, at);
      store.items.upsertSprints(sprints);
    });
    evaluate({ store, ...setup, clock: fixedClock(at), timezone, log: silentLogger() });
    const found = store.findings.list({ state: 'open' }).filter((f) => scope.has(f.ruleId));
    const matched = new Set<number>();
    for (const want of c.expect) {
      const i = found.findIndex(
        (f, idx) =>
          !matched.has(idx) &&
          f.ruleId === want.rule &&
          shownSubject(f.subject.key) === want.subject &&
          (want.severity === undefined || f.severity === want.severity) &&
          (want.message === undefined || f.message.includes(want.message)),
      );
      if (i === -1) result.missing.push(want);
      else matched.add(i);
    }
    found.forEach((f, idx) => {
      if (!matched.has(idx)) result.unexpected.push({ rule: f.ruleId, subject: shownSubject(f.subject.key), severity: f.severity, message: f.message });
    });
  } finally {
    store.close();
  }
  result.pass = result.missing.length === 0 && result.unexpected.length === 0;
  return result;
}

/** Runs every case of every file; a file that does not parse throws its ConfigError. */
export function runRuleTests(path: string, setup: RuleSetup, timezone: string): CaseResult[] {
  const results: CaseResult[] = [];
  for (const file of caseFiles(path)) {
    const parsed = readCaseFile(file);
    for (const c of parsed.cases) results.push(runCase(file, c, parsed.now, parsed.timezone ?? timezone, setup));
  }
  return results;
}

/** Pass/fail lines per case, a diff for failures, and a total. */
export function formatResults(results: readonly CaseResult[], display: (file: string) => string): string {
  const lines: string[] = [];
  let file = '';
  for (const r of results) {
    if (r.file !== file) {
      file = r.file;
      lines.push(display(file));
    }
    lines.push(`  ${r.pass ? '✓' : '✗'} ${r.name}`);
    for (const e of r.errors) lines.push(`      error       ${e}`);
    for (const m of r.missing) lines.push(`      missing     ${m.rule}  ${m.subject}${m.severity ? `  (${m.severity})` : ''}${m.message ? `  containing "${m.message}"` : ''}`);
    for (const u of r.unexpected) lines.push(`      unexpected  ${u.rule}  ${u.subject}  (${u.severity})  "${u.message}"`);
  }
  const failed = results.filter((r) => !r.pass).length;
  lines.push(`${results.length} case${results.length === 1 ? '' : 's'}: ${results.length - failed} passed, ${failed} failed`);
  return lines.join('\n');
}
