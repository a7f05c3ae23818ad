import { z } from 'zod';
import { FIX_FIELDS, FIX_INPUTS, type FixSpec, type RuleCategory, type Severity } from '../model/finding.ts';
import type { WorkItem } from '../model/work-item.ts';
import { localDate, localMidnight, nextLocalMidnight } from '../engine/helpers.ts';
import { placeholders } from '../engine/message.ts';
import { RuleAbort, type AnyRule, type RuleDefinition } from '../engine/rule.ts';
import { CelScope, compileExpression, type CelEvaluator } from './compile.ts';
import { ITEM_FIELDS, checkBoolean, createCelEnvironments, setCelDay, usesClock, type CelEnvironments } from './environment.ts';

/** `custom[]` in config: an admin-written item rule in CEL, no code. */
export interface CustomRuleConfig {
  id: string;
  description?: string | undefined;
  category: RuleCategory;
  severity: Severity;
  scope: 'item';
  /** Which items the rule looks at (default: all). */
  when?: string | undefined;
  /** What those items must satisfy; a finding when it is false. */
  require?: string | undefined;
  /** Or: what must not be; a finding when it is true. */
  condition?: string | undefined;
  /** The finding's text, with `{{item.<field>}}` placeholders. */
  message: string;
  fix?: FixSpec | undefined;
  /** Longest one evaluation on one item may take before it is reported as a rule error. */
  budgetMs: number;
}

/** Most milliseconds one custom rule may spend over a whole evaluation before it is stopped. */
export const RUN_BUDGET_MS = 60_000;

const Expression = z.string().min(1, 'must not be empty').max(4000);

export const CustomRuleSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z][a-z0-9-]*$/, 'must be kebab-case (lower-case letters, digits and dashes), e.g. auth-needs-security-review')
      .describe('rule id, used in findings, `rules:` and overrides'),
    description: z.string().optional(),
    category: z.enum(['compliance', 'risk']).default('compliance'),
    severity: z.enum(['info', 'warning', 'critical']).default('warning'),
    scope: z.literal('item').default('item').describe('custom rules judge one item at a time'),
    when: Expression.optional().describe('CEL: which items the rule looks at (default: every item)'),
    require: Expression.optional().describe('CEL: what they must satisfy; a finding when false'),
    condition: Expression.optional().describe('CEL: what must not be; a finding when true'),
    message: z.string().min(1).describe('finding text; {{item.key}}, {{item.title}}, {{item.assignee}} … are filled in'),
    fix: z.strictObject({ field: z.enum(FIX_FIELDS), input: z.enum(FIX_INPUTS) }).optional(),
    budgetMs: z.number().positive().max(1000).default(50).describe('longest one evaluation may take on one item'),
  })
  .superRefine((rule, ctx) => {
    const given = (['require', 'condition'] as const).filter((k) => rule[k] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({ code: 'custom', path: [], message: given.length === 0 ? 'needs `require` (must hold) or `condition` (must not hold)' : 'give either `require` or `condition`, not both' });
    }
    for (const problem of checkCustomRule(rule)) ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message, params: { offset: problem.offset } });
  });

export interface CustomRuleProblem {
  path: Array<'when' | 'require' | 'condition' | 'message'>;
  message: string;
  /** Character offset inside the expression (or message) where the problem is. */
  offset: number;
}

let checker: CelEnvironments | undefined;

/** Parses and type-checks a custom rule's expressions and message placeholders. */
export function checkCustomRule(rule: Pick<CustomRuleConfig, 'when' | 'require' | 'condition' | 'message'>): CustomRuleProblem[] {
  checker ??= createCelEnvironments();
  const problems: CustomRuleProblem[] = [];
  for (const key of ['when', 'require', 'condition'] as const) {
    const expression = rule[key];
    if (typeof expression !== 'string' || expression === '') continue;
    const result = checkBoolean(checker.typed, expression);
    if (!result.ok) problems.push({ path: [key], message: `CEL: ${result.message}`, offset: result.offset ?? 0 });
  }
  if (typeof rule.message === 'string') {
    for (const name of placeholders(rule.message)) {
      if (placeholderKnown(name)) continue;
      problems.push({
        path: ['message'],
        message: `unknown placeholder {{${name}}}; use {{item.<field>}} with a field of: ${ITEM_FIELDS.join(', ')} (or {{item.fields.<name>}})`,
        offset: rule.message.indexOf(name),
      });
    }
  }
  return problems;
}

function placeholderKnown(name: string): boolean {
  const bare = name.startsWith('item.') ? name.slice(5) : name;
  if (bare.startsWith('fields.') && bare.length > 7) return true;
  if (bare === 'assignee.name' || bare === 'assignee.email' || bare === 'sprint.name') return true;
  return ITEM_FIELDS.includes(bare);
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(text).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Message data for an item: every field under `item.<name>` and `<name>`. */
function messageData(item: WorkItem, names: readonly string[]): Record<string, string | number> {
  const data: Record<string, string | number> = {};
  for (const name of names) {
    const bare = name.startsWith('item.') ? name.slice(5) : name;
    let value: unknown;
    if (bare.startsWith('fields.')) value = item.fields[bare.slice(7)];
    else if (bare === 'assignee' || bare === 'assignee.name') value = item.assignee?.name ?? 'nobody';
    else if (bare === 'assignee.email') value = item.assignee?.email;
    else if (bare === 'sprint' || bare === 'sprint.name') value = item.sprint?.name;
    else if (bare === 'key') value = item.nativeKey;
    else value = (item as unknown as Record<string, unknown>)[bare];
    data[name] = text(value);
  }
  return data;
}

/**
 * Compiles custom rules into ordinary rules of the library. Expressions were checked when the config
 * loaded; a runtime failure on one item (a missing field, a wrong type) becomes a `rule-error`
 * finding for that item, and a rule that overruns its time budget is stopped for the run.
 */
export function compileCustomRules(configs: readonly CustomRuleConfig[]): AnyRule[] {
  if (configs.length === 0) return [];
  const cel = createCelEnvironments();
  const view = viewCache(cel);
  const clock: BudgetClock = { item: undefined, at: 0 };
  return configs.map((c) => compileOne(c, cel, view, clock));
}

/**
 * Custom rules run one after another on an item: the instant one finished is the instant the next
 * starts, so each evaluation costs one clock reading instead of two (ten rules over 1M items read
 * the clock 20M times: ≈1.7 CPU-s).
 */
interface BudgetClock {
  /** The item the last custom rule finished on. */
  item: WorkItem | undefined;
  /** When it finished (`performance.now()`). */
  at: number;
}

/** Several custom rules look at the same item in a row: they share one scope (and what it converted). */
function viewCache(cel: CelEnvironments): (item: WorkItem, classes: readonly string[]) => CelScope {
  const scope = new CelScope(cel.day);
  let last: WorkItem | undefined;
  return (item, classes) => {
    if (item !== last || scope.classes !== classes) {
      last = item;
      scope.reset(item, classes);
    }
    return scope;
  };
}

function compileOne(c: CustomRuleConfig, cel: CelEnvironments, view: ReturnType<typeof viewCache>, clock: BudgetClock): AnyRule {
  // Compiled to closures where the expression allows it; the interpreter otherwise (same results).
  const when: CelEvaluator | null = c.when ? compileExpression(cel.fast.parse(c.when), cel.functions) : null;
  const test: CelEvaluator = compileExpression(cel.fast.parse((c.require ?? c.condition)!), cel.functions);
  const violatedWhen = c.require !== undefined ? false : true;
  const names = placeholders(c.message);
  const judge = (scope: CelScope): boolean => (when === null || when(scope) === true) && test(scope) === violatedWhen;
  const clockBound = [c.when, c.require, c.condition].some((e) => e !== undefined && usesClock(e));
  const definition: RuleDefinition<Record<string, never>> = {
    meta: {
      id: c.id,
      category: c.category,
      scope: 'item',
      description: c.description ?? `Custom rule ${c.id}`,
      rationale: 'Written by your administrators in the configuration (custom:).',
      defaultSeverity: c.severity,
      options: z.strictObject({}),
      messages: { violated: c.message },
      fix: c.fix,
    },
    create(ctx) {
      const today = localDate(ctx.now, ctx.timezone);
      setCelDay(cel.day, localMidnight(today, ctx.timezone), today, ctx.timezone);
      const midnight = nextLocalMidnight(ctx.now, ctx.timezone);
      let spent = 0;
      return {
        item(item, classes) {
          if (spent > RUN_BUDGET_MS) return;
          if (clockBound) ctx.recheckAt(midnight);
          const scope = view(item, classes);
          // Chained only from a custom rule that finished cleanly on this item just before (one that threw leaves it unset).
          const chained = clock.item === item;
          clock.item = undefined;
          let started = chained ? clock.at : performance.now();
          let violated = judge(scope);
          let ended = performance.now();
          let took = ended - started;
          if (took > c.budgetMs) {
            // A garbage-collection pause can land in any evaluation: only a second overrun counts.
            spent += took;
            started = ended;
            violated = judge(scope);
            ended = performance.now();
            took = ended - started;
          }
          spent += took;
          if (spent > RUN_BUDGET_MS) throw new RuleAbort(`spent more than ${RUN_BUDGET_MS / 1000} s in this evaluation`);
          if (took > c.budgetMs) throw new Error(`took ${took.toFixed(1)} ms on one item (budget ${c.budgetMs} ms)`);
          // A rule that reports does not hand its end on: the next rule's time starts after the report.
          if (!violated) {
            clock.item = item;
            clock.at = ended;
            return;
          }
          ctx.report({ messageId: 'violated', subject: item, data: messageData(item, names), evidence: c.require ? { rule: c.id, require: c.require } : { rule: c.id, condition: c.condition! } });
        },
      };
    },
  };
  return definition as unknown as AnyRule;
}
